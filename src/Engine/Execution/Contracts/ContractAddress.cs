using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Execution.Contracts;

/// <summary>Where a creation puts its contract: the last 20 bytes of Keccak-256(RLP([sender, nonce])), as in Ethereum (Yellow Paper eq. 88).</summary>
public static class ContractAddress
{
    public static Address ForCreation(in Address sender, ulong nonce)
    {
        int payload = RlpWriter.LengthOfAddress + RlpWriter.LengthOfUInt64(nonce);
        Span<byte> buffer = stackalloc byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteAddress(sender);
        writer.WriteUInt64(nonce);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(writer.Written, hash);
        return new Address(hash[12..]);
    }
}
