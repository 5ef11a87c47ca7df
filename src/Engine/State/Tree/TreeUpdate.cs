using System.Buffers.Binary;
using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Tree;

/// <summary>One dirty key of a block: its new leaf hash, or zero to delete the key.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct TreeUpdate
{
    public Hash256 Owner;
    public Hash256 Key;
    public Hash256 LeafHash;

    /// <summary>Caller's bookkeeping (which overlay entry this came from).</summary>
    public int Source;
}

/// <summary>Orders updates by tree, then by key (big-endian, the order of tree paths).</summary>
internal readonly struct TreeUpdateOrder : IComparer<TreeUpdate>
{
    /// <summary>
    /// Sorts <paramref name="updates"/> into this order (distinct keys: the result is the one the comparer gives). Moves
    /// 12-byte (prefix, index) pairs instead of 104-byte updates. The updates of one tree are placed by a counting sort
    /// on the top bits of the keys' first 64 bits (one bucket per one or two keys: SHA-256 keys spread evenly), each
    /// bucket is ordered by those 64 bits, and each run of equal prefixes (SHA-256 keys: almost never longer than one)
    /// by the full comparison. For the 100,000 accounts of a 50,000-transfer block, sorting the prefixes took a third
    /// of the time of sorting the structs; placing them by their top bits replaces that comparison sort with two
    /// passes. Updates of several trees (storage) take the plain sort.
    /// </summary>
    public static void Sort(Span<TreeUpdate> updates, ref ulong[] prefixes, ref int[] order, ref TreeUpdate[] scratch)
    {
        int count = updates.Length;
        if (count < 2) return;
        Hash256 owner = updates[0].Owner;
        for (int i = 1; i < count; i++)
        {
            if (updates[i].Owner != owner)
            {
                updates.Sort(new TreeUpdateOrder());
                return;
            }
        }

        if (prefixes.Length < count)
        {
            prefixes = new ulong[count];
            order = new int[count];
            scratch = new TreeUpdate[count];
        }
        PlaceByPrefix(updates, prefixes.AsSpan(0, count), order.AsSpan(0, count));
        for (int i = 0; i < count; i++) scratch[i] = updates[order[i]];

        Span<TreeUpdate> sorted = scratch.AsSpan(0, count);
        for (int start = 0; start < count;)
        {
            int end = start + 1;
            while (end < count && prefixes[end] == prefixes[start]) end++;
            if (end - start > 1) sorted[start..end].Sort(new TreeUpdateOrder());
            start = end;
        }
        sorted.CopyTo(updates);
    }

    /// <summary>
    /// Fills <paramref name="prefixes"/> with the keys' first 64 bits in ascending order and <paramref name="order"/>
    /// with the index of the update each came from: a counting sort on the top bits, then each bucket ordered on its
    /// own. Buckets hold a key or two for hashed keys; a crowded one (keys ground to share their top bits) gets an
    /// O(n log n) sort, so no choice of keys makes this quadratic.
    /// </summary>
    private static void PlaceByPrefix(ReadOnlySpan<TreeUpdate> updates, Span<ulong> prefixes, Span<int> order)
    {
        const int InsertionMax = 16;
        int count = updates.Length;
        int bits = Math.Clamp(System.Numerics.BitOperations.Log2((uint)count), 1, 16);
        int shift = 64 - bits;
        int[] rented = System.Buffers.ArrayPool<int>.Shared.Rent((1 << bits) + 1);
        try
        {
            // next[b] starts as bucket b's first slot and ends as its end (the next bucket's first slot).
            Span<int> next = rented.AsSpan(0, (1 << bits) + 1);
            next.Clear();
            for (int i = 0; i < count; i++) next[(int)(Prefix(updates[i]) >> shift) + 1]++;
            for (int b = 1; b < next.Length; b++) next[b] += next[b - 1];
            for (int i = 0; i < count; i++)
            {
                ulong prefix = Prefix(updates[i]);
                int at = next[(int)(prefix >> shift)]++;
                prefixes[at] = prefix;
                order[at] = i;
            }

            int start = 0;
            for (int b = 0; b < (1 << bits); b++)
            {
                int end = next[b];
                if (end - start > InsertionMax) prefixes[start..end].Sort(order[start..end]);
                else InsertionSort(prefixes[start..end], order[start..end]);
                start = end;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(rented);
        }
    }

    private static void InsertionSort(Span<ulong> prefixes, Span<int> order)
    {
        for (int i = 1; i < prefixes.Length; i++)
        {
            ulong prefix = prefixes[i];
            int index = order[i];
            int j = i - 1;
            while (j >= 0 && prefixes[j] > prefix)
            {
                prefixes[j + 1] = prefixes[j];
                order[j + 1] = order[j];
                j--;
            }
            prefixes[j + 1] = prefix;
            order[j + 1] = index;
        }
    }

    private static ulong Prefix(in TreeUpdate update) => BinaryPrimitives.ReadUInt64BigEndian(update.Key.Bytes);

    public int Compare(TreeUpdate x, TreeUpdate y)
    {
        int owner = CompareBigEndian(x.Owner, y.Owner);
        return owner != 0 ? owner : CompareBigEndian(x.Key, y.Key);
    }

    public static int CompareBigEndian(in Hash256 a, in Hash256 b)
    {
        ReadOnlySpan<byte> x = a.Bytes;
        ReadOnlySpan<byte> y = b.Bytes;
        for (int word = 0; word < 4; word++)
        {
            ulong left = BinaryPrimitives.ReadUInt64BigEndian(x.Slice(word * 8, 8));
            ulong right = BinaryPrimitives.ReadUInt64BigEndian(y.Slice(word * 8, 8));
            if (left != right) return left < right ? -1 : 1;
        }
        return 0;
    }
}
