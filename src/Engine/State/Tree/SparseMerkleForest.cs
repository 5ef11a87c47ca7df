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
/// <para><b>Threading.</b> Single-threaded for callers; the store serializes every call with one lock. Inside
/// <see cref="Update"/> a large tree's walk may run on two threads (<see cref="TryUpdateTreeInHalves"/>).</para>
/// </remarks>
internal sealed class SparseMerkleForest
{
    private const int EmptyRef = NodeArena.EmptyRef;
    private const int NotLoadedRef = NodeArena.NotLoadedRef;

    private readonly NodeArena _arena;
    private readonly INodeHasher _hasher;
    private readonly INodeSource _source;

    /// <summary>Owner -> root of each tree (zero owner: the account tree). Absent: empty, or not loaded unless all resident.</summary>
    private readonly Dictionary<Hash256, int> _committedRoots = new();
    private readonly Dictionary<Hash256, int> _pendingRoots = new();

    /// <summary>Walks each tree's updates; its lists hold the pending block's nodes (allocated, superseded, to hash).</summary>
    private readonly TreeWalker _walker;

    /// <summary>Walks the right half of a large tree's updates on another thread (see <see cref="Update"/>).</summary>
    private readonly TreeWalker _helper;

    private readonly List<NodeKey> _committedVacated = new();

    /// <summary>The hasher of the two halves of a split walk, one on each thread (the parallel hasher takes one caller).</summary>
    private readonly INodeHasher _halfHasher;

    private readonly bool _helperHasOwnSource;
    private int _hashedThisUpdate;

    /// <summary>True while every node is in memory: a missing tree or child is then empty, with no FASTER read.</summary>
    private bool _allResident;

    /// <param name="helperSource">
    /// A second node source (its own FASTER session) for the walker of a split walk's right half, so that a large update
    /// is split also when nodes must be read from FASTER (after a restart or a trim); without one, only while all
    /// nodes are in memory.
    /// </param>
    public SparseMerkleForest(INodeHasher hasher, INodeSource source, bool allResident, int initialCapacity, INodeSource? helperSource = null)
    {
        _hasher = hasher;
        _halfHasher = hasher is ParallelNodeHasher parallel ? parallel.Inner : hasher;
        _source = source;
        _allResident = allResident;
        _arena = new NodeArena(initialCapacity);
        _walker = new TreeWalker(_arena, source, ownSource: true);
        _helperHasOwnSource = helperSource is not null;
        _helper = new TreeWalker(_arena, helperSource ?? source, ownSource: _helperHasOwnSource);
    }

    /// <summary>Drops per-update work buffers grown past what ordinary blocks need; they regrow on demand.</summary>
    internal void TrimExcess()
    {
        const int Keep = 1 << 16;
        _walker.TrimExcess(Keep);
        _helper.TrimExcess(Keep);
    }

    /// <summary>Nodes in memory (committed and pending).</summary>
    public int NodeCount => _arena.LiveCount;

    /// <summary>Node slots allocated (live, free and not yet used).</summary>
    public int NodeCapacity => _arena.Capacity;

    /// <summary>Memory of the node slots allocated.</summary>
    public long NodeCapacityBytes => _arena.CapacityBytes;

    public bool AllResident => _allResident;

    /// <summary>
    /// A tree with at least this many updates is walked on two threads (see <see cref="TryUpdateTreeInHalves"/>);
    /// below it, handing half to another thread costs more than it saves. Tests lower it to compare both walks.
    /// </summary>
    internal int ParallelWalkThreshold { get; set; } = 4096;

    /// <summary>Whether the last <see cref="Update"/> walked some tree on two threads.</summary>
    internal bool LastWalkWasSplit { get; private set; }

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
                        _arena[parent].SetChild(bit, child);
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
        _arena[node] = ArenaNode.Committed(entry);
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
        LastWalkWasSplit = false;
        _walker.MaxLevel = -1;
        _hashedThisUpdate = 0;
        int start = 0;
        while (start < updates.Length)
        {
            Hash256 owner = updates[start].Owner;
            int end = start + 1;
            while (end < updates.Length && updates[end].Owner == owner) end++;
            if (start > 0) Invariant.Check(TreeUpdateOrder.CompareBigEndian(updates[start - 1].Owner, owner) < 0);

            int root = _pendingRoots.TryGetValue(owner, out int pending) ? pending : CommittedRootRef(owner);
            root = _walker.Load(root, new NodeKey(owner, TreePath.Root));
            if (!TryUpdateTreeInHalves(owner, ref root, updates[start..end])) _hashedThisUpdate += _walker.UpdateTree(owner, ref root, updates[start..end], _halfHasher);
            _pendingRoots[owner] = root;
            start = end;
        }
        long walked = System.Diagnostics.Stopwatch.GetTimestamp();
        LastInternalHashCount = _hashedThisUpdate + _walker.HashLevels(_hasher, 0);
        WalkTicks += walked - begin;
        HashTicks += System.Diagnostics.Stopwatch.GetTimestamp() - walked;
    }

    /// <summary>
    /// Stopwatch ticks <see cref="Update"/> spent on the structure (walk, copies, warming; for a split walk, the calling
    /// thread's walk and its half's hashing), summed until reset.
    /// </summary>
    public long WalkTicks { get; set; }

    /// <summary>Stopwatch ticks <see cref="Update"/> spent hashing the levels (for a split walk, from when the calling thread's half is hashed), summed until reset.</summary>
    public long HashTicks { get; set; }

    /// <summary>Makes the pending trees committed (the block is final).</summary>
    public void AcceptPending()
    {
        // The block's nodes become committed by the epoch moving on; only the ones it dropped again are freed.
        _arena.NextEpoch();
        foreach (int node in _walker.Emptied) _arena.Free(node);
        foreach (int node in _walker.Superseded) _arena.Free(node);
        foreach (KeyValuePair<Hash256, int> pair in _pendingRoots) _committedRoots[pair.Key] = pair.Value;
        _committedVacated.AddRange(_walker.Vacated);
        ClearPending();
    }

    /// <summary>Drops the pending trees; the committed ones are untouched.</summary>
    public void DiscardPending()
    {
        foreach (int node in _walker.Allocated) _arena.Free(node);
        _arena.NextEpoch();
        ClearPending();
    }

    /// <summary>Writes changed committed nodes to FASTER and deletes vacated positions (before a checkpoint or eviction).</summary>
    public void Flush()
    {
        Invariant.Check(_walker.Allocated.Count == 0);
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

    /// <summary>
    /// Walks a large tree's updates on two threads, the keys under the root's left child on this one and those under
    /// its right child on another, when both halves have updates: their walks touch disjoint subtrees (each only its
    /// own child link of the root, which is made pending first). Each thread then hashes its half's levels below the
    /// root; the root is hashed by <see cref="Update"/>'s final pass. The walk and the hashing are most of the root's
    /// cost for a large block, memory-bound, and the block's execution is over by then, so a core is idle.
    /// Not taken (returns false) when the updates delete keys (a deletion can dissolve nodes up to the root, across the
    /// halves), or when nodes may have to be read from FASTER and the second walker has no session of its own; the plain
    /// walk then runs. The tree comes out the same either way: the structure depends only on the keys, and each level's
    /// hashes only on the level below.
    /// </summary>
    private unsafe bool TryUpdateTreeInHalves(in Hash256 owner, ref int root, ReadOnlySpan<TreeUpdate> updates)
    {
        if (updates.Length < ParallelWalkThreshold || (!_allResident && !_helperHasOwnSource) || root < 0 || _arena[root].Kind != NodeKind.Internal) return false;
        for (int i = 0; i < updates.Length; i++)
        {
            if (updates[i].LeafHash.IsZero) return false;
        }

        // Sorted: the keys with a 0 as their first bit come first. Both halves must have updates, or there is nothing to share.
        int split = FirstWithLeadingOne(updates);
        if (split == 0 || split == updates.Length) return false;

        if (!_arena.IsPending(root)) root = _walker.CopyInternal(root, owner, updates[0].Key, 0);
        int sharedRoot = root;
        Hash256 treeOwner = owner;
        _walker.BeginShared();
        _helper.BeginShared();
        fixed (TreeUpdate* first = updates)
        {
            TreeUpdate* right = first + split;
            int rightCount = updates.Length - split;
            int helperHashes = 0;
            Task helper = Task.Run(() =>
            {
                int helperRoot = sharedRoot;
                helperHashes = _helper.UpdateTree(treeOwner, ref helperRoot, new ReadOnlySpan<TreeUpdate>(right, rightCount), _halfHasher);
                Invariant.Check(helperRoot == sharedRoot);
                // Everything below the root on this side is this walk's alone: hash it here, beside the other half.
                helperHashes += _helper.HashLevels(_halfHasher, minDepth: 1);
            });
            try
            {
                _hashedThisUpdate += _walker.UpdateTree(owner, ref root, updates[..split], _halfHasher);
                // This walker's levels hold this half (and other trees' nodes, independent of the other half) below
                // depth 0; the root waits for both halves in Update's final pass.
                _hashedThisUpdate += _walker.HashLevels(_halfHasher, minDepth: 1);
            }
            finally
            {
                // The other walk uses the arena and the pinned updates until it ends, even when this one threw.
                TaskWaits.WaitQuietly(helper);
                _walker.EndShared();
                _helper.EndShared();
                _walker.Absorb(_helper);
            }
            helper.GetAwaiter().GetResult();
            _hashedThisUpdate += helperHashes;
        }
        Invariant.Check(root == sharedRoot);
        LastWalkWasSplit = true;
        return true;
    }

    private static int FirstWithLeadingOne(ReadOnlySpan<TreeUpdate> updates)
    {
        int low = 0;
        int high = updates.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (updates[middle].Key.GetBit(0) == 0) low = middle + 1;
            else high = middle;
        }
        return low;
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
        _walker.Allocated.Clear();
        _walker.Emptied.Clear();
        _walker.Superseded.Clear();
        _pendingRoots.Clear();
        _walker.Vacated.Clear();
    }
}
