using System.Buffers;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Ledger.Codec;

/// <summary>
/// Receipt encodings. The consensus form is Ethereum's (EIP-2718 type byte, then
/// rlp([status, cumulativeGasUsed, logsBloom, logs])); its Keccak-256 is the receipt's leaf in the receipts root.
/// The stored form adds what RPC serves and cannot be derived from the block: gas used by this transaction,
/// the effective gas price and the created contract's address (the bloom is recomputed from the logs).
/// </summary>
public static class ReceiptCodec
{
    /// <summary>Receipts up to this size are encoded on the stack: one without logs (a transfer's) is about 270 bytes.</summary>
    private const int StackBufferMax = 512;

    /// <summary>Keccak-256 of the consensus encoding: the receipt's leaf in the receipts root.</summary>
    public static Hash256 ComputeLeaf(in Receipt receipt)
    {
        int length = GetConsensusLength(receipt);
        byte[]? rented = null;
        Span<byte> buffer = length <= StackBufferMax ? stackalloc byte[StackBufferMax] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            buffer = buffer[..length];
            WriteConsensus(receipt, buffer);
            return Keccak256.Compute(buffer);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Bytes of the consensus encoding (the input of the receipt's leaf hash).</summary>
    public static int GetConsensusLength(in Receipt receipt) =>
        (receipt.Type == TxType.Legacy ? 0 : 1) + RlpWriter.LengthOfList(ConsensusPayloadLength(receipt));

    /// <summary>
    /// Writes the consensus encoding into <paramref name="destination"/>, which is exactly
    /// <see cref="GetConsensusLength"/> bytes (so that a block's receipts can be encoded side by side and hashed as one
    /// batch).
    /// </summary>
    public static void WriteConsensus(in Receipt receipt, Span<byte> destination)
    {
        int payload = ConsensusPayloadLength(receipt);
        int prefix = receipt.Type == TxType.Legacy ? 0 : 1;
        if (destination.Length != prefix + RlpWriter.LengthOfList(payload))
        {
            throw new ArgumentException($"the receipt's consensus encoding is {prefix + RlpWriter.LengthOfList(payload)} bytes, the destination {destination.Length}", nameof(destination));
        }
        if (prefix == 1) destination[0] = (byte)receipt.Type;
        var writer = new RlpWriter(destination[prefix..]);
        writer.WriteListHeader(payload);
        writer.WriteUInt64(receipt.Success ? 1UL : 0UL);
        writer.WriteUInt64(receipt.CumulativeGasUsed);
        writer.WriteString(receipt.Bloom.Bytes);
        WriteLogs(ref writer, receipt.Logs);
    }

    public static int GetStoredLength(Receipt receipt) => RlpWriter.LengthOfList(StoredPayloadLength(receipt));

    public static void WriteStored(ref RlpWriter writer, Receipt receipt)
    {
        writer.WriteListHeader(StoredPayloadLength(receipt));
        writer.WriteUInt64((byte)receipt.Type);
        writer.WriteUInt64(receipt.Success ? 1UL : 0UL);
        writer.WriteUInt64(receipt.CumulativeGasUsed);
        writer.WriteUInt64(receipt.GasUsed);
        writer.WriteUInt256(receipt.EffectiveGasPrice);
        WriteLogs(ref writer, receipt.Logs);
        if (receipt.ContractAddress is { } created) writer.WriteAddress(created);
        else writer.WriteEmptyString();
    }

    /// <summary>Reads a stored receipt; the transaction it belongs to supplies hash, sender and recipient.</summary>
    public static Receipt ReadStored(ref RlpReader reader, Transaction tx)
    {
        RlpReader fields = reader.ReadList();
        ulong type = fields.ReadUInt64();
        ulong status = fields.ReadUInt64();
        ulong cumulative = fields.ReadUInt64();
        ulong gasUsed = fields.ReadUInt64();
        UInt256 price = fields.ReadUInt256();
        LogEntry[] logs = ReadLogs(ref fields);
        int offset = fields.Position;
        ReadOnlySpan<byte> created = fields.ReadString();
        fields.EnsureEnd();
        if ((type > (ulong)TxType.DynamicFee && type != (ulong)TxType.MlDsa) || status > 1 || (created.Length != 0 && created.Length != Address.Size))
            throw new RlpException(RlpError.UnexpectedLength, offset, "a stored receipt (type, status or contract address out of range)");
        return new Receipt
        {
            Type = (TxType)type,
            Success = status == 1,
            CumulativeGasUsed = cumulative,
            GasUsed = gasUsed,
            EffectiveGasPrice = price,
            Logs = logs,
            Bloom = LogsBloom.FromLogs(logs),
            ContractAddress = created.Length == 0 ? null : new Address(created),
            TransactionHash = tx.Hash,
            From = tx.Sender,
            To = tx.To,
        };
    }

    private static int ConsensusPayloadLength(in Receipt receipt) =>
        RlpWriter.LengthOfUInt64(receipt.Success ? 1UL : 0UL)
        + RlpWriter.LengthOfUInt64(receipt.CumulativeGasUsed)
        + RlpWriter.LengthOfString(receipt.Bloom.Bytes)
        + RlpWriter.LengthOfList(LogsPayloadLength(receipt.Logs));

    private static int StoredPayloadLength(Receipt receipt) =>
        RlpWriter.LengthOfUInt64((byte)receipt.Type)
        + RlpWriter.LengthOfUInt64(receipt.Success ? 1UL : 0UL)
        + RlpWriter.LengthOfUInt64(receipt.CumulativeGasUsed)
        + RlpWriter.LengthOfUInt64(receipt.GasUsed)
        + RlpWriter.LengthOfUInt256(receipt.EffectiveGasPrice)
        + RlpWriter.LengthOfList(LogsPayloadLength(receipt.Logs))
        + (receipt.ContractAddress is null ? 1 : RlpWriter.LengthOfAddress);

    private static int LogsPayloadLength(LogEntry[] logs)
    {
        int length = 0;
        foreach (LogEntry log in logs) length += RlpWriter.LengthOfList(LogPayloadLength(log));
        return length;
    }

    private static int LogPayloadLength(LogEntry log) =>
        RlpWriter.LengthOfAddress + RlpWriter.LengthOfList(log.Topics.Length * RlpWriter.LengthOfHash) + RlpWriter.LengthOfString(log.Data);

    private static void WriteLogs(ref RlpWriter writer, LogEntry[] logs)
    {
        writer.WriteListHeader(LogsPayloadLength(logs));
        foreach (LogEntry log in logs)
        {
            writer.WriteListHeader(LogPayloadLength(log));
            writer.WriteAddress(log.Address);
            writer.WriteListHeader(log.Topics.Length * RlpWriter.LengthOfHash);
            foreach (Hash256 topic in log.Topics) writer.WriteHash(topic);
            writer.WriteString(log.Data);
        }
    }

    private static LogEntry[] ReadLogs(ref RlpReader fields)
    {
        RlpReader list = fields.ReadList();
        var logs = new List<LogEntry>();
        while (!list.IsEnd)
        {
            RlpReader log = list.ReadList();
            Address address = log.ReadAddress();
            RlpReader topicList = log.ReadList();
            var topics = new List<Hash256>();
            while (!topicList.IsEnd) topics.Add(topicList.ReadHash());
            byte[] data = log.ReadString().ToArray();
            log.EnsureEnd();
            logs.Add(new LogEntry(address, topics.ToArray(), data));
        }
        return logs.ToArray();
    }
}
