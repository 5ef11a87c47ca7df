using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Tree;

/// <summary>
/// Positions in a binary tree over 256-bit keys, as one 32-byte value: the first <c>depth</c> bits of the key, then a
/// single 1 bit (the marker) at bit <c>depth</c>, then zeros. Distinct (depth, prefix) pairs give distinct values, so a
/// position is a plain hash-map key.
/// <code>
/// depth 0 (root)   1000 0000 ... 0
/// depth 3, "101"   1011 0000 ... 0        bits 0-2 = prefix, bit 3 = marker
/// </code>
/// Depths 0..255 fit; a leaf would need depth 256 only if two keys shared 255 bits, a SHA-256 near-collision that
/// the tree refuses with a fail-fast check.
/// </summary>
internal static class TreePath
{
    public const int MaxDepth = 255;

    private static readonly Vector256<byte>[] s_prefixMasks = BuildMasks();
    private static readonly Vector256<byte>[] s_markers = BuildMarkers();

    public static Hash256 Root => Unsafe.BitCast<Vector256<byte>, Hash256>(s_markers[0]);

    /// <summary>The position at <paramref name="depth"/> on the path of <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Hash256 At(in Hash256 key, int depth)
    {
        Vector256<byte> k = Unsafe.BitCast<Hash256, Vector256<byte>>(key);
        return Unsafe.BitCast<Vector256<byte>, Hash256>((k & s_prefixMasks[depth]) | s_markers[depth]);
    }

    /// <summary>The child (<paramref name="bit"/> 0 = left) of the position <paramref name="path"/> at <paramref name="depth"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Hash256 Child(in Hash256 path, int depth, int bit)
    {
        Vector256<byte> p = Unsafe.BitCast<Hash256, Vector256<byte>>(path);
        // The parent's marker bit becomes the child's branch bit; the child's marker goes one bit further.
        if (bit == 0) p ^= s_markers[depth];
        return Unsafe.BitCast<Vector256<byte>, Hash256>(p | s_markers[depth + 1]);
    }

    /// <summary>The other child of this position's parent; <paramref name="depth"/> must be at least 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Hash256 Sibling(in Hash256 path, int depth)
    {
        Vector256<byte> p = Unsafe.BitCast<Hash256, Vector256<byte>>(path);
        return Unsafe.BitCast<Vector256<byte>, Hash256>(p ^ s_markers[depth - 1]);
    }

    /// <summary>The depth of a position: the index of its marker, the last 1 bit.</summary>
    public static int DepthOf(in Hash256 path)
    {
        ReadOnlySpan<byte> bytes = path.Bytes;
        for (int word = 3; word >= 0; word--)
        {
            ulong value = BinaryPrimitives.ReadUInt64BigEndian(bytes.Slice(word * 8, 8));
            if (value != 0) return word * 64 + 63 - BitOperations.TrailingZeroCount(value);
        }
        return -1;
    }

    /// <summary>How many leading bits two keys share (256 when equal).</summary>
    public static int CommonPrefixLength(in Hash256 a, in Hash256 b)
    {
        ReadOnlySpan<byte> x = a.Bytes;
        ReadOnlySpan<byte> y = b.Bytes;
        for (int word = 0; word < 4; word++)
        {
            ulong diff = BinaryPrimitives.ReadUInt64BigEndian(x.Slice(word * 8, 8)) ^ BinaryPrimitives.ReadUInt64BigEndian(y.Slice(word * 8, 8));
            if (diff != 0) return word * 64 + BitOperations.LeadingZeroCount(diff);
        }
        return 256;
    }

    private static Vector256<byte>[] BuildMasks()
    {
        var masks = new Vector256<byte>[257];
        Span<byte> bytes = stackalloc byte[32];
        for (int depth = 0; depth <= 256; depth++)
        {
            bytes.Clear();
            for (int bit = 0; bit < depth; bit++) bytes[bit >> 3] |= (byte)(0x80 >> (bit & 7));
            masks[depth] = Vector256.Create<byte>(bytes);
        }
        return masks;
    }

    private static Vector256<byte>[] BuildMarkers()
    {
        var markers = new Vector256<byte>[256];
        Span<byte> bytes = stackalloc byte[32];
        for (int depth = 0; depth < 256; depth++)
        {
            bytes.Clear();
            bytes[depth >> 3] = (byte)(0x80 >> (depth & 7));
            markers[depth] = Vector256.Create<byte>(bytes);
        }
        return markers;
    }
}
