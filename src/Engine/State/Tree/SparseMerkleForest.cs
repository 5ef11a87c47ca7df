using System.Runtime.InteropServices;
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
/// <para>Nodes live in two maps. <c>committed</c> is a write-back cache of the nodes in FASTER (all of them while the
/// tree fits, see <see cref="Trim"/>); <c>pending</c> holds what the block being sealed changes. A sealed block is thus
/// only a small map on the side: <see cref="AcceptPending"/> merges it, <see cref="DiscardPending"/> drops it, and
/// proofs read the committed map meanwhile.</para>
/// <para>Threading: <see cref="Update"/>, <see cref="AcceptPending"/>, <see cref="DiscardPending"/>,
/// <see cref="Flush"/> and <see cref="Trim"/> run on the state thread only. <see cref="ProveCommitted"/> may run on
/// other threads; the caller serializes it with the methods that write the committed map (merge, flush, trim).</para>
/// </remarks>
internal sealed class SparseMerkleForest
{
    private readonly Dictionary<NodeKey, NodeEntry> _committed;
    private readonly Dictionary<NodeKey, NodeEntry> _pending = new();
    private readonly INodeHasher _hasher;
    private readonly INodeSource _source;
    private readonly List<NodeKey>[] _levels = new List<NodeKey>[TreePath.MaxDepth + 1];
    private Hash256[] _pairs = new Hash256[256];
    private Hash256[] _parents = new Hash256[128];
    private NodeKey[] _targets = new NodeKey[128];

    /// <summary>True while every node is in <c>committed</c>: a miss then means empty, with no FASTER read.</summary>
    private bool _allResident;

    public SparseMerkleForest(INodeHasher hasher, INodeSource source, bool allResident, int initialCapacity)
    {
        _hasher = hasher;
        _source = source;
        _allResident = allResident;
        _committed = new Dictionary<NodeKey, NodeEntry>(initialCapacity);
        for (int i = 0; i < _levels.Length; i++) _levels[i] = new List<NodeKey>();
    }

    public int CommittedCount => _committed.Count;

    public int PendingCount => _pending.Count;

    public bool AllResident => _allResident;

    /// <summary>After recovery the nodes are in FASTER, not in memory: read them through on demand.</summary>
    public void ForgetResidency()
    {
        Invariant.Check(_committed.Count == 0 && _pending.Count == 0);
        _allResident = false;
    }

    /// <summary>Hashes computed by the last <see cref="Update"/> (diagnostics and benchmarks).</summary>
    public int LastInternalHashCount { get; private set; }

    /// <summary>The root of a tree including pending changes.</summary>
    public Hash256 PendingRoot(in Hash256 owner) => Get(new NodeKey(owner, TreePath.Root)).Hash;

    /// <summary>
    /// Applies one block's changes into the pending map. <paramref name="updates"/> is sorted by
    /// <see cref="TreeUpdateOrder"/> with no key twice; a zero <see cref="TreeUpdate.LeafHash"/> deletes the key.
    /// </summary>
    public void Update(ReadOnlySpan<TreeUpdate> updates)
    {
        int maxLevel = -1;
        bool havePrevious = false;
        Hash256 previousOwner = default;
        Hash256 previousKey = default;

        // Sorted keys share their upper paths. After each key: positions on its path above depth `internalAbove` are
        // internal nodes, and those above `recordedAbove` are already in the level lists. The next key shares the
        // first `common` bits, so it can start its descent and its recording at min(common + 1, that depth).
        int internalAbove = 0;
        int recordedAbove = 0;

        for (int i = 0; i < updates.Length; i++)
        {
            ref readonly TreeUpdate update = ref updates[i];
            int start = 0;
            int recordFrom = 0;
            if (havePrevious && update.Owner == previousOwner)
            {
                Invariant.Check(TreeUpdateOrder.CompareBigEndian(previousKey, update.Key) < 0);
                int common = TreePath.CommonPrefixLength(previousKey, update.Key);
                start = Math.Min(common + 1, internalAbove);
                recordFrom = Math.Min(common + 1, recordedAbove);
            }
            else if (havePrevious)
            {
                Invariant.Check(TreeUpdateOrder.CompareBigEndian(previousOwner, update.Owner) < 0);
            }

            int depth = start;
            NodeKey position;
            NodeEntry node;
            while (true)
            {
                position = new NodeKey(update.Owner, TreePath.At(update.Key, depth));
                node = Get(position);
                if (node.Kind != NodeKind.Internal) break;
                depth++;
                Invariant.Check(depth <= TreePath.MaxDepth);
            }

            bool delete = update.LeafHash.IsZero;
            int changedDepth = -1;
            int nextInternalAbove = depth;
            if (node.Kind == NodeKind.Empty)
            {
                if (!delete)
                {
                    Set(position, NodeEntry.Leaf(update.Key, update.LeafHash));
                    changedDepth = depth;
                }
            }
            else if (node.LeafKey == update.Key)
            {
                if (delete)
                {
                    nextInternalAbove = RemoveLeaf(update.Owner, update.Key, depth);
                    changedDepth = depth;
                }
                else if (node.Hash != update.LeafHash)
                {
                    Set(position, NodeEntry.Leaf(update.Key, update.LeafHash));
                    changedDepth = depth;
                }
            }
            else if (!delete)
            {
                // Another key's leaf sits where this key's path ends: both move down to where they part, and the
                // positions in between become internal nodes (chains are rare: hashed keys part soon).
                Hash256 otherKey = node.LeafKey;
                int common = TreePath.CommonPrefixLength(update.Key, otherKey);
                Invariant.Check(common < TreePath.MaxDepth);
                for (int d = depth; d <= common; d++) Set(new NodeKey(update.Owner, TreePath.At(update.Key, d)), NodeEntry.Internal(default));
                Set(new NodeKey(update.Owner, TreePath.At(otherKey, common + 1)), NodeEntry.Leaf(otherKey, node.Hash));
                Set(new NodeKey(update.Owner, TreePath.At(update.Key, common + 1)), NodeEntry.Leaf(update.Key, update.LeafHash));
                changedDepth = common + 1;
                nextInternalAbove = common + 1;
            }

            if (changedDepth >= 0)
            {
                for (int d = recordFrom; d < changedDepth; d++) Record(d, new NodeKey(update.Owner, TreePath.At(update.Key, d)));
                maxLevel = Math.Max(maxLevel, changedDepth - 1);
                recordedAbove = changedDepth;
            }
            else
            {
                recordedAbove = recordFrom;
            }

            internalAbove = nextInternalAbove;
            previousOwner = update.Owner;
            previousKey = update.Key;
            havePrevious = true;
        }

        HashLevels(maxLevel);
    }

    /// <summary>Makes the pending changes committed (the block is final).</summary>
    public void AcceptPending()
    {
        foreach (KeyValuePair<NodeKey, NodeEntry> pair in _pending) _committed[pair.Key] = pair.Value;
        _pending.Clear();
    }

    public void DiscardPending() => _pending.Clear();

    /// <summary>Writes every changed committed node to FASTER (before a checkpoint or an eviction).</summary>
    public void Flush()
    {
        Invariant.Check(_pending.Count == 0);
        foreach (KeyValuePair<NodeKey, NodeEntry> pair in _committed)
        {
            if (!pair.Value.Dirty) continue;
            if (pair.Value.Kind == NodeKind.Empty)
            {
                _source.DeleteNode(pair.Key);
                _committed.Remove(pair.Key);
            }
            else
            {
                _source.WriteNode(pair.Key, pair.Value);
                CollectionsMarshal.GetValueRefOrNullRef(_committed, pair.Key).Dirty = false;
            }
        }
    }

    /// <summary>
    /// Bounds the node cache: past <paramref name="capacity"/> nodes, writes changes back, then drops the deepest
    /// levels until at most half the capacity remains (the upper levels are touched by every block).
    /// </summary>
    public void Trim(int capacity)
    {
        if (_committed.Count <= capacity) return;
        Flush();
        if (_committed.Count <= capacity) return;

        Span<int> perDepth = stackalloc int[TreePath.MaxDepth + 1];
        perDepth.Clear();
        foreach (KeyValuePair<NodeKey, NodeEntry> pair in _committed) perDepth[TreePath.DepthOf(pair.Key.Path)]++;
        int keep = capacity / 2;
        int cutoff = -1;
        int kept = 0;
        while (cutoff < TreePath.MaxDepth && kept + perDepth[cutoff + 1] <= keep)
        {
            cutoff++;
            kept += perDepth[cutoff];
        }
        foreach (KeyValuePair<NodeKey, NodeEntry> pair in _committed)
        {
            if (TreePath.DepthOf(pair.Key.Path) > cutoff) _committed.Remove(pair.Key);
        }
        _allResident = false;
    }

    /// <summary>
    /// Walks the committed tree along <paramref name="key"/>: appends the sibling hash at each internal node (top
    /// down) and returns what the path ends at (an empty position or a leaf, possibly another key's).
    /// </summary>
    public NodeEntry ProveCommitted(in Hash256 owner, in Hash256 key, INodeSource source, List<Hash256> siblings)
    {
        for (int depth = 0; ; depth++)
        {
            Hash256 path = TreePath.At(key, depth);
            NodeEntry node = GetCommitted(new NodeKey(owner, path), source);
            if (node.Kind != NodeKind.Internal) return node;
            Invariant.Check(depth < TreePath.MaxDepth);
            Hash256 sibling = TreePath.Child(path, depth, 1 - key.GetBit(depth));
            siblings.Add(GetCommitted(new NodeKey(owner, sibling), source).Hash);
        }
    }

    /// <summary>Committed root of a tree (zero when empty).</summary>
    public Hash256 CommittedRoot(in Hash256 owner, INodeSource source) => GetCommitted(new NodeKey(owner, TreePath.Root), source).Hash;

    private NodeEntry GetCommitted(in NodeKey key, INodeSource source)
    {
        if (_committed.TryGetValue(key, out NodeEntry entry)) return entry;
        if (_allResident) return default;
        return source.TryReadNode(key, out entry) ? entry : default;
    }

    /// <summary>Removes the leaf at <paramref name="depth"/> and lifts a lone sibling leaf; returns the depth above which the path stays internal.</summary>
    private int RemoveLeaf(in Hash256 owner, in Hash256 key, int depth)
    {
        Hash256 path = TreePath.At(key, depth);
        Set(new NodeKey(owner, path), default);
        if (depth == 0) return 0;

        var siblingPosition = new NodeKey(owner, TreePath.Sibling(path, depth));
        NodeEntry sibling = Get(siblingPosition);
        if (sibling.Kind == NodeKind.Internal) return depth;

        // The parent had two keys below it and now has one: that leaf rises to the highest position whose subtree
        // holds nothing else, dissolving the single-child internal nodes on the way (no chains end in a leaf).
        Invariant.Check(sibling.Kind == NodeKind.Leaf);
        Set(siblingPosition, default);
        int up = depth - 1;
        while (up > 0)
        {
            Hash256 upPath = TreePath.At(key, up);
            if (Get(new NodeKey(owner, TreePath.Sibling(upPath, up))).Kind != NodeKind.Empty) break;
            Set(new NodeKey(owner, upPath), default);
            up--;
        }
        Set(new NodeKey(owner, TreePath.At(key, up)), NodeEntry.Leaf(sibling.LeafKey, sibling.Hash));
        return up;
    }

    private void Record(int depth, in NodeKey position)
    {
        List<NodeKey> level = _levels[depth];
        if (level.Count > 0 && level[^1].Equals(position)) return;
        level.Add(position);
    }

    private void HashLevels(int maxLevel)
    {
        int hashed = 0;
        for (int depth = maxLevel; depth >= 0; depth--)
        {
            List<NodeKey> level = _levels[depth];
            if (level.Count == 0) continue;
            EnsureScratch(level.Count);

            int count = 0;
            foreach (NodeKey position in CollectionsMarshal.AsSpan(level))
            {
                // A recorded position may since have dissolved (a deletion lifted a leaf over it): skip it.
                if (Get(position).Kind != NodeKind.Internal) continue;
                _pairs[2 * count] = Get(new NodeKey(position.Owner, TreePath.Child(position.Path, depth, 0))).Hash;
                _pairs[2 * count + 1] = Get(new NodeKey(position.Owner, TreePath.Child(position.Path, depth, 1))).Hash;
                _targets[count++] = position;
            }

            _hasher.HashPairs(_pairs.AsSpan(0, 2 * count), _parents.AsSpan(0, count));
            for (int i = 0; i < count; i++) Set(_targets[i], NodeEntry.Internal(_parents[i]));
            hashed += count;
            level.Clear();
        }
        LastInternalHashCount = hashed;
    }

    private NodeEntry Get(in NodeKey key)
    {
        if (_pending.TryGetValue(key, out NodeEntry entry)) return entry;
        if (_committed.TryGetValue(key, out entry)) return entry;
        if (_allResident) return default;

        // Read through to FASTER; the copy lands in pending (clean) and joins the committed cache on accept, so the
        // committed map is never written outside AcceptPending/Flush/Trim.
        if (!_source.TryReadNode(key, out entry)) entry = default;
        entry.Dirty = false;
        _pending[key] = entry;
        return entry;
    }

    private void Set(in NodeKey key, NodeEntry entry)
    {
        entry.Dirty = true;
        _pending[key] = entry;
    }

    private void EnsureScratch(int count)
    {
        if (_targets.Length >= count) return;
        int size = Math.Max(count, _targets.Length * 2);
        _pairs = new Hash256[2 * size];
        _parents = new Hash256[size];
        _targets = new NodeKey[size];
    }
}
