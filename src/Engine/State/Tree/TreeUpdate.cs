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
