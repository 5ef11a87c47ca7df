using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Tests.State;

public class StateOverlayTests
{
    private static readonly Address Alice = StateTestData.Address(1);
    private static readonly Address Bob = StateTestData.Address(2);
    private static readonly Hash256 SomeCode = ReferenceState.Sha256([0xC0, 0xDE]);

    private static StateStore StoreWithAlice(out Hash256 root)
    {
        StateStore store = StateStore.OpenInMemory();
        using StateOverlay block = store.BeginBlock();
        block.SetAccount(Alice, new Account(1, new UInt256(100)));
        block.SetStorage(Alice, StateTestData.Slot(1), StateTestData.Slot(11));
        root = block.Commit();
        return store;
    }

    [Fact]
    public void Reads_fall_through_to_the_committed_state_and_writes_stay_in_the_overlay_until_commit()
    {
        using StateStore store = StoreWithAlice(out Hash256 before);
        using StateOverlay block = store.BeginBlock();
        Assert.Equal(1UL, block.GetAccount(Alice).Nonce);
        Assert.Equal(StateTestData.Slot(11), block.GetStorage(Alice, StateTestData.Slot(1)));

        block.SetAccount(Alice, block.GetAccount(Alice).WithBalance(new UInt256(70)));
        block.SetStorage(Alice, StateTestData.Slot(1), StateTestData.Slot(12));
        Assert.Equal(new UInt256(70), block.GetAccount(Alice).Balance);
        Assert.Equal(StateTestData.Slot(12), block.GetStorage(Alice, StateTestData.Slot(1)));

        // The committed state does not see the block yet.
        Assert.Equal(new UInt256(100), store.GetAccount(Alice).Balance);
        Assert.Equal(StateTestData.Slot(11), store.GetStorage(Alice, StateTestData.Slot(1)));
        Assert.Equal(before, store.StateRoot);

        Hash256 after = block.Commit();
        Assert.NotEqual(before, after);
        Assert.Equal(after, store.StateRoot);
        Assert.Equal(new UInt256(70), store.GetAccount(Alice).Balance);
        Assert.Equal(StateTestData.Slot(12), store.GetStorage(Alice, StateTestData.Slot(1)));
    }

    [Fact]
    public void An_absent_account_reads_as_empty_and_an_absent_slot_as_zero()
    {
        using StateStore store = StateStore.OpenInMemory();
        using StateOverlay block = store.BeginBlock();
        Assert.False(block.TryGetAccount(Bob, out Account account));
        Assert.Equal(Account.Empty, account);
        Assert.Equal(Account.Empty, block.GetAccount(Bob));
        Assert.Equal(Hash256.Zero, block.GetStorage(Bob, StateTestData.Slot(5)));
        Assert.False(store.TryGetAccount(Bob, out _));
    }

    [Fact]
    public void Revert_undoes_exactly_the_writes_made_after_its_snapshot()
    {
        using StateStore store = StoreWithAlice(out _);
        using StateOverlay block = store.BeginBlock();
        block.SetAccount(Alice, block.GetAccount(Alice).WithNonce(2));
        int outer = block.Snapshot();
        block.SetAccount(Alice, block.GetAccount(Alice).WithNonce(3));
        block.SetStorage(Alice, StateTestData.Slot(1), StateTestData.Slot(13));
        int inner = block.Snapshot();
        block.SetAccount(Bob, new Account(0, new UInt256(5)));
        block.SetStorage(Alice, StateTestData.Slot(2), StateTestData.Slot(22));
        block.SetStorage(Alice, StateTestData.Slot(1), StateTestData.Slot(14));

        block.Revert(inner);
        Assert.Equal(3UL, block.GetAccount(Alice).Nonce);
        Assert.Equal(StateTestData.Slot(13), block.GetStorage(Alice, StateTestData.Slot(1)));
        Assert.Equal(Hash256.Zero, block.GetStorage(Alice, StateTestData.Slot(2)));
        Assert.False(block.TryGetAccount(Bob, out _));

        block.Revert(outer);
        Assert.Equal(2UL, block.GetAccount(Alice).Nonce);
        Assert.Equal(StateTestData.Slot(11), block.GetStorage(Alice, StateTestData.Slot(1)));

        // Writes after a revert are journaled again from the reverted point.
        int again = block.Snapshot();
        Assert.Equal(outer, again);
        block.SetAccount(Alice, block.GetAccount(Alice).WithNonce(9));
        block.Revert(again);
        Assert.Equal(2UL, block.GetAccount(Alice).Nonce);

        Assert.Throws<ArgumentOutOfRangeException>(() => block.Revert(again + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => block.Revert(-1));
    }

    [Fact]
    public void A_block_whose_writes_are_all_reverted_leaves_the_root_unchanged()
    {
        using StateStore store = StoreWithAlice(out Hash256 before);
        using StateOverlay block = store.BeginBlock();
        int start = block.Snapshot();
        block.SetAccount(Alice, new Account(7, new UInt256(7)));
        block.SetAccount(Bob, new Account(1, new UInt256(1)));
        block.SetStorage(Alice, StateTestData.Slot(1), default);
        block.Revert(start);
        Assert.Equal(before, block.Commit());
        Assert.Equal(before, store.StateRoot);
        Assert.Equal(StateTestData.Slot(11), store.GetStorage(Alice, StateTestData.Slot(1)));
    }

    [Fact]
    public void A_sealed_block_that_is_disposed_leaves_the_committed_state_untouched()
    {
        using StateStore store = StoreWithAlice(out Hash256 before);
        Hash256 sealedRoot;
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(Alice, new Account(50, new UInt256(50)));
            block.SetAccount(Bob, new Account(1, new UInt256(1)));
            block.SetStorage(Alice, StateTestData.Slot(1), default);
            sealedRoot = block.ComputeStateRoot();
            Assert.NotEqual(before, sealedRoot);
            Assert.Equal(before, store.StateRoot);
            ulong seenNonce = 0;
            var other = new Thread(() => seenNonce = store.GetAccount(Alice).Nonce);
            other.Start();
            other.Join();
            Assert.Equal(1UL, seenNonce);
            Assert.Equal(StateTestData.Slot(11), store.GetStorage(Alice, StateTestData.Slot(1)));
        }

        Assert.Equal(before, store.StateRoot);
        Assert.Equal(1UL, store.GetAccount(Alice).Nonce);
        Assert.False(store.TryGetAccount(Bob, out _));

        // The same writes, committed this time, give the root that was sealed before.
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(Alice, new Account(50, new UInt256(50)));
            block.SetAccount(Bob, new Account(1, new UInt256(1)));
            block.SetStorage(Alice, StateTestData.Slot(1), default);
            Assert.Equal(sealedRoot, block.Commit());
        }
    }

    [Fact]
    public void A_sealed_block_takes_no_writes_and_commits_the_root_it_sealed()
    {
        using StateStore store = StateStore.OpenInMemory();
        using StateOverlay block = store.BeginBlock();
        block.SetAccount(Alice, new Account(1, new UInt256(1)));
        Hash256 root = block.ComputeStateRoot();
        Assert.True(block.IsSealed);
        Assert.Equal(root, block.ComputeStateRoot());
        Assert.Equal(1UL, block.GetAccount(Alice).Nonce);

        var error = Assert.Throws<InvalidOperationException>(() => block.SetAccount(Bob, new Account(1, UInt256.One)));
        Assert.Contains("sealed", error.Message);
        Assert.Throws<InvalidOperationException>(() => block.SetStorage(Bob, StateTestData.Slot(1), StateTestData.Slot(1)));
        Assert.Throws<InvalidOperationException>(() => block.Snapshot());

        Assert.Equal(root, block.Commit());
        Assert.Equal(root, store.StateRoot);
        Assert.Contains("committed", Assert.Throws<InvalidOperationException>(() => block.GetAccount(Alice)).Message);
    }

    [Fact]
    public void Only_one_block_is_open_at_a_time_and_a_closed_overlay_refuses_use()
    {
        using StateStore store = StateStore.OpenInMemory();
        StateOverlay first = store.BeginBlock();
        Assert.Contains("already open", Assert.Throws<InvalidOperationException>(() => store.BeginBlock()).Message);
        first.Dispose();
        Assert.Contains("closed", Assert.Throws<InvalidOperationException>(() => first.GetAccount(Alice)).Message);
        using StateOverlay second = store.BeginBlock();
        Assert.Equal(Account.Empty, second.GetAccount(Alice));
    }

    [Fact]
    public void A_zero_code_hash_is_refused_with_a_precise_error()
    {
        using StateStore store = StateStore.OpenInMemory();
        using StateOverlay block = store.BeginBlock();
        var error = Assert.Throws<ArgumentException>(() => block.SetAccount(Alice, default));
        Assert.Contains("Account.EmptyCodeHash", error.Message);
        Assert.Contains(Alice.ToString(), error.Message);
        Assert.False(block.TryGetAccount(Alice, out _));
    }

    [Fact]
    public void Writing_an_empty_account_deletes_it_as_EIP_161_does()
    {
        using StateStore store = StateStore.OpenInMemory();
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(Alice, new Account(1, new UInt256(10)));
            block.SetAccount(Bob, new Account(0, new UInt256(10)));
            block.Commit();
        }
        Hash256 withBoth = store.StateRoot;
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(Bob, new Account(0, UInt256.Zero));
            Assert.False(block.TryGetAccount(Bob, out _));
            block.Commit();
        }
        Assert.False(store.TryGetAccount(Bob, out _));
        Assert.NotEqual(withBoth, store.StateRoot);

        var reference = new ReferenceState();
        reference.SetAccount(Alice, 1, new UInt256(10), ReferenceState.EmptyCode);
        Assert.Equal(reference.Root(), store.StateRoot);
    }

    [Fact]
    public void An_account_and_a_slot_created_and_emptied_in_one_block_leave_no_trace()
    {
        using StateStore store = StoreWithAlice(out Hash256 before);
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(Bob, new Account(3, new UInt256(3)));
            block.SetStorage(Bob, StateTestData.Slot(4), StateTestData.Slot(44));
            block.SetStorage(Alice, StateTestData.Slot(9), StateTestData.Slot(99));
            block.SetAccount(Bob, Account.Empty);
            block.SetStorage(Bob, StateTestData.Slot(4), default);
            block.SetStorage(Alice, StateTestData.Slot(9), default);
            Assert.Equal(before, block.Commit());
        }
        Assert.False(store.TryGetAccount(Bob, out _));
        StorageProof proof = store.GetStorageProof(Alice, StateTestData.Slot(9), out Hash256 storageRoot);
        Assert.True(StateProofVerifier.VerifyStorage(storageRoot, StateTestData.Slot(9), default, proof));
    }

    [Fact]
    public void The_storage_root_passed_to_SetAccount_is_not_used()
    {
        using StateStore store = StoreWithAlice(out _);
        Hash256 storageRoot = store.GetAccount(Alice).StorageRoot;
        Assert.False(storageRoot.IsZero);
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(Alice, new Account(5, new UInt256(5), Account.EmptyCodeHash, ReferenceState.Sha256([9])));
            Assert.Equal(storageRoot, block.GetAccount(Alice).StorageRoot);
            block.Commit();
        }
        Assert.Equal(storageRoot, store.GetAccount(Alice).StorageRoot);
        Assert.Equal(StateTestData.Slot(11), store.GetStorage(Alice, StateTestData.Slot(1)));
    }

    [Fact]
    public void Code_hash_and_nonce_changes_reach_the_committed_account()
    {
        using StateStore store = StateStore.OpenInMemory();
        using (StateOverlay block = store.BeginBlock())
        {
            block.SetAccount(Alice, new Account(1, UInt256.Zero, SomeCode, default));
            block.Commit();
        }
        Assert.True(store.TryGetAccount(Alice, out Account account));
        Assert.Equal(SomeCode, account.CodeHash);
        Assert.True(account.HasCode);
    }

    [Fact]
    public void A_checkpoint_is_refused_while_a_block_is_open()
    {
        using StateStore store = StateStore.OpenInMemory();
        using StateOverlay block = store.BeginBlock();
        var error = Assert.Throws<InvalidOperationException>(() => store.Checkpoint(1));
        Assert.Contains("between blocks", error.Message);
    }

    [Fact]
    public void Reading_and_writing_through_a_block_allocates_nothing_in_steady_state()
    {
        using StateStore store = StateStore.OpenInMemory();
        var addresses = Enumerable.Range(0, 256).Select(StateTestData.Address).ToArray();
        for (int round = 0; round < 3; round++)
        {
            using StateOverlay block = store.BeginBlock();
            Touch(block, addresses);
            block.Commit();
        }

        using (StateOverlay block = store.BeginBlock())
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Touch(block, addresses);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, allocated);
            block.Commit();
        }
    }

    private static void Touch(StateOverlay block, Address[] addresses)
    {
        foreach (Address address in addresses)
        {
            Account account = block.GetAccount(address);
            block.SetAccount(address, account.WithNonce(account.Nonce + 1).WithBalance(account.Balance + UInt256.One));
            block.SetStorage(address, StateTestData.Slot(1), Hash256.FromUInt256(new UInt256(account.Nonce + 1)));
            int snapshot = block.Snapshot();
            block.SetStorage(address, StateTestData.Slot(2), StateTestData.Slot(7));
            block.Revert(snapshot);
        }
    }
}
