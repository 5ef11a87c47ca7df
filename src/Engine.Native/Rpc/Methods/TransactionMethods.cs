using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.Storage;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>Submitting raw transactions and looking transactions and receipts up.</summary>
internal static class TransactionMethods
{
    /// <summary>
    /// Admits a signed transaction; the result is the Keccak-256 of the raw bytes. Rejections are -32000 with the message
    /// geth gives (clients match "nonce too low", "insufficient funds", "replacement transaction underpriced",
    /// "already known"). Under automine the response waits for the block that includes the transaction, so the
    /// receipt is there when the client first asks. On a validator the answer comes once the pool admitted the
    /// transaction (and it is on its way to the peers); the block is up to consensus.
    /// </summary>
    public static RpcError? SendRawTransaction(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        Blockchain chain = call.Chain;
        TxError error;
        Transaction tx;
        string detail;
        if (call.TryGetPresubmitted(out Presubmission outcome))
        {
            (error, tx, detail) = outcome;
        }
        else
        {
            // Not handed to the ingest pipeline by the processor (the chain was closing under it): admit here, alone.
            args.CheckMax(1);
            byte[] raw = args.Data(0, "transaction");
            if (args.Failed) return args.Error;
            error = chain.SubmitRawTransaction(raw, out tx, out detail);
            call.Node.Metrics.OnSubmitted(error == TxError.None);
            if (error == TxError.None) call.Node.TransactionAdmitted?.Invoke(raw);
        }
        // A full ingest queue is the node's load, not the transaction's fault: -32005, as for other limits, so that a client
        // knows to retry the same transaction.
        if (error == TxError.Busy) return new RpcError(RpcError.LimitExceeded, TxErrorText.Describe(error));
        if (error != TxError.None) return RpcError.Server(Describe(chain, error, tx, detail));
        if (call.Node.Producer.Automine && chain.Pool.PendingNonce(tx.Sender) > tx.Nonce) call.AwaitInclusion.Add(tx.Hash);
        HexJson.WriteHash(result, tx.Hash);
        return null;
    }

    /// <summary>A pooled transaction comes back with null block fields; an unknown hash gives null.</summary>
    public static RpcError? GetTransactionByHash(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        Hash256 hash = args.Hash(0, "hash");
        if (args.Failed) return args.Error;
        // The pool first: a block is indexed before its transactions leave the pool, so one of the two always has it.
        if (call.Chain.Pool.TryGet(hash, out Transaction? pending))
        {
            ChainJson.WriteTransaction(result, pending, null, 0);
            return null;
        }
        if (TryLocate(call.Chain, hash, out Block? block, out _, out int index)) ChainJson.WriteTransaction(result, block.Transactions[index], block, index);
        else result.WriteNullValue();
        return null;
    }

    public static RpcError? GetTransactionByBlockNumberAndIndex(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(2);
        BlockSelector selector = args.RequiredBlock(0, "block");
        ulong index = args.UInt64(1, "index");
        if (args.Failed) return args.Error;
        WriteAt(result, ChainQueries.FindBlock(call.Chain, selector, out _), index);
        return null;
    }

    public static RpcError? GetTransactionByBlockHashAndIndex(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(2);
        Hash256 hash = args.Hash(0, "blockHash");
        ulong index = args.UInt64(1, "index");
        if (args.Failed) return args.Error;
        WriteAt(result, ChainQueries.FindBlock(call.Chain, new BlockSelector(BlockTag.Hash, Hash: hash), out _), index);
        return null;
    }

    /// <summary>Null until the transaction is in a committed block.</summary>
    public static RpcError? GetTransactionReceipt(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        Hash256 hash = args.Hash(0, "hash");
        if (args.Failed) return args.Error;
        if (TryLocate(call.Chain, hash, out Block? block, out Receipt[] receipts, out int index))
            ChainJson.WriteReceipt(result, receipts[index], block, index, ChainJson.FirstLogIndex(receipts, index));
        else
            result.WriteNullValue();
        return null;
    }

    internal static bool TryLocate(Blockchain chain, Hash256 hash, [NotNullWhen(true)] out Block? block, out Receipt[] receipts, out int index)
    {
        block = null;
        receipts = [];
        index = 0;
        if (!chain.Blocks.TryGetTransactionLocation(hash, out TxLocation location)) return false;
        if (!chain.Blocks.TryGetBlock(location.BlockNumber, out block, out receipts)) return false;
        index = location.Index;
        return true;
    }

    /// <summary>geth's wording plus the values behind it where geth gives them.</summary>
    internal static string Describe(Blockchain chain, TxError error, Transaction tx, string detail)
    {
        switch (error)
        {
            case TxError.NonceTooLow:
                return $"{TxErrorText.Describe(error)}: address {tx.Sender}, tx: {tx.Nonce} state: {chain.GetAccount(tx.Sender).Nonce}";
            case TxError.InsufficientFunds:
                Account account = chain.GetAccount(tx.Sender);
                tx.TryGetMaxCost(out UInt256 cost);
                return $"{TxErrorText.Describe(error)}: address {tx.Sender} have {account.Balance} want {cost}";
            default:
                return string.IsNullOrEmpty(detail) ? TxErrorText.Describe(error) : detail;
        }
    }

    private static void WriteAt(Utf8JsonWriter result, Block? block, ulong index)
    {
        if (block is null || index >= (ulong)block.Transactions.Length) result.WriteNullValue();
        else ChainJson.WriteTransaction(result, block.Transactions[(int)index], block, (int)index);
    }
}
