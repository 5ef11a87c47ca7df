using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Tree;

/// <summary>
/// The account tree and every storage tree (see <see cref="StateCommitment"/> for the hashes), updated once per block
/// from the sorted dirty keys: first the structure (where leaves go, which internal nodes appear or vanish), then the
/// hashes, one tree level at a time, each level one <see cref="INodeHasher.HashPairs"/> batch over all trees.
/// </summary>
/// <remarks>
/// <para><b>Memory.</b> Nodes are structs in a <see cref="NodeArena"/> linked by index, a write-back cache of the nodes
/// FASTER holds by position (owner, <see cref="TreePath"/>). A block's update copies the nodes it changes (path
/// copying) and shares the rest, so the committed tree stays intact next to the pending one: accepting is a swap of
/// roots, discarding frees the copies, and proofs keep reading the committed tree meanwhile. Walking child links costs
/// a fraction of hash-map probes on 64-byte keys (measured: the probes cost 4x the hashing itself).</para>
/// <para><b>Persistence.</b> Changed nodes are written to FASTER at <see cref="Flush"/> (before a checkpoint, or when
/// <see cref="Trim"/> bounds memory); positions that became empty are deleted. A child not in memory is
/// <see cref="NodeArena.NotLoadedRef"/> and read from FASTER when a block walks through it.</para>
/// <para><b>Threading.</b> Single-threaded; the store serializes every call with one lock.</para>
/// </remarks>
internal sealed class SparseMerkleForest
{
    private const int EmptyRef = NodeArena.EmptyRef;
    private const int NotLoadedRef = NodeArena.NotLoadedRef;

    /// <summary>How many nodes ahead loops over a block's nodes prefetch (enough to cover a DRAM miss per node).</summary>
    private const int PrefetchDistance = 16;

    /// <summary>Updates of one tree from which <see cref="UpdateTree"/> warms paths ahead (below, the tree is small and cached).</summary>
    private const int WarmMinUpdates = 4096;

    /// <summary>Keys warmed at a time: their paths (a few hundred KiB) stay cached until the walk reaches them.</summary>
    private const int WarmBatch = 512;

    /// <summary>Descents in flight while warming.</summary>
    private const int WarmCursors = 16;

    /// <summary>Node allocations a key costs at most in the common case (path copies below the shared top, a new leaf).</summary>
    private const int WarmAllocationsPerKey = 6;

    /// <summary>Depths a warming descent goes to (far below any path of a SHA-256-keyed tree that fits in memory).</summary>
    private const int WarmPathLength = 64;

    /// <summary>Each warming cursor's last path, by depth.</summary>
    private readonly int[] _warmPaths = new int[WarmCursors * WarmPathLength];

    private readonly NodeArena _arena;
    private readonly INodeHasher _hasher;
    private readonly INodeSource _source;

    /// <summary>Owner -> root of each tree (zero owner: the account tree). Absent: empty, or not loaded unless all resident.</summary>
    private readonly Dictionary<Hash256, int> _committedRoots = new();
    private readonly Dictionary<Hash256, int> _pendingRoots = new();

    /// <summary>Every node allocated for the pending block (copies, new nodes, nodes read from FASTER).</summary>
    private readonly List<int> _allocated = new();

    /// <summary>Committed nodes the pending block replaces; freed when it is accepted.</summary>
    private readonly List<int> _superseded = new();

    private readonly List<NodeKey> _pendingVacated = new();
    private readonly List<NodeKey> _committedVacated = new();
    private readonly List<int>[] _levels = new List<int>[TreePath.MaxDepth + 1];
    private readonly int[] _stack = new int[TreePath.MaxDepth + 2];
    private Hash256[] _pairs = new Hash256[256];
    private Hash256[] _parents = new Hash256[128];
    private int[] _targets = new int[128];
    private int _maxLevel = -1;

    /// <summary>True while every node is in memory: a missing tree or child is then empty, with no FASTER read.</summary>
    private bool _allResident;

    public SparseMerkleForest(INodeHasher hasher, INodeSource source, bool allResident, int initialCapacity)
    {
        _hasher = hasher;
        _source = source;
        _allResident = allResident;
        _arena = new NodeArena(initialCapacity);
        for (int i = 0; i < _levels.Length; i++) _levels[i] = new List<int>();
    }

    /// <summary>Drops per-update work buffers grown past what ordinary blocks need; they regrow on demand.</summary>
    internal void TrimExcess()
    {
        const int Keep = 1 << 16;
        foreach (List<int> level in _levels)
        {
            if (level.Capacity <= Keep) continue;
            level.Clear();
            level.TrimExcess();
        }
        if (_pairs.Length > Keep) _pairs = new Hash256[256];
        if (_parents.Length > Keep) _parents = new Hash256[128];
        if (_targets.Length > Keep) _targets = new int[128];
    }

    /// <summary>Nodes in memory (committed and pending).</summary>
    public int NodeCount => _arena.LiveCount;

    /// <summary>Node slots allocated (live, free and not yet used).</summary>
    public int NodeCapacity => _arena.Capacity;

    public bool AllResident => _allResident;

    /// <summary>Stopwatch ticks <see cref="Update"/> spent on the structure (walk, copies, warming), summed until reset.</summary>
    public long WalkTicks { get; set; }

    /// <summary>Stopwatch ticks <see cref="Update"/> spent hashing the levels, summed until reset.</summary>
    public long HashTicks { get; set; }

    /// <summary>Internal-node hashes computed by the last <see cref="Update"/>.</summary>
    public int LastInternalHashCount { get; private set; }

    /// <summary>After recovery the nodes are in FASTER, not in memory: read them through on demand (or <see cref="LoadAccountTree"/>).</summary>
    public void ForgetResidency()
    {
        Invariant.Check(_committedRoots.Count == 0 && _pendingRoots.Count == 0);
        _allResident = false;
    }

    /// <summary>
    /// After recovery: reads the account tree from FASTER into memory, one level at a time with each level's reads in
    /// batches (<see cref="INodeSource.ReadNodes"/>: the reads that go to disk overlap), until the next level would
    /// pass <paramref name="nodeLimit"/> nodes; deeper nodes stay not loaded and are read when a block walks through
    /// them. Without this the first blocks after a restart read their paths node by node, one disk read at a time
    /// (the tree store keeps little in memory): with 1,000,000 accounts, seconds per block for many blocks.
    /// Storage trees are read on demand as before. Returns the nodes loaded.
    /// </summary>
    public int LoadAccountTree(int nodeLimit)
    {
        Invariant.Check(_committedRoots.Count == 0 && _pendingRoots.Count == 0 && !_allResident);
        if (!_source.TryReadNode(new NodeKey(Hash256.Zero, TreePath.Root), out NodeEntry rootEntry)) return 0;
        int root = AllocateCommitted(rootEntry);
        _committedRoots[Hash256.Zero] = root;
        int loaded = 1;

        const int Batch = 1 << 16;
        var keys = new NodeKey[Batch];
        var entries = new NodeEntry[Batch];
        var frontier = new List<(int Node, Hash256 Path)>();
        var next = new List<(int Node, Hash256 Path)>();
        if (rootEntry.Kind == NodeKind.Internal) frontier.Add((root, TreePath.Root));
        for (int depth = 0; frontier.Count > 0 && loaded + 2L * frontier.Count <= nodeLimit; depth++)
        {
            Invariant.Check(depth < TreePath.MaxDepth);
            next.Clear();
            for (int start = 0; start < frontier.Count; start += Batch / 2)
            {
                int parents = Math.Min(Batch / 2, frontier.Count - start);
                for (int i = 0; i < parents; i++)
                {
                    Hash256 path = frontier[start + i].Path;
                    keys[2 * i] = new NodeKey(Hash256.Zero, TreePath.Child(path, depth, 0));
                    keys[2 * i + 1] = new NodeKey(Hash256.Zero, TreePath.Child(path, depth, 1));
                }
                _source.ReadNodes(keys.AsSpan(0, 2 * parents), entries.AsSpan(0, 2 * parents));
                for (int i = 0; i < parents; i++)
                {
                    int parent = frontier[start + i].Node;
                    for (int bit = 0; bit < 2; bit++)
                    {
                        ref NodeEntry entry = ref entries[2 * i + bit];
                        int child = EmptyRef;
                        if (entry.Kind != NodeKind.Empty)
                        {
                            child = AllocateCommitted(entry);
                            loaded++;
                            if (entry.Kind == NodeKind.Internal) next.Add((child, keys[2 * i + bit].Path));
                        }
                        SetChild(parent, bit, child);
                    }
                }
            }
            (frontier, next) = (next, frontier);
        }
        return loaded;
    }

    /// <summary>A committed node read from FASTER, its children not loaded (yet).</summary>
    private int AllocateCommitted(in NodeEntry entry)
    {
        int node = _arena.Allocate();
        _arena[node] = new ArenaNode { Kind = entry.Kind, Hash = entry.Hash, LeafKey = entry.LeafKey, Left = NotLoadedRef, Right = NotLoadedRef };
        return node;
    }

    /// <summary>The root of a tree including pending changes (zero when empty).</summary>
    public Hash256 PendingRoot(in Hash256 owner)
    {
        if (_pendingRoots.TryGetValue(owner, out int root)) return _arena.HashOf(root);
        return CommittedRoot(owner);
    }

    /// <summary>The committed root of a tree (zero when empty).</summary>
    public Hash256 CommittedRoot(in Hash256 owner)
    {
        int root = CommittedRootRef(owner);
        return root == NotLoadedRef ? ReadNode(new NodeKey(owner, TreePath.Root), _source).Hash : _arena.HashOf(root);
    }

    /// <summary>
    /// Applies one block's changes to the pending trees. <paramref name="updates"/> is sorted by
    /// <see cref="TreeUpdateOrder"/> with no key twice; a zero <see cref="TreeUpdate.LeafHash"/> deletes the key.
    /// </summary>
    public void Update(ReadOnlySpan<TreeUpdate> updates)
    {
        long begin = System.Diagnostics.Stopwatch.GetTimestamp();
        _maxLevel = -1;
        int start = 0;
        while (start < updates.Length)
        {
            Hash256 owner = updates[start].Owner;
            int end = start + 1;
            while (end < updates.Length && updates[end].Owner == owner) end++;
            if (start > 0) Invariant.Check(TreeUpdateOrder.CompareBigEndian(updates[start - 1].Owner, owner) < 0);

            int root = _pendingRoots.TryGetValue(owner, out int pending) ? pending : CommittedRootRef(owner);
            root = Load(root, new NodeKey(owner, TreePath.Root));
            UpdateTree(owner, ref root, updates[start..end]);
            _pendingRoots[owner] = root;
            start = end;
        }
        long walked = System.Diagnostics.Stopwatch.GetTimestamp();
        HashLevels();
        WalkTicks += walked - begin;
        HashTicks += System.Diagnostics.Stopwatch.GetTimestamp() - walked;
    }

    /// <summary>Makes the pending trees committed (the block is final).</summary>
    public void AcceptPending()
    {
        ReadOnlySpan<int> allocated = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_allocated);
        for (int j = 0; j < allocated.Length; j++)
        {
            if (j + PrefetchDistance < allocated.Length) _arena.Prefetch(allocated[j + PrefetchDistance]);
            int node = allocated[j];
            if (_arena[node].Kind == NodeKind.Empty) _arena.Free(node);
            else _arena[node].Pending = false;
        }
        foreach (int node in _superseded) _arena.Free(node);
        foreach (KeyValuePair<Hash256, int> pair in _pendingRoots) _committedRoots[pair.Key] = pair.Value;
        _committedVacated.AddRange(_pendingVacated);
        ClearPending();
    }

    /// <summary>Drops the pending trees; the committed ones are untouched.</summary>
    public void DiscardPending()
    {
        foreach (int node in _allocated) _arena.Free(node);
        ClearPending();
    }

    /// <summary>Writes changed committed nodes to FASTER and deletes vacated positions (before a checkpoint or eviction).</summary>
    public void Flush()
    {
        Invariant.Check(_allocated.Count == 0);
        foreach (NodeKey vacated in _committedVacated) _source.DeleteNode(vacated);
        _committedVacated.Clear();
        foreach (KeyValuePair<Hash256, int> pair in _committedRoots)
        {
            if (pair.Value >= 0) FlushNode(pair.Key, pair.Value, TreePath.Root, 0);

            // Once FASTER has the deletions, an empty tree needs no entry to mask its old nodes.
            else if (pair.Value == EmptyRef) _committedRoots.Remove(pair.Key);
        }
    }

    /// <summary>
    /// Bounds memory: past <paramref name="capacity"/> nodes (or as many vacated positions), writes changes to FASTER;
    /// past the capacity still, drops the storage trees and the account tree below the depth that fits half of it.
    /// Dropped nodes are read back from FASTER when a block walks through them.
    /// </summary>
    public void Trim(int capacity)
    {
        if (_arena.LiveCount <= capacity && _committedVacated.Count <= capacity / 4) return;
        Flush();
        if (_arena.LiveCount <= capacity) return;

        int keepDepth = Math.Max(1, System.Numerics.BitOperations.Log2((uint)capacity / 2) - 1);
        int accountRoot = EmptyRef;
        foreach (KeyValuePair<Hash256, int> pair in _committedRoots)
        {
            if (pair.Key.IsZero) accountRoot = pair.Value;
            else FreeSubtree(pair.Value);
        }
        _committedRoots.Clear();
        if (accountRoot >= 0)
        {
            TruncateBelow(accountRoot, 0, keepDepth);
            _committedRoots[Hash256.Zero] = accountRoot;
        }
        _allResident = false;
    }

    /// <summary>
    /// Walks the committed tree along <paramref name="key"/>: appends the sibling hash at each internal node (top
    /// down) and returns what the path ends at (an empty position or a leaf, possibly another key's).
    /// </summary>
    public NodeEntry ProveCommitted(in Hash256 owner, in Hash256 key, INodeSource source, List<Hash256> siblings)
    {
        int current = CommittedRootRef(owner);
        for (int depth = 0; ; depth++)
        {
            Hash256 path = TreePath.At(key, depth);
            NodeEntry node = Peek(current, new NodeKey(owner, path), source, out int left, out int right);
            if (node.Kind != NodeKind.Internal) return node;
            Invariant.Check(depth < TreePath.MaxDepth);
            int bit = key.GetBit(depth);
            int sibling = bit == 0 ? right : left;
            siblings.Add(Peek(sibling, new NodeKey(owner, TreePath.Child(path, depth, 1 - bit)), source, out _, out _).Hash);
            current = bit == 0 ? left : right;
        }
    }

    private void UpdateTree(in Hash256 owner, ref int root, ReadOnlySpan<TreeUpdate> updates)
    {
        // Sorted keys share their upper paths: after each key, _stack[0 .. internalAbove) holds the pending internal
        // nodes on its path, so the next key, sharing `common` bits, resumes at min(common + 1, internalAbove).
        int internalAbove = 0;
        bool warm = updates.Length >= WarmMinUpdates;
        for (int i = 0; i < updates.Length; i++)
        {
            if (warm && i % WarmBatch == 0)
            {
                WarmPaths(root, updates.Slice(i, Math.Min(WarmBatch, updates.Length - i)));
                _arena.PrefetchNextAllocations(WarmBatch * WarmAllocationsPerKey);
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
            }

            int current = depth == 0 ? root : Child(_stack[depth - 1], key.GetBit(depth - 1));
            while (current >= 0 && _arena[current].Kind == NodeKind.Internal)
            {
                if (!_arena[current].Pending)
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
                    if (_arena[current].Pending)
                    {
                        _arena[current].Hash = update.LeafHash;
                    }
                    else
                    {
                        _superseded.Add(current);
                        Link(ref root, key, depth, NewLeaf(key, update.LeafHash));
                    }
                }
            }
            else if (!delete)
            {
                internalAbove = Split(ref root, key, update.LeafHash, depth, current);
            }
        }
    }

    /// <summary>
    /// Brings the nodes on the paths of <paramref name="updates"/> into the caches before <see cref="UpdateTree"/> walks
    /// them. That walk is a chain of dependent reads, one DRAM miss per node below the tree's hot top (about four per
    /// key with 1,000,000 accounts). Here <see cref="WarmCursors"/> descents advance in turn, each prefetching its next
    /// node, so their misses overlap. Each cursor takes a run of consecutive keys and resumes every key where it parts
    /// from the cursor's previous one (as the walk does), so the hot top is not walked again per key. Reads only: what
    /// it finds cannot change the update.
    /// </summary>
    private void WarmPaths(int root, ReadOnlySpan<TreeUpdate> updates)
    {
        if (root < 0) return;
        Span<int> nodes = stackalloc int[WarmCursors];
        Span<int> depths = stackalloc int[WarmCursors];
        Span<int> keys = stackalloc int[WarmCursors];
        Span<int> ends = stackalloc int[WarmCursors];
        Span<int> reached = stackalloc int[WarmCursors];
        int[] paths = _warmPaths;
        int perCursor = (updates.Length + WarmCursors - 1) / WarmCursors;
        int active = 0;
        for (int c = 0; c < WarmCursors; c++)
        {
            keys[c] = Math.Min(c * perCursor, updates.Length);
            ends[c] = Math.Min(keys[c] + perCursor, updates.Length);
            (nodes[c], depths[c], reached[c]) = (root, 0, 0);
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
                Span<int> path = paths.AsSpan(c * WarmPathLength, WarmPathLength);
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
        RetireLeaf(leaf);
        _pendingVacated.Add(new NodeKey(owner, TreePath.At(key, depth)));
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
        _pendingVacated.Add(new NodeKey(owner, TreePath.At(_arena[sibling].LeafKey, depth)));
        int top = depth - 1;
        while (top > 0 && Child(_stack[top - 1], 1 - key.GetBit(top - 1)) == EmptyRef) top--;
        for (int d = top; d < depth; d++)
        {
            _arena[_stack[d]].Kind = NodeKind.Empty;
            if (d > top) _pendingVacated.Add(new NodeKey(owner, TreePath.At(key, d)));
        }
        Link(ref root, key, top, MoveLeaf(sibling));
        return top;
    }

    private void HashLevels()
    {
        int hashed = 0;
        for (int depth = _maxLevel; depth >= 0; depth--)
        {
            List<int> level = _levels[depth];
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

            _hasher.HashPairs(_pairs.AsSpan(0, 2 * count), _parents.AsSpan(0, count));
            for (int i = 0; i < count; i++) _arena[_targets[i]].Hash = _parents[i];
            hashed += count;
            level.Clear();
        }
        _maxLevel = -1;
        LastInternalHashCount = hashed;
    }

    /// <summary>A pending copy of a committed internal node, with both children in memory (phase two needs no positions).</summary>
    private int CopyInternal(int original, in Hash256 owner, in Hash256 key, int depth)
    {
        int copy = Allocate();
        _arena[copy] = _arena[original];
        _arena[copy].Pending = true;
        _arena[copy].Dirty = true;
        _superseded.Add(original);
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

    private int NewInternal(int depth)
    {
        int node = Allocate();
        _arena[node] = new ArenaNode { Kind = NodeKind.Internal, Left = EmptyRef, Right = EmptyRef, Pending = true, Dirty = true };
        Record(depth, node);
        return node;
    }

    private int NewLeaf(in Hash256 key, in Hash256 hash)
    {
        int node = Allocate();
        _arena[node] = new ArenaNode { Kind = NodeKind.Leaf, Hash = hash, LeafKey = key, Left = EmptyRef, Right = EmptyRef, Pending = true, Dirty = true };
        return node;
    }

    /// <summary>A leaf that changes position: committed nodes are immutable (and FASTER needs the new position written).</summary>
    private int MoveLeaf(int leaf)
    {
        if (_arena[leaf].Pending) return leaf;
        _superseded.Add(leaf);
        return NewLeaf(_arena[leaf].LeafKey, _arena[leaf].Hash);
    }

    private void RetireLeaf(int leaf)
    {
        if (_arena[leaf].Pending) _arena[leaf].Kind = NodeKind.Empty;
        else _superseded.Add(leaf);
    }

    /// <summary>Reads a not-loaded node from FASTER into the arena; other references pass through.</summary>
    private int Load(int reference, in NodeKey key)
    {
        if (reference != NotLoadedRef) return reference;
        if (!_source.TryReadNode(key, out NodeEntry entry)) return EmptyRef;
        int node = Allocate();
        _arena[node] = new ArenaNode { Kind = entry.Kind, Hash = entry.Hash, LeafKey = entry.LeafKey, Left = NotLoadedRef, Right = NotLoadedRef };
        return node;
    }

    private int Allocate()
    {
        int node = _arena.Allocate();
        _allocated.Add(node);
        return node;
    }

    private void Record(int depth, int node)
    {
        _levels[depth].Add(node);
        if (depth > _maxLevel) _maxLevel = depth;
    }

    private int Child(int node, int bit) => _arena[node].Child(bit);

    private void SetChild(int node, int bit, int child)
    {
        if (bit == 0) _arena[node].Left = child;
        else _arena[node].Right = child;
    }

    /// <summary>Puts <paramref name="node"/> at <paramref name="depth"/> on the key's path (under the pending parent on the stack).</summary>
    private void Link(ref int root, in Hash256 key, int depth, int node)
    {
        if (depth == 0) root = node;
        else SetChild(_stack[depth - 1], key.GetBit(depth - 1), node);
    }

    private int CommittedRootRef(in Hash256 owner)
    {
        if (_committedRoots.TryGetValue(owner, out int root)) return root;
        return _allResident ? EmptyRef : NotLoadedRef;
    }

    /// <summary>What a reference stands for, reading FASTER (without caching: proofs must not change the arena) when not loaded.</summary>
    private NodeEntry Peek(int reference, in NodeKey key, INodeSource source, out int left, out int right)
    {
        if (reference >= 0)
        {
            ref ArenaNode node = ref _arena[reference];
            left = node.Left;
            right = node.Right;
            return new NodeEntry { Hash = node.Hash, LeafKey = node.LeafKey, Kind = node.Kind };
        }
        left = right = NotLoadedRef;
        return reference == EmptyRef ? default : ReadNode(key, source);
    }

    private static NodeEntry ReadNode(in NodeKey key, INodeSource source) => source.TryReadNode(key, out NodeEntry entry) ? entry : default;

    private void FlushNode(in Hash256 owner, int node, in Hash256 path, int depth)
    {
        ref ArenaNode entry = ref _arena[node];
        if (!entry.Dirty) return;
        entry.Dirty = false;
        _source.WriteNode(new NodeKey(owner, path), new NodeEntry { Hash = entry.Hash, LeafKey = entry.LeafKey, Kind = entry.Kind });
        if (entry.Kind != NodeKind.Internal) return;
        int left = entry.Left;
        int right = entry.Right;
        if (left >= 0) FlushNode(owner, left, TreePath.Child(path, depth, 0), depth + 1);
        if (right >= 0) FlushNode(owner, right, TreePath.Child(path, depth, 1), depth + 1);
    }

    private void FreeSubtree(int node)
    {
        if (node < 0) return;
        if (_arena[node].Kind == NodeKind.Internal)
        {
            FreeSubtree(_arena[node].Left);
            FreeSubtree(_arena[node].Right);
        }
        _arena.Free(node);
    }

    private void TruncateBelow(int node, int depth, int keepDepth)
    {
        if (node < 0 || _arena[node].Kind != NodeKind.Internal) return;
        if (depth + 1 > keepDepth)
        {
            FreeSubtree(_arena[node].Left);
            FreeSubtree(_arena[node].Right);
            _arena[node].Left = NotLoadedRef;
            _arena[node].Right = NotLoadedRef;
            return;
        }
        TruncateBelow(_arena[node].Left, depth + 1, keepDepth);
        TruncateBelow(_arena[node].Right, depth + 1, keepDepth);
    }

    private void ClearPending()
    {
        _allocated.Clear();
        _superseded.Clear();
        _pendingRoots.Clear();
        _pendingVacated.Clear();
    }

    private void EnsureScratch(int count)
    {
        if (_targets.Length >= count) return;
        int size = Math.Max(count, _targets.Length * 2);
        _pairs = new Hash256[2 * size];
        _parents = new Hash256[size];
        _targets = new int[size];
    }
}
