using System.Buffers;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Lanes;
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

    /// <summary>
    /// SHA-256 binary Merkle root over the Keccak-256 of each receipt's consensus encoding. The encodings are written
    /// side by side into one pooled buffer and their leaf hashes computed as one multi-lane batch
    /// (<see cref="Keccak256Lanes.HashMany(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{int}, Span{Hash256})"/>):
    /// a transfer's receipt is about 270 bytes, two permutations, so 10,000 receipts are 20,000 permutations that the
    /// lanes run 8 at a time.
    /// </summary>
    public static Hash256 ReceiptsRoot(IReadOnlyList<Receipt> receipts)
    {
        int count = receipts.Count;
        if (count == 0) return MerkleRoot.Compute([]);
        Hash256[] leaves = ArrayPool<Hash256>.Shared.Rent(count);
        int[] offsets = ArrayPool<int>.Shared.Rent(count);
        int[] lengths = ArrayPool<int>.Shared.Rent(count);
        byte[]? encodings = null;
        try
        {
            int total = 0;
            for (int i = 0; i < count; i++)
            {
                lengths[i] = ReceiptCodec.GetConsensusLength(receipts[i]);
                offsets[i] = total;
                total = checked(total + lengths[i]);
            }
            encodings = ArrayPool<byte>.Shared.Rent(total);
            for (int i = 0; i < count; i++) ReceiptCodec.WriteConsensus(receipts[i], encodings.AsSpan(offsets[i], lengths[i]));
            Keccak256Lanes.HashMany(encodings.AsSpan(0, total), offsets.AsSpan(0, count), lengths.AsSpan(0, count), leaves.AsSpan(0, count));
            return MerkleRoot.Compute(leaves.AsSpan(0, count));
        }
        finally
        {
            if (encodings is not null) ArrayPool<byte>.Shared.Return(encodings);
            ArrayPool<int>.Shared.Return(lengths);
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<Hash256>.Shared.Return(leaves);
        }
    }

    /// <summary>
    /// SHA-256 binary Merkle root over the Keccak-256 of each evidence entry's encoding
    /// (<see cref="DuplicateVoteEvidence.Encode"/>), in block order; zero for a block without evidence, whose header then
    /// leaves the field out (<see cref="BlockHeader.EvidenceRoot"/>).
    /// </summary>
    public static Hash256 EvidenceRoot(IReadOnlyList<DuplicateVoteEvidence> evidence)
    {
        if (evidence.Count == 0) return Hash256.Zero;
        var leaves = new Hash256[evidence.Count];
        for (int i = 0; i < leaves.Length; i++) leaves[i] = Keccak256.Compute(evidence[i].Encode());
        return MerkleRoot.Compute(leaves);
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
