using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.State;

public sealed class StatePersistenceTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-state-test-" + Guid.NewGuid().ToString("N"));

    /// <summary>Small log pages and memory, so that records reach the disk and come back from it.</summary>
    private static readonly StateStoreOptions SmallLog = new() { LogMemoryBytes = 1L << 16, LogPageBytes = 1L << 12, IndexSizeBytes = 1L << 16 };

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_new_directory_recovers_to_nothing()
    {
        using StateStore store = StateStore.Open(_directory);
        Assert.True(store.IsDurable);
        Assert.Null(store.Recover());
        Assert.Equal(Hash256.Zero, store.StateRoot);
        Assert.True(File.Exists(Path.Combine(_directory, "NEXUSFAST-STATE")));
    }

    [Fact]
    public void State_written_and_checkpointed_is_the_same_after_reopening()
    {
        var random = new Random(11);
        var reference = new ReferenceState();
        Hash256 root;
        using (StateStore store = StateStore.Open(_directory, SmallLog))
        {
            Assert.Null(store.Recover());
            for (int height = 1; height <= 8; height++)
            {
                using StateOverlay block = store.BeginBlock();
                StateTestData.RandomBlock(random, block, reference, accounts: 300, writes: 200);
                block.Commit();
            }
            root = store.StateRoot;
            Assert.Equal(reference.Root(), root);
            store.Checkpoint(8);
        }

        using (StateStore store = StateStore.Open(_directory, SmallLog))
        {
            Assert.Equal(new StateCheckpoint(8, root), store.Recover());
            Assert.Equal(root, store.StateRoot);
            AssertMatches(reference, store);

            // Blocks after recovery read the tree back from FASTER and keep matching the reference.
            for (int height = 9; height <= 14; height++)
            {
                using StateOverlay block = store.BeginBlock();
                StateTestData.RandomBlock(random, block, reference, accounts: 300, writes: 200);
                Assert.Equal(reference.Root(), block.Commit());
            }
            store.Checkpoint(14);
            root = store.StateRoot;
        }

        using (StateStore store = StateStore.Open(_directory, SmallLog))
        {
            Assert.Equal(new StateCheckpoint(14, root), store.Recover());
            AssertMatches(reference, store);
            for (int i = 0; i < 300; i += 13)
            {
                Address address = StateTestData.Address(i);
                AccountProof proof = store.GetAccountProof(address, out Hash256 proofRoot);
                Account? claim = store.TryGetAccount(address, out Account account) ? account : null;
                Assert.True(StateProofVerifier.VerifyAccount(proofRoot, address, claim, proof));
            }
        }
    }

    [Fact]
    public void Blocks_committed_after_the_last_checkpoint_are_gone_after_a_crash_and_replay_to_the_same_roots()
    {
        var random = new Random(5);
        var reference = new ReferenceState();
        var blocks = new List<Action<StateOverlay>>();
        var roots = new List<Hash256>();
        ReferenceState? atCheckpoint = null;
        using (StateStore store = StateStore.Open(_directory, SmallLog))
        {
            store.Recover();
            for (int height = 1; height <= 10; height++)
            {
                // Record each block as a replayable action (the caller's block log).
                int seed = random.Next();
                blocks.Add(overlay => StateTestData.RandomBlock(new Random(seed), overlay, new ReferenceState(), accounts: 200, writes: 150));
                using StateOverlay block = store.BeginBlock();
                StateTestData.RandomBlock(new Random(seed), block, reference, accounts: 200, writes: 150);
                roots.Add(block.Commit());
                if (height == 4)
                {
                    store.Checkpoint(4);
                    atCheckpoint = reference.Clone();
                }
            }
            // Dispose without a checkpoint, as a crash would: blocks 5-10 were applied, and with this small log
            // memory their records were also flushed to the log file.
        }
        long logBytes = Directory.GetFiles(Path.Combine(_directory, "log")).Sum(f => new FileInfo(f).Length);
        Assert.True(logBytes > SmallLog.LogMemoryBytes, $"the log file holds {logBytes} bytes");

        using (StateStore store = StateStore.Open(_directory, SmallLog))
        {
            StateCheckpoint? recovered = store.Recover();
            Assert.Equal(new StateCheckpoint(4, roots[3]), recovered);
            Assert.Equal(roots[3], store.StateRoot);
            AssertMatches(atCheckpoint!, store, accounts: 200);

            for (int height = 5; height <= 10; height++)
            {
                using StateOverlay block = store.BeginBlock();
                blocks[height - 1](block);
                Assert.Equal(roots[height - 1], block.Commit());
            }
        }
        output.WriteLine($"log file {logBytes} bytes; recovered at block 4 ({roots[3]}), replayed 5-10 to {roots[9]}");
    }

    [Fact]
    public void A_block_must_not_start_before_Recover_on_a_directory_store()
    {
        using StateStore store = StateStore.Open(_directory);
        Assert.Contains("Recover()", Assert.Throws<InvalidOperationException>(() => store.BeginBlock()).Message);
        Assert.Contains("Recover()", Assert.Throws<InvalidOperationException>(() => store.Checkpoint(0)).Message);
        store.Recover();
        Assert.Contains("once", Assert.Throws<InvalidOperationException>(() => store.Recover()).Message);
        using StateOverlay block = store.BeginBlock();
    }

    [Fact]
    public void A_directory_with_other_files_is_refused_and_left_alone()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "notes.txt"), "not state");
        var error = Assert.Throws<InvalidDataException>(() => StateStore.Open(_directory));
        Assert.Contains("not a NexusFast state directory", error.Message);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public void A_directory_of_another_format_is_refused()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "NEXUSFAST-STATE"), "nexusfast-state format 99\n");
        var error = Assert.Throws<InvalidDataException>(() => StateStore.Open(_directory));
        Assert.Contains("format 99", error.Message);
        Assert.Contains("this build reads", error.Message);
    }

    [Fact]
    public void A_file_in_place_of_the_directory_is_refused()
    {
        File.WriteAllText(_directory, "x");
        try
        {
            Assert.Contains("is a file", Assert.Throws<IOException>(() => StateStore.Open(_directory)).Message);
        }
        finally
        {
            File.Delete(_directory);
        }
    }

    [Fact]
    public void A_directory_in_use_by_another_store_is_refused()
    {
        using StateStore first = StateStore.Open(_directory);
        var error = Assert.Throws<IOException>(() => StateStore.Open(_directory));
        Assert.Contains("in use", error.Message);
    }

    [Fact]
    public void A_corrupt_checkpoint_gives_a_precise_error()
    {
        using (StateStore store = StateStore.Open(_directory))
        {
            store.Recover();
            using (StateOverlay block = store.BeginBlock())
            {
                block.SetAccount(StateTestData.Address(1), new Account(1, UInt256.One));
                block.Commit();
            }
            store.Checkpoint(1);
        }

        string checkpoints = Path.Combine(_directory, "checkpoints");
        string[] metadata = Directory.GetFiles(checkpoints, "info.dat*", SearchOption.AllDirectories);
        Assert.NotEmpty(metadata);
        foreach (string file in metadata)
        {
            byte[] bytes = File.ReadAllBytes(file);
            Array.Fill(bytes, (byte)0x5A);
            File.WriteAllBytes(file, bytes);
        }

        using StateStore reopened = StateStore.Open(_directory);
        var error = Assert.Throws<InvalidDataException>(() => reopened.Recover());
        Assert.Contains("is corrupt: its SHA-256 is", error.Message);
        Assert.Contains("info.dat", error.Message);
        Assert.Contains(_directory, error.Message);
        output.WriteLine(error.Message);
    }

    [Theory]
    [InlineData("snapshot.dat*")]
    [InlineData("ht.dat*")]
    public void Corrupt_checkpoint_data_gives_a_precise_error_not_wrong_state(string pattern)
    {
        using (StateStore store = StateStore.Open(_directory))
        {
            store.Recover();
            using (StateOverlay block = store.BeginBlock())
            {
                for (int i = 0; i < 50; i++) block.SetAccount(StateTestData.Address(i), new Account(1, new UInt256((ulong)i + 1)));
                block.Commit();
            }
            store.Checkpoint(1);
        }

        string[] files = Directory.GetFiles(Path.Combine(_directory, "checkpoints"), pattern, SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            for (int i = 0; i < bytes.Length; i++) bytes[i] ^= 0xA5;
            File.WriteAllBytes(file, bytes);
        }

        using StateStore reopened = StateStore.Open(_directory);
        var error = Assert.Throws<InvalidDataException>(() => reopened.Recover());
        Assert.Contains("is corrupt", error.Message);
        Assert.Contains(_directory, error.Message);
        output.WriteLine(error.Message);
    }

    /// <summary>Checkpoints once with a small log (so that log segments exist), then lets <paramref name="damage"/> act.</summary>
    private string CheckpointThenDamage(Action damage)
    {
        using (StateStore store = StateStore.Open(_directory, SmallLog))
        {
            store.Recover();
            for (int height = 1; height <= 3; height++)
            {
                // 1,000 accounts of 216 bytes: more than the 64 KiB log memory, so the accounts' log has segments on disk.
                using StateOverlay block = store.BeginBlock();
                for (int i = 0; i < 1000; i++) block.SetAccount(StateTestData.Address(i), new Account((ulong)height, new UInt256((ulong)i + 1)));
                block.Commit();
            }
            store.Checkpoint(3);
        }
        damage();
        using StateStore reopened = StateStore.Open(_directory, SmallLog);
        var error = Assert.Throws<InvalidDataException>(() => reopened.Recover());
        output.WriteLine(error.Message);

        // A store whose recovery failed takes no blocks (they would build on an empty state).
        Assert.Contains("recovery failed", Assert.Throws<InvalidOperationException>(() => reopened.BeginBlock()).Message);
        return error.Message;
    }

    [Fact]
    public void A_truncated_log_segment_gives_a_precise_error()
    {
        string message = CheckpointThenDamage(() =>
        {
            string segment = Directory.GetFiles(Path.Combine(_directory, "log")).Order().First();
            using var stream = new FileStream(segment, FileMode.Open);
            stream.SetLength(stream.Length / 2);
        });
        Assert.Contains("shorter than the", message);
        Assert.Contains("hlog.log", message);
    }

    [Fact]
    public void A_missing_checkpoint_file_gives_a_precise_error()
    {
        string message = CheckpointThenDamage(() =>
            File.Delete(Directory.GetFiles(Path.Combine(_directory, "checkpoints"), "snapshot.dat*", SearchOption.AllDirectories).Single()));
        Assert.Contains("snapshot.dat", message);
        Assert.Contains("is missing", message);
    }

    [Fact]
    public void A_malformed_manifest_gives_a_precise_error()
    {
        string message = CheckpointThenDamage(() =>
        {
            string manifest = Path.Combine(_directory, "CHECKPOINT");
            File.WriteAllLines(manifest, File.ReadAllLines(manifest).Select((line, i) => i == 2 ? "file ?" : line));
        });
        Assert.Contains("malformed at line 3", message);
    }

    [Fact]
    public void Only_the_latest_checkpoint_is_kept()
    {
        using StateStore store = StateStore.Open(_directory);
        store.Recover();
        for (ulong height = 1; height <= 3; height++)
        {
            using (StateOverlay block = store.BeginBlock())
            {
                block.SetAccount(StateTestData.Address((int)height), new Account(height, UInt256.One));
                block.Commit();
            }
            store.Checkpoint(height);
        }
        Assert.Single(Directory.GetDirectories(Path.Combine(_directory, "checkpoints", "cpr-checkpoints")));
        Assert.Single(Directory.GetDirectories(Path.Combine(_directory, "checkpoints", "index-checkpoints")));
    }

    [Fact]
    public void Invalid_options_are_refused_with_the_rule()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => StateStore.OpenInMemory(new StateStoreOptions { LogPageBytes = 5000 }));
        Assert.Contains("LogPageBytes must be a power of two", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => StateStore.OpenInMemory(new StateStoreOptions { NodeCacheCapacity = 10 }));
        Assert.Contains("NodeCacheCapacity must be at least 1024", error.Message);
    }

    [Fact]
    public void A_small_node_cache_evicts_to_FASTER_and_keeps_the_roots_right()
    {
        var random = new Random(3);
        var reference = new ReferenceState();
        var options = new StateStoreOptions { NodeCacheCapacity = 1024, LogMemoryBytes = 1L << 20, LogPageBytes = 1L << 14 };
        using (StateStore store = StateStore.Open(_directory, options))
        {
            store.Recover();
            for (int height = 1; height <= 25; height++)
            {
                using StateOverlay block = store.BeginBlock();
                StateTestData.RandomBlock(random, block, reference, accounts: 1500, writes: 400, slotsPerAccount: 40);
                Assert.Equal(reference.Root(), block.Commit());
                Assert.True(store.CachedNodeCount <= 1024 + 5000);
            }
            store.Checkpoint(25);
        }
        using (StateStore store = StateStore.Open(_directory, options))
        {
            Assert.Equal(reference.Root(), store.Recover()!.Value.StateRoot);
            AssertMatches(reference, store, accounts: 1500, slotsPerAccount: 40);
        }
    }

    [Theory]
    [InlineData(1 << 16)]   // the whole account tree fits: all of it is read back at recovery
    [InlineData(1024)]      // it does not: the upper levels are read back, the rest on demand
    public void Recovery_reads_the_account_tree_back_into_memory_up_to_the_node_cache(int nodeCacheCapacity)
    {
        var random = new Random(17);
        var reference = new ReferenceState();
        var options = new StateStoreOptions { NodeCacheCapacity = nodeCacheCapacity, LogMemoryBytes = 1L << 20, LogPageBytes = 1L << 14, TreeLogMemoryBytes = 1L << 16, TreeLogPageBytes = 1L << 12 };
        using (StateStore store = StateStore.Open(_directory, options))
        {
            store.Recover();
            for (int height = 1; height <= 4; height++)
            {
                using StateOverlay block = store.BeginBlock();
                StateTestData.RandomBlock(random, block, reference, accounts: 3000, writes: 2000, slotsPerAccount: 2);
                block.Commit();
            }
            store.Checkpoint(4);
        }

        using (StateStore store = StateStore.Open(_directory, options))
        {
            Assert.Equal(reference.Root(), store.Recover()!.Value.StateRoot);
            int loaded = store.CachedNodeCount;
            output.WriteLine($"{loaded} nodes in memory after recovery");
            if (nodeCacheCapacity > 1024) Assert.True(loaded > 2 * 2000, $"{loaded} nodes loaded");
            else Assert.InRange(loaded, 256, nodeCacheCapacity / 4 * 3);

            // Blocks after recovery build on the loaded tree (and on nodes read on demand below it).
            for (int height = 5; height <= 7; height++)
            {
                using StateOverlay block = store.BeginBlock();
                StateTestData.RandomBlock(random, block, reference, accounts: 3000, writes: 500, slotsPerAccount: 2);
                Assert.Equal(reference.Root(), block.Commit());
            }
            AssertMatches(reference, store, accounts: 3000, slotsPerAccount: 2);
        }
    }

    [Fact]
    public async Task A_reader_on_another_thread_sees_committed_accounts()
    {
        using StateStore store = StateStore.OpenInMemory();
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(StateTestData.Address(1), new Account(3, new UInt256(30)));
            block.SetStorage(StateTestData.Address(1), StateTestData.Slot(2), StateTestData.Slot(22));
            block.Commit();
        }
        using StateReader reader = store.CreateReader();
        var (nonce, balance, slot, missing) = await Task.Run(() =>
        {
            Account account = reader.GetAccount(StateTestData.Address(1));
            return (account.Nonce, account.Balance, reader.GetStorage(StateTestData.Address(1), StateTestData.Slot(2)), reader.TryGetAccount(StateTestData.Address(2), out _));
        });
        Assert.Equal(3UL, nonce);
        Assert.Equal(new UInt256(30), balance);
        Assert.Equal(StateTestData.Slot(22), slot);
        Assert.False(missing);
        Assert.Equal(new NexusFast.Engine.Mempool.SenderAccount(3, new UInt256(30)), reader.GetSenderAccount(StateTestData.Address(1)));
    }

    private static void AssertMatches(ReferenceState reference, StateStore store, int accounts = 300, int slotsPerAccount = 8)
    {
        Assert.Equal(reference.Root(), store.StateRoot);
        for (int i = 0; i < accounts; i++)
        {
            Address address = StateTestData.Address(i);
            var expected = reference.Account(address);
            Assert.Equal(expected is not null, store.TryGetAccount(address, out Account actual));
            if (expected is { } e) Assert.Equal(new Account(e.Nonce, e.Balance, e.CodeHash, e.StorageRoot), actual);
            for (int s = 0; s < slotsPerAccount; s++)
            {
                Assert.Equal(reference.GetStorage(address, StateTestData.Slot(s)), store.GetStorage(address, StateTestData.Slot(s)));
            }
        }
    }
}
