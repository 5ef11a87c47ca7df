using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Chain;

/// <summary>The commitments a header makes to a block's body: transactions root, receipts root and logs bloom.</summary>
public static class BlockAssembler
{
    /// <summary>SHA-256 binary Merkle root over the transaction hashes, in block order.</summary>
    public static Hash256 TransactionsRoot(IReadOnlyList<Transaction> transactions)
    {
        if (transactions.Count == 0) return MerkleRoot.Compute([]);
        Hash256[] leaves = new Hash256[transactions.Count];
        for (int i = 0; i < leaves.Length; i++) leaves[i] = transactions[i].Hash;
        return MerkleRoot.Compute(leaves);
    }

    /// <summary>SHA-256 binary Merkle root over the Keccak-256 of each receipt's consensus encoding.</summary>
    public static Hash256 ReceiptsRoot(IReadOnlyList<Receipt> receipts)
    {
        if (receipts.Count == 0) return MerkleRoot.Compute([]);
        Hash256[] leaves = new Hash256[receipts.Count];
        for (int i = 0; i < leaves.Length; i++) leaves[i] = ReceiptCodec.ComputeLeaf(receipts[i]);
        return MerkleRoot.Compute(leaves);
    }

    /// <summary>The union of the receipts' blooms (Yellow Paper 4.3.1).</summary>
    public static LogsBloom Bloom(IReadOnlyList<Receipt> receipts)
    {
        LogsBloom? bloom = null;
        foreach (Receipt receipt in receipts)
        {
            if (receipt.Bloom.IsEmpty) continue;
            bloom ??= new LogsBloom();
            bloom.UnionWith(receipt.Bloom);
        }
        return bloom ?? LogsBloom.Empty;
    }
}
