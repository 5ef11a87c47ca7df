using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>Resolving block parameters against the chain, with geth's answers for what cannot be served.</summary>
internal static class ChainQueries
{
    /// <summary>The block a selector names, or null when there is none (unknown hash, number beyond the head).</summary>
    public static Block? FindBlock(Blockchain chain, BlockSelector selector, out Receipt[] receipts)
    {
        receipts = [];
        ulong number;
        switch (selector.Tag)
        {
            case BlockTag.Earliest:
                number = 0;
                break;
            case BlockTag.Number:
                number = selector.Number;
                break;
            case BlockTag.Hash:
                if (!chain.Blocks.TryGetNumber(selector.Hash, out number)) return null;
                break;
            default:
                Block head = chain.Head;
                number = head.Number;
                break;
        }
        return chain.Blocks.TryGetBlock(number, out Block? block, out receipts) ? block : null;
    }

    /// <summary>
    /// Null when <paramref name="selector"/> names <paramref name="head"/>, whose state was read; otherwise the error.
    /// The store keeps only the latest state, so an older block gets geth's non-archive answer rather than a wrong value.
    /// </summary>
    public static RpcError? CheckStateAt(Blockchain chain, BlockSelector selector, Block head)
    {
        if (selector.IsHeadAlias) return null;
        ulong number;
        if (selector.Tag == BlockTag.Earliest)
        {
            number = 0;
        }
        else if (selector.Tag == BlockTag.Hash)
        {
            if (!chain.Blocks.TryGetNumber(selector.Hash, out number)) return RpcError.Server($"header for hash {selector.Hash} not found");
        }
        else
        {
            number = selector.Number;
        }
        if (number == head.Number) return null;
        if (number > head.Number) return RpcError.Server($"header not found: block {number} is beyond the head (block {head.Number})");
        return RpcError.Server(
            $"missing trie node: this node keeps only the latest state (block {head.Number}), not the state of block {number}");
    }
}
