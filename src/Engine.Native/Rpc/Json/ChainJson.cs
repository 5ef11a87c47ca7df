using System.Text.Json;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Native.Rpc.Json;

/// <summary>
/// Blocks, transactions, receipts and logs in the JSON shapes geth returns, which is what ethers v6 and viem format
/// (CLIENTS.md "Fields that must be present"). Fields with no meaning on this chain get the values post-merge Ethereum
/// clients give them (difficulty 0, zero nonce and mixHash, the empty-uncles hash), so client formatters accept them.
/// </summary>
internal static class ChainJson
{
    /// <summary>Keccak-256 of rlp([]) (the sha3Uncles of a block without uncles).</summary>
    public static readonly Hash256 EmptyUnclesHash = Hash256.Parse("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

    private static ReadOnlySpan<byte> ZeroNonce => "0x0000000000000000"u8;

    public static void WriteBlock(Utf8JsonWriter w, Block block, bool fullTransactions)
    {
        BlockHeader header = block.Header;
        w.WriteStartObject();
        HexJson.WriteQuantity(w, "number"u8, header.Number);
        HexJson.WriteHash(w, "hash"u8, block.Hash);
        HexJson.WriteHash(w, "parentHash"u8, header.ParentHash);
        w.WriteString("nonce"u8, ZeroNonce);
        HexJson.WriteHash(w, "sha3Uncles"u8, EmptyUnclesHash);
        HexJson.WriteData(w, "logsBloom"u8, header.LogsBloom.Bytes);
        HexJson.WriteHash(w, "transactionsRoot"u8, header.TransactionsRoot);
        HexJson.WriteHash(w, "stateRoot"u8, header.StateRoot);
        HexJson.WriteHash(w, "receiptsRoot"u8, header.ReceiptsRoot);
        HexJson.WriteAddress(w, "miner"u8, header.Proposer);
        w.WriteString("difficulty"u8, "0x0"u8);
        w.WriteString("totalDifficulty"u8, "0x0"u8);
        w.WriteString("extraData"u8, "0x"u8);
        HexJson.WriteQuantity(w, "size"u8, (ulong)EncodedSize(block));
        HexJson.WriteQuantity(w, "gasLimit"u8, header.GasLimit);
        HexJson.WriteQuantity(w, "gasUsed"u8, header.GasUsed);
        HexJson.WriteQuantity(w, "timestamp"u8, header.Timestamp);
        HexJson.WriteQuantity(w, "baseFeePerGas"u8, header.BaseFeePerGas);
        HexJson.WriteHash(w, "mixHash"u8, Hash256.Zero);
        w.WritePropertyName("transactions"u8);
        w.WriteStartArray();
        Transaction[] txs = block.Transactions;
        for (int i = 0; i < txs.Length; i++)
        {
            if (fullTransactions) WriteTransaction(w, txs[i], block, i);
            else HexJson.WriteHash(w, txs[i].Hash);
        }
        w.WriteEndArray();
        w.WritePropertyName("uncles"u8);
        w.WriteStartArray();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// A transaction; <paramref name="block"/> null means pending (block fields null, gasPrice = fee cap). An ML-DSA one
    /// (type 0x4e) has the EIP-1559 fields, v, r, s and yParity as 0x0 (it has no ECDSA signature; clients that format
    /// every transaction expect them), and its own: mlDsaKeyHash always, mlDsaPublicKey when the envelope carries the
    /// key, and mlDsaSignature. The names avoid "signature" and "publicKey", which ethers reads as ECDSA values.
    /// </summary>
    public static void WriteTransaction(Utf8JsonWriter w, Transaction tx, Block? block, int index)
    {
        w.WriteStartObject();
        if (block is null)
        {
            w.WriteNull("blockHash"u8);
            w.WriteNull("blockNumber"u8);
        }
        else
        {
            HexJson.WriteHash(w, "blockHash"u8, block.Hash);
            HexJson.WriteQuantity(w, "blockNumber"u8, block.Number);
        }
        HexJson.WriteAddress(w, "from"u8, tx.Sender);
        HexJson.WriteQuantity(w, "gas"u8, tx.GasLimit);
        // geth: a mined EIP-1559 transaction reports the price it paid, a pending one its fee cap.
        bool dynamicFee = tx.Type is TxType.DynamicFee or TxType.MlDsa;
        UInt256 gasPrice = dynamicFee && block is not null
            ? tx.EffectiveGasPrice(block.Header.BaseFeePerGas)
            : tx.MaxFeePerGas;
        HexJson.WriteQuantity(w, "gasPrice"u8, gasPrice);
        if (dynamicFee)
        {
            HexJson.WriteQuantity(w, "maxFeePerGas"u8, tx.MaxFeePerGas);
            HexJson.WriteQuantity(w, "maxPriorityFeePerGas"u8, tx.MaxPriorityFeePerGas);
        }
        HexJson.WriteHash(w, "hash"u8, tx.Hash);
        HexJson.WriteData(w, "input"u8, tx.Data.Span);
        HexJson.WriteQuantity(w, "nonce"u8, tx.Nonce);
        if (tx.To is { } to) HexJson.WriteAddress(w, "to"u8, to);
        else w.WriteNull("to"u8);
        if (block is null) w.WriteNull("transactionIndex"u8);
        else HexJson.WriteQuantity(w, "transactionIndex"u8, (ulong)index);
        HexJson.WriteQuantity(w, "value"u8, tx.Value);
        HexJson.WriteQuantity(w, "type"u8, (ulong)tx.Type);
        if (tx.Type != TxType.Legacy)
        {
            w.WritePropertyName("accessList"u8);
            WriteAccessList(w, tx.AccessList);
        }
        // Legacy transactions carry a chain id only with EIP-155 protection (geth omits it otherwise).
        if (tx.Type != TxType.Legacy || !tx.IsUnprotectedLegacy) HexJson.WriteQuantity(w, "chainId"u8, tx.ChainId);
        HexJson.WriteQuantity(w, "v"u8, tx.V);
        HexJson.WriteQuantity(w, "r"u8, tx.R);
        HexJson.WriteQuantity(w, "s"u8, tx.S);
        if (tx.Type != TxType.Legacy) HexJson.WriteQuantity(w, "yParity"u8, tx.YParity);
        if (tx.Type == TxType.MlDsa)
        {
            HexJson.WriteHash(w, "mlDsaKeyHash"u8, tx.MlDsaKeyHash);
            if (tx.MlDsaKeyEmbedded) HexJson.WriteData(w, "mlDsaPublicKey"u8, tx.MlDsaPublicKey.Span);
            HexJson.WriteData(w, "mlDsaSignature"u8, tx.MlDsaSignature.Span);
        }
        w.WriteEndObject();
    }

    /// <summary>A receipt; <paramref name="firstLogIndex"/> is the block-wide index of its first log.</summary>
    public static void WriteReceipt(Utf8JsonWriter w, in Receipt receipt, Block block, int index, int firstLogIndex)
    {
        w.WriteStartObject();
        HexJson.WriteHash(w, "blockHash"u8, block.Hash);
        HexJson.WriteQuantity(w, "blockNumber"u8, block.Number);
        if (receipt.ContractAddress is { } created) HexJson.WriteAddress(w, "contractAddress"u8, created);
        else w.WriteNull("contractAddress"u8);
        HexJson.WriteQuantity(w, "cumulativeGasUsed"u8, receipt.CumulativeGasUsed);
        HexJson.WriteQuantity(w, "effectiveGasPrice"u8, receipt.EffectiveGasPrice);
        HexJson.WriteAddress(w, "from"u8, receipt.From);
        HexJson.WriteQuantity(w, "gasUsed"u8, receipt.GasUsed);
        w.WritePropertyName("logs"u8);
        w.WriteStartArray();
        for (int i = 0; i < receipt.Logs.Length; i++)
        {
            WriteLog(w, receipt.Logs[i], block, receipt.TransactionHash, index, firstLogIndex + i);
        }
        w.WriteEndArray();
        HexJson.WriteData(w, "logsBloom"u8, receipt.Bloom.Bytes);
        w.WriteString("status"u8, receipt.Success ? "0x1"u8 : "0x0"u8);
        if (receipt.To is { } to) HexJson.WriteAddress(w, "to"u8, to);
        else w.WriteNull("to"u8);
        HexJson.WriteHash(w, "transactionHash"u8, receipt.TransactionHash);
        HexJson.WriteQuantity(w, "transactionIndex"u8, (ulong)index);
        HexJson.WriteQuantity(w, "type"u8, (ulong)receipt.Type);
        w.WriteEndObject();
    }

    public static void WriteLog(Utf8JsonWriter w, LogEntry log, Block block, Hash256 txHash, int txIndex, int logIndex)
    {
        w.WriteStartObject();
        HexJson.WriteAddress(w, "address"u8, log.Address);
        w.WritePropertyName("topics"u8);
        w.WriteStartArray();
        foreach (Hash256 topic in log.Topics) HexJson.WriteHash(w, topic);
        w.WriteEndArray();
        HexJson.WriteData(w, "data"u8, log.Data);
        HexJson.WriteQuantity(w, "blockNumber"u8, block.Number);
        HexJson.WriteHash(w, "transactionHash"u8, txHash);
        HexJson.WriteQuantity(w, "transactionIndex"u8, (ulong)txIndex);
        HexJson.WriteHash(w, "blockHash"u8, block.Hash);
        HexJson.WriteQuantity(w, "logIndex"u8, (ulong)logIndex);
        w.WriteBoolean("removed"u8, false);
        w.WriteEndObject();
    }

    /// <summary>The block-wide index of receipt <paramref name="index"/>'s first log.</summary>
    public static int FirstLogIndex(Receipt[] receipts, int index)
    {
        int first = 0;
        for (int i = 0; i < index; i++) first += receipts[i].Logs.Length;
        return first;
    }

    /// <summary>
    /// Bytes of the block as Ethereum sizes it, rlp([header, transactions, uncles]): typed transactions are embedded as
    /// byte strings of their envelope, legacy ones as their list (EIP-2718).
    /// </summary>
    public static int EncodedSize(Block block)
    {
        int txPayload = 0;
        foreach (Transaction tx in block.Transactions)
        {
            txPayload += tx.Type == TxType.Legacy ? tx.EncodedLength : RlpWriter.LengthOfHeader(tx.EncodedLength) + tx.EncodedLength;
        }
        int payload = BlockHeaderCodec.GetEncodedLength(block.Header) + RlpWriter.LengthOfList(txPayload) + RlpWriter.LengthOfList(0);
        return RlpWriter.LengthOfList(payload);
    }

    private static void WriteAccessList(Utf8JsonWriter w, AccessListEntry[] accessList)
    {
        w.WriteStartArray();
        foreach (AccessListEntry entry in accessList)
        {
            w.WriteStartObject();
            HexJson.WriteAddress(w, "address"u8, entry.Address);
            w.WritePropertyName("storageKeys"u8);
            w.WriteStartArray();
            foreach (Hash256 key in entry.StorageKeys) HexJson.WriteHash(w, key);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
