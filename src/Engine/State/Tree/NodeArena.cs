using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Tree;

/// <summary>A tree node in memory. Children are arena indices or one of <see cref="NodeArena.EmptyRef"/>, <see cref="NodeArena.NotLoadedRef"/>.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct ArenaNode
{
    public Hash256 Hash;
    public Hash256 LeafKey;
    public int Left;
    public int Right;
    public NodeKind Kind;

    /// <summary>Created for the block being sealed: not shared with the committed tree, so it may change in place.</summary>
    public bool Pending;

    /// <summary>Not yet written to FASTER at its position.</summary>
    public bool Dirty;
}

/// <summary>
/// Tree nodes in one growable struct array with a free list: no object per node, no GC work per block. Indices stay
/// valid until freed; a <c>ref</c> into the array does not survive <see cref="Allocate"/> (the array may move).
/// </summary>
internal sealed class NodeArena
{
    /// <summary>An empty subtree.</summary>
    public const int EmptyRef = -1;

    /// <summary>A subtree that is in FASTER and not (yet) in memory; it may turn out empty.</summary>
    public const int NotLoadedRef = -2;

    private ArenaNode[] _nodes;
    private int _count;
    private int[] _free = new int[64];
    private int _freeCount;

    public NodeArena(int initialCapacity) => _nodes = new ArenaNode[Math.Max(initialCapacity, 64)];

    public int LiveCount => _count - _freeCount;

    public ref ArenaNode this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _nodes[index];
    }

    public int Allocate()
    {
        if (_freeCount > 0) return _free[--_freeCount];
        if (_count == _nodes.Length) Array.Resize(ref _nodes, _nodes.Length * 2);
        return _count++;
    }

    public void Free(int index)
    {
        _nodes[index] = default;
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = index;
    }

    /// <summary>The hash a child reference stands for; a not-loaded child here is a bug (callers load children first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Hash256 HashOf(int reference)
    {
        if (reference >= 0) return _nodes[reference].Hash;
        Diagnostics.Invariant.Check(reference == EmptyRef);
        return default;
    }
}
