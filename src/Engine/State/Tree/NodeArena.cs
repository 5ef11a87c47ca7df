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

    /// <summary>
    /// The block generation that created this node; it is pending (created for the block being sealed, not shared with
    /// the committed tree, so it may change in place) while this equals <see cref="NodeArena.PendingEpoch"/>. Accepting a
    /// block moves the epoch on instead of clearing a flag on each of its nodes (half a million for a large block).
    /// Nodes read from FASTER have epoch 0, which is never pending.
    /// </summary>
    public uint Epoch;

    /// <summary>Not yet written to FASTER at its position.</summary>
    public bool Dirty;

    /// <summary>
    /// The left (<paramref name="bit"/> 0) or right child, without a branch: the bits of hashed keys are random, so a
    /// branch here is mispredicted half the time on every step down a path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Child(int bit) => Unsafe.Add(ref Unsafe.AsRef(in Left), bit);

    /// <summary>Sets the left (<paramref name="bit"/> 0) or right child.</summary>
    public void SetChild(int bit, int child) => Unsafe.Add(ref Left, bit) = child;

    /// <summary>A committed node as FASTER holds it, its children not loaded (yet).</summary>
    public static ArenaNode Committed(in NodeEntry entry) => new()
    {
        Kind = entry.Kind,
        Hash = entry.Hash,
        LeafKey = entry.LeafKey,
        Left = NodeArena.NotLoadedRef,
        Right = NodeArena.NotLoadedRef,
    };
}

/// <summary>
/// Tree nodes in fixed-size chunks of a struct array, with a free list: no object per node, no GC work per block.
/// Indices stay valid until freed, and so does a <c>ref</c> to a node (chunks never move).
/// </summary>
/// <remarks>
/// Chunks rather than one array that doubles: with 1,000,000 accounts the tree has about 2 M nodes (160 MiB) and a
/// block's path copies briefly add 0.6 M, so a doubling array would reach 4 M slots (320 MiB), copy the whole tree
/// once, and leave the old array as garbage on the large-object heap, all of it resident.
/// </remarks>
internal sealed class NodeArena
{
    /// <summary>An empty subtree.</summary>
    public const int EmptyRef = -1;

    /// <summary>A subtree that is in FASTER and not (yet) in memory; it may turn out empty.</summary>
    public const int NotLoadedRef = -2;

    /// <summary>Nodes per chunk (5 MiB): large enough that the chunk table stays tiny, small enough to waste little.</summary>
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private ArenaNode[][] _chunks;
    private int _capacity;
    private int _count;
    private int[] _free = new int[64];
    private int _freeCount;
    private readonly Lock _gate = new();

    public NodeArena(int initialCapacity)
    {
        _chunks = new ArenaNode[Math.Max(4, (initialCapacity + ChunkMask) >> ChunkBits)][];
        AddChunk();
    }

    public int LiveCount => _count - _freeCount;

    /// <summary>The epoch of the nodes the pending block creates (see <see cref="ArenaNode.Epoch"/>); never 0.</summary>
    public uint PendingEpoch { get; private set; } = 1;

    /// <summary>Moves the epoch counter (tests of its wrap-around).</summary>
    internal void SetPendingEpoch(uint epoch) => PendingEpoch = epoch;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsPending(int index) => this[index].Epoch == PendingEpoch;

    /// <summary>
    /// Ends the pending block (accepted or discarded): its nodes are no longer pending. When the counter would wrap (after
    /// four billion blocks) every node's epoch is reset to 0 first, so that no old node could look pending again.
    /// </summary>
    public void NextEpoch()
    {
        if (PendingEpoch == uint.MaxValue)
        {
            for (int i = 0; i < _count; i++) this[i].Epoch = 0;
            PendingEpoch = 0;
        }
        PendingEpoch++;
    }

    public int Capacity => _capacity;

    /// <summary>Memory of the slots allocated (live, free and not yet used).</summary>
    public long CapacityBytes => (long)_capacity * Unsafe.SizeOf<ArenaNode>();

    public ref ArenaNode this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _chunks[index >> ChunkBits][index & ChunkMask];
    }

    public int Allocate()
    {
        if (_freeCount > 0) return _free[--_freeCount];
        if (_count == _capacity) AddChunk();
        return _count++;
    }

    /// <summary>
    /// Fills <paramref name="slots"/> with allocated slots under a lock: for walkers that allocate on two threads at
    /// once (each takes a batch per lock, so the lock costs nothing per node). While any thread may call this, no
    /// thread may call <see cref="Allocate"/> or <see cref="Free"/>. Reading nodes meanwhile is safe: chunks never move,
    /// and a grown chunk table holds the same chunks as the old one.
    /// </summary>
    public void AllocateMany(Span<int> slots)
    {
        lock (_gate)
        {
            for (int i = 0; i < slots.Length; i++) slots[i] = Allocate();
        }
    }

    /// <summary>
    /// Puts a slot on the free list without clearing it: every allocation writes the whole node (a block frees some
    /// 500,000 superseded nodes, and clearing each is a cache miss for nothing).
    /// </summary>
    public void Free(int index)
    {
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = index;
    }

    /// <summary>
    /// Asks the CPU to start loading a node into its caches (a hint; nothing on CPUs without it). Loops over many nodes
    /// call it some iterations ahead: the tree of a large state is far bigger than the caches, so nearly every node a
    /// block visits is a miss, and overlapping the misses is worth more than anything done per node.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int index)
    {
        // SAFETY: a prefetch never faults and changes nothing; the address only has to be computed, and the chunk stays
        // reachable for the duration of the call.
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported) System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref this[index]));
    }

    /// <summary>
    /// Prefetches the slots the next <paramref name="count"/> allocations will hand out (the free list's top): they are
    /// superseded nodes of earlier blocks, scattered over the arena, and each allocation writes a whole node.
    /// </summary>
    public void PrefetchNextAllocations(int count)
    {
        int last = Math.Max(0, _freeCount - count);
        for (int i = _freeCount - 1; i >= last; i--) Prefetch(_free[i]);
    }

    /// <summary>The hash a child reference stands for; a not-loaded child here is a bug (callers load children first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Hash256 HashOf(int reference)
    {
        if (reference >= 0) return this[reference].Hash;
        Diagnostics.Invariant.Check(reference == EmptyRef);
        return default;
    }

    private void AddChunk()
    {
        int chunk = _capacity >> ChunkBits;
        if (chunk == _chunks.Length) Array.Resize(ref _chunks, _chunks.Length * 2);
        _chunks[chunk] = new ArenaNode[ChunkSize];
        _capacity += ChunkSize;
    }
}
