using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.State.Persistence;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.Tests.State.Tree;

/// <summary>The forest driven with chosen keys (the store only ever gives it SHA-256 keys), against the reference.</summary>
public sealed class SparseMerkleForestTests : IDisposable
{
    private readonly StateDatabase _database = StateDatabase.OpenTemporary(new StateStoreOptions { IndexSizeBytes = 1L << 16, LogMemoryBytes = 1L << 20, LogPageBytes = 1L << 14 });
    private readonly StateSession _session;
    private readonly SparseMerkleForest _forest;
    private readonly Dictionary<Hash256, Hash256> _model = new();

    public SparseMerkleForestTests()
    {
        _session = _database.NewSession();
        _forest = new SparseMerkleForest(new Sha256NodeHasher(), _session, allResident: true, initialCapacity: 64);
    }

    public void Dispose()
    {
        _session.Dispose();
        _database.Dispose();
    }

    /// <summary>A key with the given first bytes and the rest zero, or with bit <paramref name="flipBit"/> of a base key flipped.</summary>
    private static Hash256 Key(byte first, int flipBit = -1, byte fill = 0)
    {
        byte[] bytes = new byte[32];
        Array.Fill(bytes, fill);
        bytes[0] = first;
        if (flipBit >= 0) bytes[flipBit / 8] ^= (byte)(0x80 >> (flipBit % 8));
        return new Hash256(bytes);
    }

    private static Hash256 Leaf(int i) => ReferenceState.Sha256([(byte)i, (byte)(i >> 8), 0x77]);

    private void Apply(params (Hash256 Key, Hash256 Leaf)[] changes)
    {
        var updates = changes.Select(c => new TreeUpdate { Key = c.Key, LeafHash = c.Leaf }).ToArray();
        updates.AsSpan().Sort(new TreeUpdateOrder());
        _forest.Update(updates);
        _forest.AcceptPending();
        foreach (var (key, leaf) in changes)
        {
            if (leaf.IsZero) _model.Remove(key);
            else _model[key] = leaf;
        }
        Assert.Equal(ReferenceState.TreeRoot(_model.Select(p => (p.Key, p.Value)).ToList()), _forest.CommittedRoot(Hash256.Zero));
    }

    [Fact]
    public void Keys_that_share_long_prefixes_build_chains_and_deletions_dissolve_them()
    {
        Hash256 a = Key(0x00, fill: 0x55);
        var keys = new List<Hash256> { a };
        foreach (int bit in new[] { 254, 200, 130, 64, 63, 8, 1 }) keys.Add(Key(0x00, bit, fill: 0x55));

        for (int i = 0; i < keys.Count; i++) Apply((keys[i], Leaf(i)));
        for (int i = 0; i < keys.Count; i++) Apply((keys[i], Leaf(100 + i)));

        // Delete from the deepest pair upwards, then the rest in one batch.
        Apply((keys[1], default));
        Apply((keys[0], default), (keys[2], default));
        Apply(keys.Skip(3).Select(k => (k, default(Hash256))).ToArray());
        Assert.Equal(Hash256.Zero, _forest.CommittedRoot(Hash256.Zero));
    }

    [Fact]
    public void Two_keys_differing_only_in_bit_254_sit_at_the_deepest_position()
    {
        Hash256 a = Key(0xF0, fill: 0xFF);
        Hash256 b = Key(0xF0, 254, fill: 0xFF);
        Assert.Equal(254, TreePath.CommonPrefixLength(a, b));
        Apply((a, Leaf(1)), (b, Leaf(2)));
        Apply((Key(0x0F), Leaf(3)));
        Apply((a, default));
        Apply((b, default), (Key(0x01), Leaf(4)));
    }

    [Fact]
    public void Keys_sharing_255_bits_are_refused_as_a_near_collision()
    {
        Hash256 a = Key(0xF0, fill: 0xFF);
        Hash256 b = Key(0xF0, 255, fill: 0xFF);
        var updates = new[] { new TreeUpdate { Key = a, LeafHash = Leaf(1) }, new TreeUpdate { Key = b, LeafHash = Leaf(2) } };
        updates.AsSpan().Sort(new TreeUpdateOrder());
        Assert.Throws<InvariantViolationException>(() => _forest.Update(updates));
    }

    [Fact]
    public void Random_batches_of_inserts_updates_and_deletes_match_the_reference()
    {
        var random = new Random(42);
        var pool = Enumerable.Range(0, 400).Select(i => ReferenceState.Sha256([(byte)i, (byte)(i >> 8)])).ToList();
        // Some keys crowded under one prefix to force deep chains.
        for (int i = 0; i < 40; i++) pool.Add(Key(0xAB, 8 + random.Next(240), fill: 0x3C));
        pool = pool.Distinct().ToList();
        for (int round = 0; round < 60; round++)
        {
            var batch = pool.OrderBy(_ => random.Next()).Take(random.Next(1, 80))
                .Select(k => (k, random.Next(3) == 0 ? default : Leaf(random.Next(100000)))).ToArray();
            Apply(batch);
        }
    }

    /// <summary>
    /// Batches from 4,096 updates warm their paths ahead of the walk (<c>WarmPaths</c>): several cursors over runs of
    /// keys, resuming where consecutive keys part. Those reads must never change the result, also for paths deeper than
    /// a cursor follows, paths through nodes evicted by Trim, and keys that are inserted, updated and deleted.
    /// </summary>
    [Fact]
    public void Large_batches_match_the_reference_with_deep_paths_and_evicted_nodes()
    {
        var random = new Random(7);
        var keys = Enumerable.Range(0, 9000).Select(i => ReferenceState.Sha256([(byte)i, (byte)(i >> 8), 0x01])).ToList();
        // Keys sharing 120 and more leading bits: chains far below the 64 depths a warming cursor follows.
        for (int i = 0; i < 30; i++) keys.Add(Key(0x5A, 120 + random.Next(130), fill: 0xC3));
        keys = keys.Distinct().ToList();
        Apply(keys.Select((k, i) => (k, Leaf(i))).ToArray());
        Apply(keys.Select((k, i) => (k, Leaf(i + 1))).ToArray());

        _forest.Flush();
        _forest.Trim(capacity: 512);
        var second = keys.OrderBy(_ => random.Next()).Take(6000)
            .Select(k => (k, random.Next(4) == 0 ? default : Leaf(random.Next(100000))))
            .Concat(Enumerable.Range(0, 500).Select(i => (ReferenceState.Sha256([(byte)i, (byte)(i >> 8), 0x02]), Leaf(i))))
            .ToArray();
        Apply(second);
        Apply(keys.Skip(keys.Count - 5000).Select(k => (k, Leaf(random.Next(100000)))).ToArray());
    }

    [Fact]
    public void A_discarded_update_leaves_the_committed_tree_as_it_was()
    {
        for (int i = 0; i < 50; i++) Apply((ReferenceState.Sha256([(byte)i]), Leaf(i)));
        Hash256 before = _forest.CommittedRoot(Hash256.Zero);
        int nodes = _forest.NodeCount;

        var updates = Enumerable.Range(0, 60).Select(i => new TreeUpdate { Key = ReferenceState.Sha256([(byte)(i + 20)]), LeafHash = i % 3 == 0 ? default : Leaf(1000 + i) }).ToArray();
        updates.AsSpan().Sort(new TreeUpdateOrder());
        _forest.Update(updates);
        Assert.NotEqual(before, _forest.PendingRoot(Hash256.Zero));
        Assert.Equal(before, _forest.CommittedRoot(Hash256.Zero));
        _forest.DiscardPending();

        Assert.Equal(before, _forest.CommittedRoot(Hash256.Zero));
        Assert.Equal(nodes, _forest.NodeCount);
        Apply((ReferenceState.Sha256([7]), Leaf(7777)));
    }
}
