using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Network;

/// <summary>
/// The messages of a peer link: a kind byte, then RLP. Proposal: [height, round, polRound + 1, blockHash, block,
/// proposer, signature]; vote: <see cref="VoteCodec"/>; status: [height, round]; committed block: [height, blockHash,
/// block, certificate (<see cref="CommitCertificateCodec"/>)]. Decoding checks shapes and ranges only; signatures are
/// the consensus machine's business. Anything malformed is a <see cref="FormatException"/>, on which the link drops the peer.
/// </summary>
public static class PeerMessageCodec
{
    public static byte[] Encode(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message switch
        {
            Proposal proposal => Prefix(PeerMessageKind.Proposal, EncodeProposal(proposal)),
            Vote vote => Prefix(PeerMessageKind.Vote, VoteCodec.Encode(vote)),
            StatusMessage status => Prefix(PeerMessageKind.Status, EncodeStatus(status)),
            CommittedBlockMessage block => Prefix(PeerMessageKind.CommittedBlock, EncodeCommitted(block)),
            _ => throw new ArgumentException($"{message.GetType().Name} is not a peer message", nameof(message)),
        };
    }

    /// <exception cref="FormatException">Empty, an unknown kind, malformed RLP or a value out of range.</exception>
    public static object Decode(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) throw new FormatException("an empty peer message");
        ReadOnlySpan<byte> body = data[1..];
        return (PeerMessageKind)data[0] switch
        {
            PeerMessageKind.Proposal => DecodeProposal(body),
            PeerMessageKind.Vote => VoteCodec.Decode(body),
            PeerMessageKind.Status => DecodeStatus(body),
            PeerMessageKind.CommittedBlock => DecodeCommitted(body),
            _ => throw new FormatException($"unknown peer message kind {data[0]}"),
        };
    }

    private static byte[] Prefix(PeerMessageKind kind, byte[] body)
    {
        byte[] message = new byte[body.Length + 1];
        message[0] = (byte)kind;
        body.CopyTo(message, 1);
        return message;
    }

    private static byte[] EncodeProposal(Proposal p)
    {
        int payload = RlpWriter.LengthOfUInt64(p.Height) + RlpWriter.LengthOfUInt64((ulong)p.Round) + RlpWriter.LengthOfUInt64((ulong)(p.PolRound + 1))
            + RlpWriter.LengthOfHash + RlpWriter.LengthOfString(p.Block) + RlpWriter.LengthOfAddress + RlpWriter.LengthOfString(p.Signature);
        byte[] buffer = new byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteUInt64(p.Height);
        writer.WriteUInt64((ulong)p.Round);
        writer.WriteUInt64((ulong)(p.PolRound + 1));
        writer.WriteHash(p.BlockHash);
        writer.WriteString(p.Block);
        writer.WriteAddress(p.Proposer);
        writer.WriteString(p.Signature);
        return buffer;
    }

    private static Proposal DecodeProposal(ReadOnlySpan<byte> body)
    {
        RlpReader fields = OpenList(body);
        ulong height = fields.ReadUInt64();
        int round = ReadRound(ref fields);
        ulong polRoundPlusOne = fields.ReadUInt64();
        Hash256 hash = fields.ReadHash();
        byte[] block = fields.ReadString().ToArray();
        Address proposer = fields.ReadAddress();
        byte[] signature = fields.ReadString().ToArray();
        fields.EnsureEnd();
        if (polRoundPlusOne > (ulong)round) throw new FormatException($"proposal proof-of-lock round {(long)polRoundPlusOne - 1} is not below its round {round}");
        if (signature.Length != ConsensusSigning.SignatureLength) throw new FormatException($"proposal signature has {signature.Length} bytes");
        return new Proposal(height, round, (int)polRoundPlusOne - 1, hash, block, proposer, signature);
    }

    private static byte[] EncodeStatus(StatusMessage status)
    {
        int payload = RlpWriter.LengthOfUInt64(status.Height) + RlpWriter.LengthOfUInt64((ulong)status.Round);
        byte[] buffer = new byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteUInt64(status.Height);
        writer.WriteUInt64((ulong)status.Round);
        return buffer;
    }

    private static StatusMessage DecodeStatus(ReadOnlySpan<byte> body)
    {
        RlpReader fields = OpenList(body);
        ulong height = fields.ReadUInt64();
        int round = ReadRound(ref fields);
        fields.EnsureEnd();
        return new StatusMessage(height, round);
    }

    private static byte[] EncodeCommitted(CommittedBlockMessage message)
    {
        byte[] certificate = CommitCertificateCodec.Encode(message.Certificate);
        int payload = RlpWriter.LengthOfUInt64(message.Height) + RlpWriter.LengthOfHash + RlpWriter.LengthOfString(message.Block) + certificate.Length;
        byte[] buffer = new byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        writer.WriteUInt64(message.Height);
        writer.WriteHash(message.BlockHash);
        writer.WriteString(message.Block);
        writer.WriteEncoded(certificate);
        return buffer;
    }

    private static CommittedBlockMessage DecodeCommitted(ReadOnlySpan<byte> body)
    {
        RlpReader fields = OpenList(body);
        ulong height = fields.ReadUInt64();
        Hash256 hash = fields.ReadHash();
        byte[] block = fields.ReadString().ToArray();
        var certificate = CommitCertificateCodec.Decode(fields.ReadEncoded());
        fields.EnsureEnd();
        return new CommittedBlockMessage(height, hash, block, certificate);
    }

    private static RlpReader OpenList(ReadOnlySpan<byte> body)
    {
        var reader = new RlpReader(body);
        RlpReader fields = reader.ReadList();
        reader.EnsureEnd();
        return fields;
    }

    private static int ReadRound(ref RlpReader fields)
    {
        ulong round = fields.ReadUInt64();
        if (round > int.MaxValue) throw new FormatException($"round {round} exceeds {int.MaxValue}");
        return (int)round;
    }
}
