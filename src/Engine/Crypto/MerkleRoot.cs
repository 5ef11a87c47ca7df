using System.Buffers;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// The binary Merkle root of a list of 32-byte leaves (transaction hashes, receipt hashes), SHA-256 throughout:
/// <code>
/// root(leaves)  = SHA-256( tree(leaves) || uint256_be(count) )           64-byte input
/// tree([])      = 32 zero bytes
/// tree([x])     = x
/// tree(level)   = tree(next(level)),  next = [SHA-256(l0||l1), SHA-256(l2||l3), ..., last]
///                 where an odd last node is promoted to the next level unchanged (never duplicated).
/// </code>
/// Why this shape: promoting instead of duplicating avoids Bitcoin's CVE-2012-2459 (lists [a,b,c] and [a,b,c,c]
/// sharing a root); mixing in the count (as SSZ's mix_in_length does) separates lists whose trees would otherwise
/// coincide ([a,b,c] against [SHA-256(a||b), c]) and gives the empty list a root that no non-empty list has. With the
/// count fixed the tree shape is fixed, so two lists with one root differ only by a SHA-256 collision. The shape is
/// the same as RFC 6962's (split at the largest power of two below n). Every hash input is exactly 64 bytes, the
/// input the SIMD engine hashes fastest.
/// </summary>
public static class MerkleRoot
{
    /// <summary>The root with multi-lane SHA-256 on the calling thread (<see cref="Sha256LaneHasher"/>): a level per batch.</summary>
    public static Hash256 Compute(ReadOnlySpan<Hash256> leaves) => Compute(leaves, default(Sha256LaneHasher));

    public static Hash256 Compute<THasher>(ReadOnlySpan<Hash256> leaves, THasher hasher) where THasher : INodeHasher
    {
        Hash256 top = Tree(leaves, hasher);
        Span<Hash256> final = stackalloc Hash256[2];
        final[0] = top;
        final[1] = Hash256.FromUInt256(new UInt256((ulong)leaves.Length));
        Span<Hash256> root = stackalloc Hash256[1];
        hasher.HashPairs(final, root);
        return root[0];
    }

    private static Hash256 Tree<THasher>(ReadOnlySpan<Hash256> leaves, THasher hasher) where THasher : INodeHasher
    {
        if (leaves.Length == 0) return Hash256.Zero;
        if (leaves.Length == 1) return leaves[0];

        // Two regions used in turn so a level is never written over the level it is read from: level 1 needs
        // ceil(n/2) slots, level 2 ceil(n/4), and every later level fits in the region two levels up.
        int sizeA = (leaves.Length + 1) / 2;
        int sizeB = (sizeA + 1) / 2;
        Hash256[] rented = ArrayPool<Hash256>.Shared.Rent(sizeA + sizeB);
        try
        {
            Span<Hash256> regionA = rented.AsSpan(0, sizeA);
            Span<Hash256> regionB = rented.AsSpan(sizeA, sizeB);
            ReadOnlySpan<Hash256> level = leaves;
            bool intoA = true;
            while (level.Length > 1)
            {
                int pairs = level.Length / 2;
                int odd = level.Length & 1;
                Span<Hash256> next = (intoA ? regionA : regionB)[..(pairs + odd)];
                hasher.HashPairs(level[..(2 * pairs)], next[..pairs]);
                if (odd == 1) next[pairs] = level[^1];
                level = next;
                intoA = !intoA;
            }
            return level[0];
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(rented);
        }
    }
}
