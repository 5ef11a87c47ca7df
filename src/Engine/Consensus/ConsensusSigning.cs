using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Consensus;

/// <summary>What a validator signs: one proposal or vote, identified by everything that must not be replayable.</summary>
/// <param name="PolRound">The proposal's proof-of-lock round, -1 for none; always -1 for votes.</param>
/// <param name="BlockHash">The block voted for; <see cref="Hash256.Zero"/> is a nil vote.</param>
public readonly record struct SigningPayload(ConsensusMessageType Type, ulong Height, int Round, int PolRound, Hash256 BlockHash)
{
    /// <summary>
    /// Keccak-256 of RLP [domain, chainId, type, height, round, polRound + 1, blockHash]. The domain string keeps a
    /// consensus signature from ever verifying as a transaction or any other message signed by the same key, and the
    /// chain id keeps it from being replayed on another chain.
    /// </summary>
    public Hash256 ComputeSigningHash(ulong chainId)
    {
        if (Round < 0 || PolRound < -1) throw new ArgumentOutOfRangeException(nameof(Round), $"round {Round} / pol round {PolRound} out of range");
        ReadOnlySpan<byte> domain = ConsensusSigning.Domain;
        int payload = RlpWriter.LengthOfString(domain)
            + RlpWriter.LengthOfUInt64(chainId)
            + RlpWriter.LengthOfUInt64((byte)Type)
            + RlpWriter.LengthOfUInt64(Height)
            + RlpWriter.LengthOfUInt64((ulong)Round)
            + RlpWriter.LengthOfUInt64((ulong)(PolRound + 1))
            + RlpWriter.LengthOfHash;
        Span<byte> buffer = stackalloc byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteString(domain);
        writer.WriteUInt64(chainId);
        writer.WriteUInt64((byte)Type);
        writer.WriteUInt64(Height);
        writer.WriteUInt64((ulong)Round);
        writer.WriteUInt64((ulong)(PolRound + 1));
        writer.WriteHash(BlockHash);
        Invariant.Check(writer.RemainingLength == 0);
        return Keccak256.Compute(buffer);
    }
}

/// <summary>secp256k1 signatures of consensus messages: 65 bytes r || s || recovery id, as in commit certificates.</summary>
public static class ConsensusSigning
{
    public const int SignatureLength = 65;

    internal static ReadOnlySpan<byte> Domain => "nexusfast/consensus/v1"u8;

    /// <exception cref="ArgumentException">The secret is not a valid secp256k1 key.</exception>
    public static byte[] Sign(Hash256 signingHash, ReadOnlySpan<byte> secret32)
    {
        byte[] signature = new byte[SignatureLength];
        Secp256k1.SignRecoverable(signingHash.Bytes, secret32, signature.AsSpan(0, Secp256k1.SignatureLength), out byte recoveryId);
        signature[64] = recoveryId;
        return signature;
    }

    /// <summary>The address that made <paramref name="signature"/>; false for a malformed or non-canonical signature.</summary>
    public static bool TryRecoverSigner(Hash256 signingHash, ReadOnlySpan<byte> signature, out Address signer)
    {
        signer = default;
        if (signature.Length != SignatureLength || signature[64] > 1) return false;
        Span<byte> publicKey = stackalloc byte[Secp256k1.PublicKeyXYLength];
        if (!Secp256k1.TryRecoverXY(signingHash.Bytes, signature[..64], signature[64], publicKey)) return false;
        signer = Address.FromPublicKey(publicKey);
        return true;
    }

    /// <summary>The address of a validator key.</summary>
    /// <exception cref="ArgumentException">The secret is not a valid secp256k1 key.</exception>
    public static Address AddressOf(ReadOnlySpan<byte> secret32)
    {
        Span<byte> publicKey = stackalloc byte[Secp256k1.PublicKeyLength];
        if (!Secp256k1.TryGetPublicKey(secret32, publicKey)) throw new ArgumentException("not a valid secp256k1 secret key", nameof(secret32));
        return Address.FromPublicKey(publicKey);
    }

}
