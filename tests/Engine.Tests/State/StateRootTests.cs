using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.State;

public class StateRootTests(ITestOutputHelper output)
{
    [Fact]
    public void An_empty_state_has_the_zero_root()
    {
        using StateStore store = StateStore.OpenInMemory();
        Assert.Equal(Hash256.Zero, store.StateRoot);
        using StateOverlay block = store.BeginBlock();
        Assert.Equal(Hash256.Zero, block.Commit());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(5000)]
    public void State_root_matches_the_reference_for_random_account_sets(int count)
    {
        var random = new Random(count);
        var reference = new ReferenceState();
        using StateStore store = StateStore.OpenInMemory();
        using (StateOverlay block = store.BeginBlock())
        {
            for (int i = 0; i < count; i++)
            {
                Address address = StateTestData.Address(i);
                var balance = new UInt256((ulong)random.Next(1, int.MaxValue));
                block.SetAccount(address, new Account((ulong)i, balance));
                reference.SetAccount(address, (ulong)i, balance, ReferenceState.EmptyCode);
            }
            Assert.Equal(reference.Root(), block.Commit());
        }
        Assert.Equal(reference.Root(), store.StateRoot);
    }

    [Fact]
    public void State_root_matches_the_reference_over_many_blocks_with_deletions_and_storage()
    {
        var random = new Random(7);
        var reference = new ReferenceState();
        using StateStore store = StateStore.OpenInMemory();
        int deletedAccounts = 0;
        for (int height = 1; height <= 60; height++)
        {
            using StateOverlay block = store.BeginBlock();
            StateTestData.RandomBlock(random, block, reference, accounts: 120, writes: random.Next(1, 150));
            Hash256 root = block.Commit();
            Assert.Equal(reference.Root(), root);

            for (int a = 0; a < 120; a++)
            {
                Address address = StateTestData.Address(a);
                var expected = reference.Account(address);
                bool exists = store.TryGetAccount(address, out Account actual);
                Assert.Equal(expected is not null, exists);
                if (expected is { } e)
                {
                    Assert.Equal(new Account(e.Nonce, e.Balance, e.CodeHash, e.StorageRoot), actual);
                }
                else
                {
                    deletedAccounts++;
                }
            }
        }
        output.WriteLine($"60 blocks, {deletedAccounts} absent-account checks, final root {store.StateRoot}");
    }

    [Fact]
    public void An_account_storage_root_is_the_root_of_its_storage_tree()
    {
        var reference = new ReferenceState();
        using StateStore store = StateStore.OpenInMemory();
        Address contract = StateTestData.Address(1);
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(contract, new Account(1, UInt256.Zero, ReferenceState.Sha256([1, 2, 3]), default));
            reference.SetAccount(contract, 1, UInt256.Zero, ReferenceState.Sha256([1, 2, 3]));
            for (int s = 0; s < 50; s++)
            {
                block.SetStorage(contract, StateTestData.Slot(s), StateTestData.Slot(1000 + s));
                reference.SetStorage(contract, StateTestData.Slot(s), StateTestData.Slot(1000 + s));
            }
            block.Commit();
        }
        Hash256 storageRoot = store.GetAccount(contract).StorageRoot;
        Assert.False(storageRoot.IsZero);
        Assert.Equal(reference.StorageRoot(contract), storageRoot);
        Assert.Equal(reference.Root(), store.StateRoot);

        // Clearing every slot empties the storage tree again.
        using (StateOverlay block = store.BeginBlock())
        {
            for (int s = 0; s < 50; s++) block.SetStorage(contract, StateTestData.Slot(s), default);
            block.Commit();
        }
        Assert.Equal(Account.EmptyStorageRoot, store.GetAccount(contract).StorageRoot);
    }

    [Fact]
    public void An_account_with_storage_but_no_nonce_balance_or_code_still_exists()
    {
        using StateStore store = StateStore.OpenInMemory();
        Address holder = StateTestData.Address(3);
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetStorage(holder, StateTestData.Slot(1), StateTestData.Slot(9));
            block.Commit();
        }
        Assert.True(store.TryGetAccount(holder, out Account account));
        Assert.Equal(0UL, account.Nonce);
        Assert.False(account.StorageRoot.IsZero);

        using (StateOverlay block = store.BeginBlock())
        {
            block.SetStorage(holder, StateTestData.Slot(1), default);
            block.Commit();
        }
        Assert.False(store.TryGetAccount(holder, out _));
        Assert.Equal(Hash256.Zero, store.StateRoot);
    }

    [Fact]
    public void Root_does_not_depend_on_how_writes_are_ordered_or_split_into_blocks()
    {
        // A target state (account values and storage per address), reached by one block, by many small blocks in a
        // shuffled order, and after detours (values written and overwritten, accounts created and deleted).
        Arbitrary<(int Account, int Slot, int Value)[]> writes =
            (from account in Gen.Choose(0, 40)
             from slot in Gen.Choose(-1, 5)
             from value in Gen.Choose(0, 6)
             select (account, slot, value)).ArrayOf().ToArbitrary();

        Prop.ForAll(writes, Gen.Choose(1, 9).ToArbitrary(), (spec, chunks) =>
        {
            var target = new Dictionary<(int Account, int Slot), int>();
            foreach (var w in spec) target[(w.Account, w.Slot)] = w.Value;

            Hash256 oneBlock = Apply(target.Select(p => (p.Key.Account, p.Key.Slot, p.Value)).ToList(), 1, detours: false);
            var shuffled = target.Select(p => (p.Key.Account, p.Key.Slot, p.Value)).OrderBy(t => (t.Value * 7919 + t.Account * 31 + t.Slot) % 101).ToList();
            Hash256 manyBlocks = Apply(shuffled, chunks, detours: true);

            var reference = new ReferenceState();
            foreach (var ((account, slot), value) in target) Write(reference, account, slot, value);
            return oneBlock == manyBlocks && oneBlock == reference.Root();
        }).QuickCheckThrowOnFailure();
    }

    private static Hash256 Apply(List<(int Account, int Slot, int Value)> writes, int chunks, bool detours)
    {
        using StateStore store = StateStore.OpenInMemory(new StateStoreOptions { LogMemoryBytes = 1L << 24, IndexSizeBytes = 1L << 16 });
        if (detours)
        {
            // Commit other values first, so that the final blocks update and delete committed keys.
            using StateOverlay first = store.BeginBlock();
            foreach (var (account, slot, value) in writes) WriteOverlay(first, account, slot, value + 3);
            first.Commit();
        }

        int per = Math.Max(1, (writes.Count + chunks - 1) / chunks);
        for (int start = 0; start < writes.Count || start == 0; start += per)
        {
            using StateOverlay block = store.BeginBlock();
            foreach (var (account, slot, value) in writes.Skip(start).Take(per))
            {
                if (detours) WriteOverlay(block, account, slot, value + 1);
                WriteOverlay(block, account, slot, value);
            }
            block.Commit();
            if (writes.Count == 0) break;
        }
        return store.StateRoot;
    }

    private static void WriteOverlay(StateOverlay block, int account, int slot, int value)
    {
        Address address = StateTestData.Address(account);
        if (slot < 0) block.SetAccount(address, new Account((ulong)value, new UInt256((ulong)value * 3)));
        else block.SetStorage(address, StateTestData.Slot(slot), value == 0 ? default : StateTestData.Slot(value));
    }

    private static void Write(ReferenceState reference, int account, int slot, int value)
    {
        Address address = StateTestData.Address(account);
        if (slot < 0) reference.SetAccount(address, (ulong)value, new UInt256((ulong)value * 3), ReferenceState.EmptyCode);
        else reference.SetStorage(address, StateTestData.Slot(slot), value == 0 ? default : StateTestData.Slot(value));
    }
}
