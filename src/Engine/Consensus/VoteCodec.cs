using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Consensus;

/// <summary>RLP of a vote: [type, height, round, blockHash, validator, signature (65 bytes)].</summary>
public static class VoteCodec
{
    public static byte[] Encode(Vote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        int payload = RlpWriter.LengthOfUInt64((byte)vote.Type)
            + RlpWriter.LengthOfUInt64(vote.Height)
            + RlpWriter.LengthOfUInt64((ulong)vote.Round)
            + RlpWriter.LengthOfHash
            + RlpWriter.LengthOfAddress
            + RlpWriter.LengthOfString(vote.Signature);
        byte[] buffer = new byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteUInt64((byte)vote.Type);
        writer.WriteUInt64(vote.Height);
        writer.WriteUInt64((ulong)vote.Round);
        writer.WriteHash(vote.BlockHash);
        writer.WriteAddress(vote.Validator);
        writer.WriteString(vote.Signature);
        return buffer;
    }

    /// <exception cref="FormatException">Malformed RLP, an unknown type, a round out of range or a signature that is not 65 bytes.</exception>
    public static Vote Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        RlpReader fields = reader.ReadList();
        reader.EnsureEnd();
        ulong type = fields.ReadUInt64();
        ulong height = fields.ReadUInt64();
        ulong round = fields.ReadUInt64();
        Hash256 blockHash = fields.ReadHash();
        Address validator = fields.ReadAddress();
        byte[] signature = fields.ReadString().ToArray();
        fields.EnsureEnd();
        if (type is not ((byte)ConsensusMessageType.Prevote or (byte)ConsensusMessageType.Precommit))
            throw new FormatException($"vote type {type} is neither prevote ({(byte)ConsensusMessageType.Prevote}) nor precommit ({(byte)ConsensusMessageType.Precommit})");
        if (round > int.MaxValue) throw new FormatException($"vote round {round} exceeds {int.MaxValue}");
        if (signature.Length != ConsensusSigning.SignatureLength) throw new FormatException($"vote signature has {signature.Length} bytes, not {ConsensusSigning.SignatureLength}");
        return new Vote((ConsensusMessageType)type, height, (int)round, blockHash, validator, signature);
    }
}
