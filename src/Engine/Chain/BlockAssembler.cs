using System.Buffers;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Chain;

/// <summary>The commitments a header makes to a block's body: transactions root, receipts root and logs bloom.</summary>
/// <remarks>Leaves go to pooled arrays: a 10,000-transaction block's 320 KB of leaves would otherwise land on the
/// large-object heap twice per block.</remarks>
public static class BlockAssembler
{
    /// <summary>SHA-256 binary Merkle root over the transaction hashes, in block order.</summary>
    public static Hash256 TransactionsRoot(IReadOnlyList<Transaction> transactions)
    {
        if (transactions.Count == 0) return MerkleRoot.Compute([]);
        Hash256[] leaves = ArrayPool<Hash256>.Shared.Rent(transactions.Count);
        try
        {
            for (int i = 0; i < transactions.Count; i++) leaves[i] = transactions[i].Hash;
            return MerkleRoot.Compute(leaves.AsSpan(0, transactions.Count));
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(leaves);
        }
    }

    /// <summary>SHA-256 binary Merkle root over the Keccak-256 of each receipt's consensus encoding.</summary>
    public static Hash256 ReceiptsRoot(IReadOnlyList<Receipt> receipts)
    {
        if (receipts.Count == 0) return MerkleRoot.Compute([]);
        Hash256[] leaves = ArrayPool<Hash256>.Shared.Rent(receipts.Count);
        try
        {
            for (int i = 0; i < receipts.Count; i++) leaves[i] = ReceiptCodec.ComputeLeaf(receipts[i]);
            return MerkleRoot.Compute(leaves.AsSpan(0, receipts.Count));
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(leaves);
        }
    }

    /// <summary>The union of the receipts' blooms (Yellow Paper 4.3.1).</summary>
    public static LogsBloom Bloom(IReadOnlyList<Receipt> receipts)
    {
        LogsBloom? bloom = null;
        for (int i = 0; i < receipts.Count; i++)
        {
            LogsBloom own = receipts[i].Bloom;
            if (ReferenceEquals(own, LogsBloom.Empty) || own.IsEmpty) continue;
            bloom ??= new LogsBloom();
            bloom.UnionWith(own);
        }
        return bloom ?? LogsBloom.Empty;
    }
}
