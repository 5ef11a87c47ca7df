using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Tests.State;

/// <summary>
/// Preloading a block's accounts (read ahead on a pool thread while the block executes) changes nothing a block
/// computes, only where reads come from.
/// </summary>
public sealed class StateOverlayPreloadTests
{
    private const int Existing = 6000;

    private static StateStore StoreWithAccounts()
    {
        StateStore store = StateStore.OpenInMemory(new StateStoreOptions { LogMemoryBytes = 1L << 24, IndexSizeBytes = 1L << 16 });
        using StateOverlay block = store.BeginBlock();
        for (int i = 0; i < Existing; i++) block.SetAccount(StateTestData.Address(i), new Account((ulong)i, new UInt256((ulong)i * 10 + 1)));
        block.Commit();
        return store;
    }

    /// <summary>Transfers among existing and new accounts; the same on both stores.</summary>
    private static Hash256 Transfers(StateOverlay block)
    {
        for (int i = 0; i < 3000; i++)
        {
            Address from = StateTestData.Address(i * 2);
            Address to = StateTestData.Address(Existing - 3000 + i * 3);   // the last third do not exist yet
            Account sender = block.GetAccount(from);
            block.SetAccount(from, sender.WithNonce(sender.Nonce + 1).WithBalance(sender.Balance - UInt256.One));
            Account recipient = block.GetAccount(to);
            block.SetAccount(to, recipient.WithBalance(recipient.Balance + UInt256.One));
        }
        return block.ComputeStateRoot();
    }

    [Fact]
    public void A_preloaded_block_computes_the_root_and_state_of_one_read_on_demand()
    {
        using StateStore plain = StoreWithAccounts();
        using StateStore preloaded = StoreWithAccounts();

        Hash256 expected;
        using (StateOverlay block = plain.BeginBlock())
        {
            expected = Transfers(block);
            block.Commit();
        }

        Hash256 actual;
        using (StateOverlay block = preloaded.BeginBlock())
        {
            // Written before the preload: the preload must keep this slot, not reread the committed account.
            block.SetAccount(StateTestData.Address(0), new Account(500, new UInt256(5000)));
            var addresses = new Address[3 * Existing];   // existing, absent, and repeated addresses
            for (int i = 0; i < addresses.Length; i++) addresses[i] = StateTestData.Address(i % (2 * Existing));
            Assert.True(addresses.Length >= StateOverlay.PreloadMin);
            block.Preload(addresses);
            Assert.Equal(500UL, block.GetAccount(StateTestData.Address(0)).Nonce);
            Assert.Equal(7UL, block.GetAccount(StateTestData.Address(7)).Nonce);
            Assert.False(block.TryGetAccount(StateTestData.Address(Existing + 1), out _));
            // An address the preload does not hold moves every chunk in first, then is read on demand.
            Assert.False(block.TryGetAccount(StateTestData.Address(5 * Existing), out _));
            Assert.Equal(2 * Existing + 1, block.AccountCount);

            block.SetAccount(StateTestData.Address(0), new Account(0, new UInt256(1)));   // back to its committed value
            actual = Transfers(block);
            block.Commit();
        }

        Assert.Equal(expected, actual);
        Assert.Equal(plain.StateRoot, preloaded.StateRoot);
        for (int i = 0; i < 2 * Existing; i += 97)
        {
            Assert.Equal(plain.TryGetAccount(StateTestData.Address(i), out Account a), preloaded.TryGetAccount(StateTestData.Address(i), out Account b));
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void A_miss_moves_read_chunks_in_only_until_its_address_and_other_addresses_are_read_on_demand()
    {
        using StateStore store = StoreWithAccounts();
        using StateOverlay block = store.BeginBlock();
        // Every address once in reverse order, then the first one again (as a sender of many transactions recurs).
        var addresses = new Address[Existing + 1];
        for (int i = 0; i < Existing; i++) addresses[i] = StateTestData.Address(Existing - 1 - i);
        addresses[Existing] = StateTestData.Address(Existing - 1);
        block.Preload(addresses);
        // A miss moves chunks in, in order, only until its address arrives.
        Account first = block.GetAccount(StateTestData.Address(Existing - 1));
        Assert.Equal((ulong)(Existing - 1), first.Nonce);
        Assert.Equal(AccountPreloader.ChunkSize, block.AccountCount);
        block.SetAccount(StateTestData.Address(Existing - 1), first.WithNonce(777));
        Assert.Equal(0UL, block.GetAccount(StateTestData.Address(0)).Nonce);
        Assert.Equal(Existing, block.AccountCount);
        // The later chunk's copy of the first address arrived after the block changed it: the change stays.
        Assert.Equal(777UL, block.GetAccount(StateTestData.Address(Existing - 1)).Nonce);
        for (int i = 0; i < Existing; i += 250) Assert.Equal((ulong)i, block.GetAccount(StateTestData.Address(i)).Nonce);
        // Not preloaded: read on demand.
        Assert.False(block.TryGetAccount(StateTestData.Address(Existing + 5), out _));
        Assert.Equal(Existing + 1, block.AccountCount);
    }

    [Fact]
    public void A_block_sealed_or_dropped_while_reads_are_ahead_leaves_the_next_block_a_working_preload()
    {
        using StateStore store = StoreWithAccounts();
        var addresses = new Address[2 * Existing];
        for (int i = 0; i < addresses.Length; i++) addresses[i] = StateTestData.Address(i % Existing);

        using (StateOverlay dropped = store.BeginBlock())
        {
            dropped.Preload(addresses);
            dropped.SetAccount(StateTestData.Address(1), new Account(9, new UInt256(9)));
        }
        Hash256 root;
        using (StateOverlay sealedEarly = store.BeginBlock())
        {
            sealedEarly.Preload(addresses);
            Account first = sealedEarly.GetAccount(StateTestData.Address(3));
            sealedEarly.SetAccount(StateTestData.Address(3), first.WithNonce(first.Nonce + 1));
            root = sealedEarly.Commit();
        }
        Assert.Equal(root, store.StateRoot);
        Assert.True(store.TryGetAccount(StateTestData.Address(1), out Account untouched));
        Assert.Equal(1UL, untouched.Nonce);

        using StateOverlay next = store.BeginBlock();
        next.Preload(addresses);
        Assert.Equal(4UL, next.GetAccount(StateTestData.Address(3)).Nonce);
        Assert.Equal((ulong)(Existing - 1), next.GetAccount(StateTestData.Address(Existing - 1)).Nonce);
        Assert.Equal(Existing, next.AccountCount);
    }
}
