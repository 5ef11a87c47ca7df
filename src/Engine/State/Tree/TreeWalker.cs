using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Tree;

/// <summary>
/// Applies one tree's sorted updates to the pending tree of a <see cref="SparseMerkleForest"/> (the structure: where
/// leaves go, which internal nodes appear or vanish; hashes level by level, per finished subtree during a large walk
/// and for the rest afterwards) and keeps what the walk
/// produced: the nodes it allocated, the committed nodes it superseded, vacated positions and, per depth, the
/// internal nodes whose hashes must be recomputed.
/// </summary>
/// <remarks>
/// The forest has two: one for the plain walk, and one that walks the right half of a large tree's updates on
/// another thread while the first walks the left half (see <see cref="SparseMerkleForest.Update"/>). While two walk at
/// once, both take arena slots in batches under the arena's lock (<see cref="BeginShared"/>).
/// </remarks>
internal sealed class TreeWalker
{
    private const int EmptyRef = NodeArena.EmptyRef;
    private const int NotLoadedRef = NodeArena.NotLoadedRef;

    /// <summary>Slots taken from the arena per lock while sharing it: one lock per thousand nodes costs nothing.</summary>
    private const int ReserveBatch = 1024;

    /// <summary>How many nodes ahead loops over a block's nodes prefetch (enough to cover a DRAM miss per node).</summary>
    private const int PrefetchDistance = 16;

    /// <summary>Updates of one tree from which <see cref="UpdateTree"/> warms paths ahead (below, the tree is small and cached).</summary>
    private const int WarmMinUpdates = 2048;

    /// <summary>
    /// Keys warmed at a time: their paths stay cached until the walk reaches them. Since finished subtrees are hashed
    /// during the walk, smaller batches walked faster on the 1,000,000-account block (alternating blocks in
    /// perf/Benchmarks/BlockProfile.cs): 128 keys with 8 cursors about 10% faster than 512 with 16; 64 and 1,024 slower.
    /// </summary>
    private const int WarmBatch = 128;

    /// <summary>Descents in flight while warming.</summary>
    private const int WarmCursors = 8;

    /// <summary>Node allocations a key costs at most in the common case (path copies below the shared top, a new leaf).</summary>
    private const int WarmAllocationsPerKey = 6;

    /// <summary>
    /// Updates per subtree that <see cref="UpdateTree"/> hashes as soon as its walk leaves it: about a thousand nodes,
    /// still in the core's L2 cache, in levels wide enough to fill the hash lanes. On the 1,000,000-account block,
    /// 128 to 256 walked fastest; 48 and 2,048 were slower (perf/Benchmarks/BlockProfile.cs, alternating blocks).
    /// </summary>
    private const int SubtreeUpdates = 256;

    /// <summary>Depths a warming descent goes to (far below any path of a SHA-256-keyed tree that fits in memory).</summary>
    private const int WarmPathLength = 64;

    /// <summary>Each warming cursor's last path, by depth.</summary>
    private readonly int[] _warmPaths = new int[WarmCursors * WarmPathLength];

    private Hash256[] _pairs = new Hash256[256];
    private Hash256[] _parents = new Hash256[128];
    private int[] _targets = new int[128];

    private readonly NodeArena _arena;
    private readonly INodeSource _source;
    private readonly int[] _stack = new int[TreePath.MaxDepth + 2];
    private readonly int[] _reserved = new int[ReserveBatch];
    private int _reservedNext;
    private int _reservedCount;
    private bool _shared;
    private readonly bool _ownSource;

    /// <param name="ownSource">
    /// <paramref name="source"/> is this walker's alone (its own FASTER session), so it may read nodes while another
    /// walker runs; otherwise a shared walk must find every node in memory.
    /// </param>
    public TreeWalker(NodeArena arena, INodeSource source, bool ownSource)
    {
        _arena = arena;
        _source = source;
        _ownSource = ownSource;
        for (int i = 0; i < Levels.Length; i++) Levels[i] = new List<int>();
    }

    /// <summary>Every node allocated for the pending block (copies, new nodes, nodes read from FASTER).</summary>
    public List<int> Allocated { get; } = new();

    /// <summary>Committed nodes the pending block replaces; freed when it is accepted.</summary>
    public List<int> Superseded { get; } = new();

    /// <summary>Pending nodes the block made and then dropped again (a retired leaf, dissolved internal nodes); freed when it is accepted.</summary>
    public List<int> Emptied { get; } = new();

    /// <summary>Positions the pending block empties (deleted from FASTER at the next flush).</summary>
    public List<NodeKey> Vacated { get; } = new();

    /// <summary>Pending internal nodes by depth, to hash; <see cref="MaxLevel"/> is the deepest non-empty one (or -1).</summary>
    public List<int>[] Levels { get; } = new List<int>[TreePath.MaxDepth + 1];

    public int MaxLevel { get; set; } = -1;

    /// <summary>From now on allocate in batches under the arena's lock: another walker runs at the same time.</summary>
    public void BeginShared()
    {
        Invariant.Check(!_shared);
        _shared = true;
    }

    /// <summary>Back to plain allocation; the slots reserved and not used go back to the arena (single-threaded again).</summary>
    public void EndShared()
    {
        for (int i = _reservedNext; i < _reservedCount; i++) _arena.Free(_reserved[i]);
        _reservedNext = _reservedCount = 0;
        _shared = false;
    }

    /// <summary>
    /// Moves another walker's results into this one (after it finished on its thread): the forest hashes, accepts and
    /// discards through this walker's lists.
    /// </summary>
    public void Absorb(TreeWalker other)
    {
        Allocated.AddRange(other.Allocated);
        Superseded.AddRange(other.Superseded);
        Emptied.AddRange(other.Emptied);
        Vacated.AddRange(other.Vacated);
        for (int depth = 0; depth <= other.MaxLevel; depth++)
        {
            Levels[depth].AddRange(other.Levels[depth]);
            other.Levels[depth].Clear();
        }
        MaxLevel = Math.Max(MaxLevel, other.MaxLevel);
        other.MaxLevel = -1;
        other.Allocated.Clear();
        other.Superseded.Clear();
        other.Emptied.Clear();
        other.Vacated.Clear();
    }

    /// <summary>
    /// Walks <paramref name="updates"/> into the tree at <paramref name="root"/>. With a <paramref name="subtreeHasher"/>
    /// and many updates, each subtree the walk is done with (all its keys passed: the next key parts from it above its
    /// top) has its levels hashed right away, while its nodes are still cached, instead of in a pass over all levels
    /// after the walk, when a large block's nodes (tens of MiB) have long left the caches. Only nodes below the
    /// subtrees' depth are hashed here; the rest wait for <see cref="HashLevels"/>. Returns the hashes computed.
    /// </summary>
    public int UpdateTree(in Hash256 owner, ref int root, ReadOnlySpan<TreeUpdate> updates, INodeHasher? subtreeHasher = null)
    {
        // Sorted keys share their upper paths: after each key, _stack[0 .. internalAbove) holds the pending internal
        // nodes on its path, so the next key, sharing `common` bits, resumes at min(common + 1, internalAbove).
        int internalAbove = 0;
        int hashed = 0;
        // Subtrees of about SubtreeUpdates keys (hashed keys spread evenly); for a half of a split walk, whose keys all
        // lie below one child of the root, they come out twice as large. Their size matters for speed only.
        int subtreeDepth = subtreeHasher is not null && updates.Length >= 2 * SubtreeUpdates
            ? 1 + System.Numerics.BitOperations.Log2((uint)(updates.Length / SubtreeUpdates))
            : int.MaxValue;
        bool warm = updates.Length >= WarmMinUpdates;
        for (int i = 0; i < updates.Length; i++)
        {
            if (warm && i % WarmBatch == 0)
            {
                WarmPaths(root, updates.Slice(i, Math.Min(WarmBatch, updates.Length - i)));
                PrefetchNextAllocations(WarmBatch * WarmAllocationsPerKey);
            }
            ref readonly TreeUpdate update = ref updates[i];
            Hash256 key = update.Key;
            int depth = 0;
            if (i > 0)
            {
                // Ascending and distinct: the keys part at `common`, where the earlier one has a 0.
                int common = TreePath.CommonPrefixLength(updates[i - 1].Key, key);
                Invariant.Check(common < 256 && key.GetBit(common) == 1);
                depth = Math.Min(common + 1, internalAbove);
                // The previous key's subtree at subtreeDepth is complete: no later key reaches below its top.
                if (common < subtreeDepth) hashed += HashLevels(subtreeHasher!, subtreeDepth);
            }

            int current = depth == 0 ? root : Child(_stack[depth - 1], key.GetBit(depth - 1));
            while (current >= 0 && _arena[current].Kind == NodeKind.Internal)
            {
                if (!_arena.IsPending(current))
                {
                    current = CopyInternal(current, owner, key, depth);
                    Link(ref root, key, depth, current);
                }
                _stack[depth] = current;
                current = Child(current, key.GetBit(depth));
                depth++;
                Invariant.Check(depth <= TreePath.MaxDepth);
            }
            Invariant.Check(current != NotLoadedRef);

            bool delete = update.LeafHash.IsZero;
            internalAbove = depth;
            if (current == EmptyRef)
            {
                if (!delete) Link(ref root, key, depth, NewLeaf(key, update.LeafHash));
            }
            else if (_arena[current].LeafKey == key)
            {
                if (delete)
                {
                    internalAbove = RemoveLeaf(owner, ref root, key, depth, current);
                }
                else if (_arena[current].Hash != update.LeafHash)
                {
                    if (_arena.IsPending(current))
                    {
                        _arena[current].Hash = update.LeafHash;
                    }
                    else
                    {
                        Superseded.Add(current);
                        Link(ref root, key, depth, NewLeaf(key, update.LeafHash));
                    }
                }
            }
            else if (!delete)
            {
                internalAbove = Split(ref root, key, update.LeafHash, depth, current);
            }
        }
        return hashed;
    }

    /// <summary>
    /// Hashes the recorded internal nodes from the deepest level up to <paramref name="minDepth"/>, one
    /// <see cref="INodeHasher.HashPairs"/> batch per level, and clears those levels. Returns the hashes computed. The
    /// two walkers of a split walk each hash their own half (depth 1 and below) at the same time; the shared root
    /// (depth 0) is hashed once both are done.
    /// </summary>
    public int HashLevels(INodeHasher hasher, int minDepth)
    {
        int hashed = 0;
        for (int depth = MaxLevel; depth >= minDepth; depth--)
        {
            List<int> level = Levels[depth];
            if (level.Count == 0) continue;
            EnsureScratch(level.Count);

            int count = 0;
            ReadOnlySpan<int> nodes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(level);
            for (int j = 0; j < nodes.Length; j++)
            {
                // Two-stage prefetch: the node PrefetchDistance ahead, and the children of the node half as far ahead
                // (by then its own record has arrived). Measured on the 1,000,000-account block: see NodeArena.Prefetch.
                if (j + PrefetchDistance < nodes.Length) _arena.Prefetch(nodes[j + PrefetchDistance]);
                if (j + PrefetchDistance / 2 < nodes.Length)
                {
                    ref ArenaNode ahead = ref _arena[nodes[j + PrefetchDistance / 2]];
                    if (ahead.Left >= 0) _arena.Prefetch(ahead.Left);
                    if (ahead.Right >= 0) _arena.Prefetch(ahead.Right);
                }
                int node = nodes[j];
                ref ArenaNode entry = ref _arena[node];
                if (entry.Kind != NodeKind.Internal) continue;
                _pairs[2 * count] = _arena.HashOf(entry.Left);
                _pairs[2 * count + 1] = _arena.HashOf(entry.Right);
                _targets[count++] = node;
            }

            hasher.HashPairs(_pairs.AsSpan(0, 2 * count), _parents.AsSpan(0, count));
            for (int i = 0; i < count; i++) _arena[_targets[i]].Hash = _parents[i];
            hashed += count;
            level.Clear();
        }
        if (minDepth == 0) MaxLevel = -1;
        return hashed;
    }

    /// <summary>Drops work buffers grown past what ordinary blocks need (after a large genesis); they regrow on demand.</summary>
    public void TrimExcess(int keep)
    {
        foreach (List<int> level in Levels)
        {
            if (level.Capacity <= keep) continue;
            level.Clear();
            level.TrimExcess();
        }
        if (_pairs.Length > keep) _pairs = new Hash256[256];
        if (_parents.Length > keep) _parents = new Hash256[128];
        if (_targets.Length > keep) _targets = new int[128];
    }

    private void EnsureScratch(int count)
    {
        if (_targets.Length >= count) return;
        int size = Math.Max(count, _targets.Length * 2);
        _pairs = new Hash256[2 * size];
        _parents = new Hash256[size];
        _targets = new int[size];
    }

    /// <summary>
    /// Brings the nodes on the paths of <paramref name="updates"/> into the caches before <see cref="UpdateTree"/> walks
    /// them. That walk is a chain of dependent reads, one DRAM miss per node below the tree's hot top (about four per
    /// key with 1,000,000 accounts). Here <see cref="WarmCursors"/> descents advance in turn, each prefetching its next
    /// node, so their misses overlap. Each cursor takes a run of consecutive keys and resumes every key where it parts
    /// from the cursor's previous one (as the walk does), so the hot top is not walked again per key. Reads only: what
    /// it finds cannot change the update. Stops at nodes not in memory.
    /// </summary>
    private void WarmPaths(int root, ReadOnlySpan<TreeUpdate> updates)
    {
        if (root < 0) return;
        Span<int> nodes = stackalloc int[WarmCursors];
        Span<int> depths = stackalloc int[WarmCursors];
        Span<int> keys = stackalloc int[WarmCursors];
        Span<int> ends = stackalloc int[WarmCursors];
        int perCursor = (updates.Length + WarmCursors - 1) / WarmCursors;
        int active = 0;
        for (int c = 0; c < WarmCursors; c++)
        {
            keys[c] = Math.Min(c * perCursor, updates.Length);
            ends[c] = Math.Min(keys[c] + perCursor, updates.Length);
            (nodes[c], depths[c]) = (root, 0);
            if (keys[c] < ends[c]) active++;
        }
        while (active > 0)
        {
            for (int c = 0; c < WarmCursors; c++)
            {
                int key = keys[c];
                if (key >= ends[c]) continue;
                int depth = depths[c];
                int node = nodes[c];
                Span<int> path = _warmPaths.AsSpan(c * WarmPathLength, WarmPathLength);
                path[depth] = node;
                ref ArenaNode entry = ref _arena[node];
                int child = entry.Kind == NodeKind.Internal && depth + 1 < WarmPathLength
                    ? entry.Child(updates[key].Key.GetBit(depth))
                    : EmptyRef;
                if (child >= 0)
                {
                    _arena.Prefetch(child);
                    (nodes[c], depths[c]) = (child, depth + 1);
                    continue;
                }

                // This key's path is warm: resume the next one where the two keys part (its path up to there is this one's).
                keys[c] = ++key;
                if (key == ends[c])
                {
                    active--;
                    continue;
                }
                int resume = Math.Min(depth, TreePath.CommonPrefixLength(updates[key - 1].Key, updates[key].Key));
                (nodes[c], depths[c]) = (path[resume], resume);
            }
        }
    }

    /// <summary>
    /// Prefetches the slots the next <paramref name="count"/> allocations will take: superseded nodes of earlier blocks,
    /// scattered over the arena, each written whole by its allocation.
    /// </summary>
    private void PrefetchNextAllocations(int count)
    {
        if (!_shared)
        {
            _arena.PrefetchNextAllocations(count);
            return;
        }
        int last = Math.Min(_reservedCount, _reservedNext + count);
        for (int i = _reservedNext; i < last; i++) _arena.Prefetch(_reserved[i]);
    }

    /// <summary>A pending copy of a committed internal node, with both children in memory (phase two needs no positions).</summary>
    public int CopyInternal(int original, in Hash256 owner, in Hash256 key, int depth)
    {
        int copy = Allocate();
        _arena[copy] = _arena[original];
        _arena[copy].Epoch = _arena.PendingEpoch;
        _arena[copy].Dirty = true;
        Superseded.Add(original);
        Record(depth, copy);

        if (_arena[copy].Left == NotLoadedRef || _arena[copy].Right == NotLoadedRef)
        {
            Hash256 path = TreePath.At(key, depth);
            if (_arena[copy].Left == NotLoadedRef)
            {
                int left = Load(NotLoadedRef, new NodeKey(owner, TreePath.Child(path, depth, 0)));
                _arena[copy].Left = left;
            }
            if (_arena[copy].Right == NotLoadedRef)
            {
                int right = Load(NotLoadedRef, new NodeKey(owner, TreePath.Child(path, depth, 1)));
                _arena[copy].Right = right;
            }
        }
        return copy;
    }

    /// <summary>Reads a not-loaded node from FASTER into the arena; other references pass through.</summary>
    public int Load(int reference, in NodeKey key)
    {
        if (reference != NotLoadedRef) return reference;
        // A FASTER session serves one thread: during a shared (two-thread) walk only a walker with its own session reads.
        Invariant.Check(!_shared || _ownSource);
        if (!_source.TryReadNode(key, out NodeEntry entry)) return EmptyRef;
        int node = Allocate();
        _arena[node] = ArenaNode.Committed(entry);
        return node;
    }

    /// <summary>
    /// Another key's leaf sits where this key's path ends: both go down to where the keys part, and the positions in
    /// between become internal nodes (a chain; short, since hashed keys part soon). Returns the new leaves' depth.
    /// </summary>
    private int Split(ref int root, in Hash256 key, in Hash256 leafHash, int depth, int other)
    {
        Hash256 otherKey = _arena[other].LeafKey;
        int common = TreePath.CommonPrefixLength(key, otherKey);
        Invariant.Check(common < TreePath.MaxDepth);

        int moved = MoveLeaf(other);
        for (int d = depth; d <= common; d++)
        {
            int node = NewInternal(d);
            Link(ref root, key, d, node);
            _stack[d] = node;
        }
        int bit = key.GetBit(common);
        SetChild(_stack[common], bit, NewLeaf(key, leafHash));
        SetChild(_stack[common], 1 - bit, moved);
        return common + 1;
    }

    /// <summary>
    /// Removes the leaf at <paramref name="depth"/>. When its sibling is a leaf, that leaf rises to the highest
    /// position whose subtree holds nothing else and the internal nodes it passes dissolve (no chain ends in a leaf).
    /// Returns the depth above which the path is still internal.
    /// </summary>
    private int RemoveLeaf(in Hash256 owner, ref int root, in Hash256 key, int depth, int leaf)
    {
        // A deletion may dissolve nodes up to the root, across the halves of a two-thread walk: those walk alone.
        Invariant.Check(!_shared);
        RetireLeaf(leaf);
        Vacated.Add(new NodeKey(owner, TreePath.At(key, depth)));
        if (depth == 0)
        {
            root = EmptyRef;
            return 0;
        }

        int parent = _stack[depth - 1];
        int bit = key.GetBit(depth - 1);
        SetChild(parent, bit, EmptyRef);
        int sibling = Child(parent, 1 - bit);
        Invariant.Check(sibling >= 0);
        if (_arena[sibling].Kind == NodeKind.Internal) return depth;

        Invariant.Check(_arena[sibling].Kind == NodeKind.Leaf);
        Vacated.Add(new NodeKey(owner, TreePath.At(_arena[sibling].LeafKey, depth)));
        int top = depth - 1;
        while (top > 0 && Child(_stack[top - 1], 1 - key.GetBit(top - 1)) == EmptyRef) top--;
        for (int d = top; d < depth; d++)
        {
            Empty(_stack[d]);
            if (d > top) Vacated.Add(new NodeKey(owner, TreePath.At(key, d)));
        }
        Link(ref root, key, top, MoveLeaf(sibling));
        return top;
    }

    /// <summary>A pending node the block no longer uses: freed when the block is accepted (with all others if it is discarded).</summary>
    private void Empty(int node)
    {
        _arena[node].Kind = NodeKind.Empty;
        Emptied.Add(node);
    }

    private int NewInternal(int depth)
    {
        int node = Allocate();
        _arena[node] = new ArenaNode { Kind = NodeKind.Internal, Left = EmptyRef, Right = EmptyRef, Epoch = _arena.PendingEpoch, Dirty = true };
        Record(depth, node);
        return node;
    }

    private int NewLeaf(in Hash256 key, in Hash256 hash)
    {
        int node = Allocate();
        _arena[node] = new ArenaNode { Kind = NodeKind.Leaf, Hash = hash, LeafKey = key, Left = EmptyRef, Right = EmptyRef, Epoch = _arena.PendingEpoch, Dirty = true };
        return node;
    }

    /// <summary>A leaf that changes position: committed nodes are immutable (and FASTER needs the new position written).</summary>
    private int MoveLeaf(int leaf)
    {
        if (_arena.IsPending(leaf)) return leaf;
        Superseded.Add(leaf);
        return NewLeaf(_arena[leaf].LeafKey, _arena[leaf].Hash);
    }

    private void RetireLeaf(int leaf)
    {
        if (_arena.IsPending(leaf)) Empty(leaf);
        else Superseded.Add(leaf);
    }

    private int Allocate()
    {
        int node;
        if (!_shared)
        {
            node = _arena.Allocate();
        }
        else
        {
            if (_reservedNext == _reservedCount)
            {
                _arena.AllocateMany(_reserved);
                _reservedNext = 0;
                _reservedCount = _reserved.Length;
            }
            node = _reserved[_reservedNext++];
        }
        Allocated.Add(node);
        return node;
    }

    private void Record(int depth, int node)
    {
        Levels[depth].Add(node);
        if (depth > MaxLevel) MaxLevel = depth;
    }

    private int Child(int node, int bit) => _arena[node].Child(bit);

    private void SetChild(int node, int bit, int child) => _arena[node].SetChild(bit, child);

    /// <summary>Puts <paramref name="node"/> at <paramref name="depth"/> on the key's path (under the pending parent on the stack).</summary>
    private void Link(ref int root, in Hash256 key, int depth, int node)
    {
        if (depth == 0) root = node;
        else SetChild(_stack[depth - 1], key.GetBit(depth - 1), node);
    }
}
