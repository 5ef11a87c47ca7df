using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Ledger.Codec;

/// <summary>
/// Canonical RLP of a block header; the block hash is Keccak-256 of it. Field order:
/// [parentHash, number, timestamp, proposer, transactionsRoot, receiptsRoot, stateRoot, gasUsed, gasLimit,
///  baseFeePerGas, logsBloom (256 bytes), parentCommit [round, [[validator, signature], ...]], evidenceRoot?].
/// The evidence root is written only when it is not zero (a block reporting double votes), and a present one must not be
/// zero, so every header has one encoding and headers without evidence keep the twelve-field encoding and hash.
/// </summary>
public static class BlockHeaderCodec
{
    public static Hash256 ComputeHash(BlockHeader header)
    {
        byte[] encoded = Encode(header);
        return Keccak256.Compute(encoded);
    }

    public static byte[] Encode(BlockHeader header)
    {
        var buffer = new byte[GetEncodedLength(header)];
        var writer = new RlpWriter(buffer);
        Write(ref writer, header);
        return buffer;
    }

    public static int GetEncodedLength(BlockHeader header) => RlpWriter.LengthOfList(PayloadLength(header));

    public static void Write(ref RlpWriter writer, BlockHeader header)
    {
        writer.WriteListHeader(PayloadLength(header));
        writer.WriteHash(header.ParentHash);
        writer.WriteUInt64(header.Number);
        writer.WriteUInt64(header.Timestamp);
        writer.WriteAddress(header.Proposer);
        writer.WriteHash(header.TransactionsRoot);
        writer.WriteHash(header.ReceiptsRoot);
        writer.WriteHash(header.StateRoot);
        writer.WriteUInt64(header.GasUsed);
        writer.WriteUInt64(header.GasLimit);
        writer.WriteUInt256(header.BaseFeePerGas);
        writer.WriteString(header.LogsBloom.Bytes);
        CommitCertificate commit = header.ParentCommit;
        writer.WriteListHeader(CommitPayloadLength(commit));
        writer.WriteUInt64(commit.Round);
        writer.WriteListHeader(SignaturesPayloadLength(commit));
        foreach (CommitSignature signature in commit.Signatures)
        {
            writer.WriteListHeader(RlpWriter.LengthOfAddress + RlpWriter.LengthOfString(signature.Signature));
            writer.WriteAddress(signature.Validator);
            writer.WriteString(signature.Signature);
        }
        if (!header.EvidenceRoot.IsZero) writer.WriteHash(header.EvidenceRoot);
    }

    public static BlockHeader Read(ref RlpReader reader)
    {
        RlpReader fields = reader.ReadList();
        var header = new BlockHeader
        {
            ParentHash = fields.ReadHash(),
            Number = fields.ReadUInt64(),
            Timestamp = fields.ReadUInt64(),
            Proposer = fields.ReadAddress(),
            TransactionsRoot = fields.ReadHash(),
            ReceiptsRoot = fields.ReadHash(),
            StateRoot = fields.ReadHash(),
            GasUsed = fields.ReadUInt64(),
            GasLimit = fields.ReadUInt64(),
            BaseFeePerGas = fields.ReadUInt256(),
            LogsBloom = ReadBloom(ref fields),
            ParentCommit = ReadCommit(ref fields),
        };
        if (!fields.IsEnd)
        {
            int offset = fields.Position;
            Hash256 evidenceRoot = fields.ReadHash();
            if (evidenceRoot.IsZero) throw new RlpException(RlpError.UnexpectedLength, offset, "the evidence root (present only when not zero)");
            header = header with { EvidenceRoot = evidenceRoot };
        }
        fields.EnsureEnd();
        return header;
    }

    public static BlockHeader Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        BlockHeader header = Read(ref reader);
        reader.EnsureEnd();
        return header;
    }

    private static LogsBloom ReadBloom(ref RlpReader fields)
    {
        int offset = fields.Position;
        ReadOnlySpan<byte> bloom = fields.ReadString();
        if (bloom.Length != LogsBloom.Size)
            throw new RlpException(RlpError.UnexpectedLength, offset, "the logs bloom (must be 256 bytes)");
        return bloom.ContainsAnyExcept((byte)0) ? new LogsBloom(bloom) : LogsBloom.Empty;
    }

    private static CommitCertificate ReadCommit(ref RlpReader fields)
    {
        RlpReader commit = fields.ReadList();
        ulong round = commit.ReadUInt64();
        RlpReader list = commit.ReadList();
        var signatures = new List<CommitSignature>();
        while (!list.IsEnd)
        {
            RlpReader item = list.ReadList();
            Address validator = item.ReadAddress();
            byte[] signature = item.ReadString().ToArray();
            item.EnsureEnd();
            signatures.Add(new CommitSignature(validator, signature));
        }
        commit.EnsureEnd();
        return round == 0 && signatures.Count == 0 ? CommitCertificate.Empty : new CommitCertificate(round, signatures.ToArray());
    }

    private static int PayloadLength(BlockHeader header) =>
        (4 * RlpWriter.LengthOfHash) // parent hash, transactions, receipts and state roots
        + RlpWriter.LengthOfUInt64(header.Number)
        + RlpWriter.LengthOfUInt64(header.Timestamp)
        + RlpWriter.LengthOfAddress
        + RlpWriter.LengthOfUInt64(header.GasUsed)
        + RlpWriter.LengthOfUInt64(header.GasLimit)
        + RlpWriter.LengthOfUInt256(header.BaseFeePerGas)
        + RlpWriter.LengthOfString(header.LogsBloom.Bytes)
        + RlpWriter.LengthOfList(CommitPayloadLength(header.ParentCommit))
        + (header.EvidenceRoot.IsZero ? 0 : RlpWriter.LengthOfHash);

    private static int CommitPayloadLength(CommitCertificate commit) =>
        RlpWriter.LengthOfUInt64(commit.Round) + RlpWriter.LengthOfList(SignaturesPayloadLength(commit));

    private static int SignaturesPayloadLength(CommitCertificate commit)
    {
        int length = 0;
        foreach (CommitSignature signature in commit.Signatures)
        {
            length += RlpWriter.LengthOfList(RlpWriter.LengthOfAddress + RlpWriter.LengthOfString(signature.Signature));
        }
        return length;
    }
}
