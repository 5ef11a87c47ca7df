using System.Text.Json;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>Blocks by number, tag or hash; null for a block that does not exist.</summary>
internal static class BlockMethods
{
    public static RpcError? GetBlockByNumber(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(2);
        BlockSelector selector = args.RequiredBlock(0, "block");
        bool full = args.Bool(1, "fullTransactions", false);
        if (args.Failed) return args.Error;
        WriteBlock(result, ChainQueries.FindBlock(call.Chain, selector, out _), full);
        return null;
    }

    public static RpcError? GetBlockByHash(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(2);
        Hash256 hash = args.Hash(0, "blockHash");
        bool full = args.Bool(1, "fullTransactions", false);
        if (args.Failed) return args.Error;
        WriteBlock(result, ChainQueries.FindBlock(call.Chain, new BlockSelector(BlockTag.Hash, Hash: hash), out _), full);
        return null;
    }

    public static RpcError? GetBlockTransactionCountByNumber(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        BlockSelector selector = args.RequiredBlock(0, "block");
        if (args.Failed) return args.Error;
        WriteCount(result, ChainQueries.FindBlock(call.Chain, selector, out _));
        return null;
    }

    public static RpcError? GetBlockTransactionCountByHash(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        Hash256 hash = args.Hash(0, "blockHash");
        if (args.Failed) return args.Error;
        WriteCount(result, ChainQueries.FindBlock(call.Chain, new BlockSelector(BlockTag.Hash, Hash: hash), out _));
        return null;
    }

    /// <summary>All receipts of a block, in order (eth_getBlockReceipts); null for an unknown block.</summary>
    public static RpcError? GetBlockReceipts(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        BlockSelector selector = args.RequiredBlock(0, "block");
        if (args.Failed) return args.Error;
        Block? block = ChainQueries.FindBlock(call.Chain, selector, out Receipt[] receipts);
        if (block is null)
        {
            result.WriteNullValue();
            return null;
        }
        result.WriteStartArray();
        int firstLog = 0;
        for (int i = 0; i < receipts.Length; i++)
        {
            ChainJson.WriteReceipt(result, receipts[i], block, i, firstLog);
            firstLog += receipts[i].Logs.Length;
        }
        result.WriteEndArray();
        return null;
    }

    private static void WriteBlock(Utf8JsonWriter result, Block? block, bool full)
    {
        if (block is null) result.WriteNullValue();
        else ChainJson.WriteBlock(result, block, full);
    }

    private static void WriteCount(Utf8JsonWriter result, Block? block)
    {
        if (block is null) result.WriteNullValue();
        else HexJson.WriteQuantity(result, (ulong)block.Transactions.Length);
    }
}
