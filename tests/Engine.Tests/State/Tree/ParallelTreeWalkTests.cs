using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.State.Persistence;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.Tests.State.Tree;

/// <summary>
/// The two-thread walk of a large tree's updates against the plain walk: two forests get the same blocks, one with the
/// split threshold lowered so that small test blocks take it, one that never splits; their roots must agree.
/// </summary>
public sealed class ParallelTreeWalkTests : IDisposable
{
    private readonly StateDatabase _database = StateDatabase.OpenTemporary(new StateStoreOptions { IndexSizeBytes = 1L << 16, LogMemoryBytes = 1L << 20, LogPageBytes = 1L << 14 });
    private readonly StateSession _session;
    private readonly SparseMerkleForest _split;
    private readonly SparseMerkleForest _plain;
    private readonly Dictionary<(Hash256 Owner, Hash256 Key), Hash256> _model = new();

    public ParallelTreeWalkTests()
    {
        _session = _database.NewSession();
        // Every node stays in memory (all resident): the session is never read, and the tests never flush.
        _split = new SparseMerkleForest(new Sha256NodeHasher(), _session, allResident: true, initialCapacity: 64) { ParallelWalkThreshold = 2 };
        _plain = new SparseMerkleForest(new Sha256NodeHasher(), _session, allResident: true, initialCapacity: 64) { ParallelWalkThreshold = int.MaxValue };
    }

    public void Dispose()
    {
        _session.Dispose();
        _database.Dispose();
    }

    private static readonly Hash256 StorageOwner = ReferenceState.Sha256([0xEE]);

    private static Hash256 Hashed(int i) => ReferenceState.Sha256([(byte)i, (byte)(i >> 8), (byte)(i >> 16), 0x11]);

    private static Hash256 Leaf(int i) => ReferenceState.Sha256([(byte)i, (byte)(i >> 8), (byte)(i >> 16), 0x77]);

    /// <summary>A key with the given first byte, the rest <paramref name="fill"/>, and optionally one bit flipped.</summary>
    private static Hash256 Key(byte first, byte fill, int flipBit = -1)
    {
        byte[] bytes = new byte[32];
        Array.Fill(bytes, fill);
        bytes[0] = first;
        if (flipBit >= 0) bytes[flipBit / 8] ^= (byte)(0x80 >> (flipBit % 8));
        return new Hash256(bytes);
    }

    /// <summary>Applies one block to both forests and checks they agree; returns whether the split walk was taken.</summary>
    private bool Apply(IEnumerable<(Hash256 Owner, Hash256 Key, Hash256 Leaf)> changes)
    {
        var updates = changes.Select(c => new TreeUpdate { Owner = c.Owner, Key = c.Key, LeafHash = c.Leaf }).ToArray();
        ulong[] prefixes = [];
        int[] order = [];
        TreeUpdate[] scratch = [];
        TreeUpdateOrder.Sort(updates, ref prefixes, ref order, ref scratch);

        _split.Update(updates);
        bool wasSplit = _split.LastWalkWasSplit;
        _plain.Update(updates);
        Assert.False(_plain.LastWalkWasSplit);
        foreach (TreeUpdate update in updates)
        {
            Assert.Equal(_plain.PendingRoot(update.Owner), _split.PendingRoot(update.Owner));
            if (update.LeafHash.IsZero) _model.Remove((update.Owner, update.Key));
            else _model[(update.Owner, update.Key)] = update.LeafHash;
        }
        Assert.Equal(_plain.LastInternalHashCount, _split.LastInternalHashCount);
        _split.AcceptPending();
        _plain.AcceptPending();
        Assert.Equal(_plain.NodeCount, _split.NodeCount);
        return wasSplit;
    }

    private void AssertMatchesReference(Hash256 owner)
    {
        var leaves = _model.Where(p => p.Key.Owner == owner).Select(p => (p.Key.Key, p.Value)).ToList();
        Assert.Equal(ReferenceState.TreeRoot(leaves), _split.CommittedRoot(owner));
    }

    [Fact]
    public void Random_blocks_of_inserts_and_updates_give_the_plain_walks_roots()
    {
        var random = new Random(7);
        var pool = Enumerable.Range(0, 3000).Select(Hashed).ToList();
        Assert.False(Apply(pool.Take(1500).Select((k, i) => (Hash256.Zero, k, Leaf(i)))));  // empty tree: nothing to split
        for (int round = 0; round < 12; round++)
        {
            var block = pool.OrderBy(_ => random.Next()).Take(random.Next(100, 1200))
                .Select(k => (Hash256.Zero, k, Leaf(random.Next(1 << 20)))).ToList();
            Assert.True(Apply(block));
        }
        AssertMatchesReference(Hash256.Zero);
    }

    [Fact]
    public void Several_trees_in_one_block_each_split_on_their_own()
    {
        Apply(Enumerable.Range(0, 600).Select(i => (i % 2 == 0 ? Hash256.Zero : StorageOwner, Hashed(i), Leaf(i))));
        Assert.True(Apply(Enumerable.Range(300, 900).Select(i => (i % 2 == 0 ? Hash256.Zero : StorageOwner, Hashed(i), Leaf(i + 5)))));
        AssertMatchesReference(Hash256.Zero);
        AssertMatchesReference(StorageOwner);
    }

    [Fact]
    public void Updates_all_on_one_side_or_a_single_update_take_the_plain_walk()
    {
        var keys = Enumerable.Range(0, 800).Select(Hashed).ToList();
        Apply(keys.Select((k, i) => (Hash256.Zero, k, Leaf(i))));
        Assert.False(Apply(keys.Where(k => k.GetBit(0) == 0).Select((k, i) => (Hash256.Zero, k, Leaf(i + 1000)))));
        Assert.False(Apply(keys.Where(k => k.GetBit(0) == 1).Select((k, i) => (Hash256.Zero, k, Leaf(i + 2000)))));
        Assert.False(Apply([(Hash256.Zero, keys[5], Leaf(3))]));
        Assert.True(Apply([(Hash256.Zero, keys.First(k => k.GetBit(0) == 0), Leaf(4)), (Hash256.Zero, keys.First(k => k.GetBit(0) == 1), Leaf(5))]));
        AssertMatchesReference(Hash256.Zero);
    }

    [Fact]
    public void Keys_sharing_long_prefixes_on_both_sides_build_the_same_chains()
    {
        var random = new Random(11);
        Apply([(Hash256.Zero, Key(0x00, 0x55), Leaf(1)), (Hash256.Zero, Key(0x80, 0x55), Leaf(2))]);
        for (int round = 0; round < 6; round++)
        {
            var block = new List<(Hash256, Hash256, Hash256)>();
            foreach (int bit in Enumerable.Range(0, 30).Select(_ => 1 + random.Next(254)).Distinct())
            {
                block.Add((Hash256.Zero, Key(0x00, 0x55, bit), Leaf(random.Next(1 << 20))));
                block.Add((Hash256.Zero, Key(0x80, 0x55, bit), Leaf(random.Next(1 << 20))));
            }
            Assert.True(Apply(block.DistinctBy(c => c.Item2)));
        }
        AssertMatchesReference(Hash256.Zero);
    }

    [Fact]
    public void Blocks_with_deletions_take_the_plain_walk_and_agree()
    {
        var keys = Enumerable.Range(0, 1000).Select(Hashed).ToList();
        Apply(keys.Select((k, i) => (Hash256.Zero, k, Leaf(i))));
        Assert.False(Apply(keys.Take(400).Select((k, i) => (Hash256.Zero, k, i % 4 == 0 ? default : Leaf(i + 7)))));
        Assert.True(Apply(keys.Skip(200).Select((k, i) => (Hash256.Zero, k, Leaf(i + 9)))));
        Assert.False(Apply(keys.Select(k => (Hash256.Zero, k, default(Hash256)))));
        Assert.Equal(Hash256.Zero, _split.CommittedRoot(Hash256.Zero));
    }

    [Fact]
    public void A_discarded_split_walk_frees_every_node_it_took()
    {
        var keys = Enumerable.Range(0, 2000).Select(Hashed).ToList();
        Apply(keys.Take(1000).Select((k, i) => (Hash256.Zero, k, Leaf(i))));
        Hash256 before = _split.CommittedRoot(Hash256.Zero);
        int nodes = _split.NodeCount;

        var updates = keys.Skip(500).Select((k, i) => new TreeUpdate { Key = k, LeafHash = Leaf(i + 3) }).ToArray();
        updates.AsSpan().Sort(new TreeUpdateOrder());
        _split.Update(updates);
        Assert.True(_split.LastWalkWasSplit);
        Assert.NotEqual(before, _split.PendingRoot(Hash256.Zero));
        _split.DiscardPending();

        Assert.Equal(before, _split.CommittedRoot(Hash256.Zero));
        Assert.Equal(nodes, _split.NodeCount);
    }

    /// <summary>
    /// With a session of its own the right half's walker reads nodes from FASTER too, so a block after a trim (or a
    /// restart) still splits; the walks and both halves' level hashing then run beside each other's FASTER reads.
    /// </summary>
    [Fact]
    public void With_its_own_session_the_split_walk_reads_evicted_nodes_from_the_store()
    {
        using StateSession helperSession = _database.NewSession();
        var forest = new SparseMerkleForest(new Sha256NodeHasher(), _session, allResident: true, initialCapacity: 64, helperSource: helperSession)
        {
            ParallelWalkThreshold = 2,
        };
        var keys = Enumerable.Range(0, 3000).Select(Hashed).ToList();
        var model = new Dictionary<Hash256, Hash256>();
        void Block(IEnumerable<(Hash256 Key, Hash256 Leaf)> changes, bool split)
        {
            var updates = changes.Select(c => new TreeUpdate { Key = c.Key, LeafHash = c.Leaf }).ToArray();
            updates.AsSpan().Sort(new TreeUpdateOrder());
            forest.Update(updates);
            Assert.Equal(split, forest.LastWalkWasSplit);
            forest.AcceptPending();
            foreach ((Hash256 key, Hash256 leaf) in changes) model[key] = leaf;
            Assert.Equal(ReferenceState.TreeRoot(model.Select(p => (p.Key, p.Value)).ToList()), forest.CommittedRoot(Hash256.Zero));
        }

        Block(keys.Take(2000).Select((k, i) => (k, Leaf(i))), split: false);
        forest.Flush();
        forest.Trim(capacity: 256);
        Assert.False(forest.AllResident);
        Block(keys.Skip(1000).Select((k, i) => (k, Leaf(i + 11))), split: true);
        Block(keys.Select((k, i) => (k, Leaf(i + 23))), split: true);
    }
}
