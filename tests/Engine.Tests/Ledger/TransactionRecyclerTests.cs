using System.Reflection;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Tests.Chain.ChainFixtures;

namespace NexusFast.Engine.Tests.Ledger;

public sealed class TransactionRecyclerTests
{
    [Fact]
    public void A_retired_transaction_is_reused_two_epochs_later_and_cleared()
    {
        var recycler = new TransactionRecycler();
        Transaction tx = recycler.Rent();
        tx.Nonce = 7;
        recycler.Retire(tx);                       // retired in epoch e, epoch moves to e + 1
        Assert.NotSame(tx, recycler.Rent());       // not yet: a reader of epoch e could still hold it
        recycler.TryAdvance();                     // e + 2
        Assert.Same(tx, recycler.Rent());
        Assert.Equal(0UL, tx.Nonce);
        Assert.True(tx.IsRecycled);
    }

    [Fact]
    public void A_reader_that_entered_before_the_retirement_keeps_the_transaction_intact_until_it_leaves()
    {
        var recycler = new TransactionRecycler();
        Transaction tx = recycler.Rent();
        tx.Nonce = 9;
        TransactionRecycler.ReadScope reader = recycler.EnterRead();
        recycler.Retire(tx);
        for (int i = 0; i < 5; i++) recycler.TryAdvance();
        Assert.Equal(9UL, tx.Nonce);
        Assert.Equal(1, recycler.Waiting);

        reader.Dispose();
        recycler.TryAdvance();
        recycler.TryAdvance();
        Assert.Equal(0, recycler.Waiting);
        Assert.Equal(0UL, tx.Nonce);
    }

    [Fact]
    public void Transactions_it_did_not_hand_out_are_never_touched()
    {
        var recycler = new TransactionRecycler();
        var mine = new Transaction { Nonce = 3 };
        recycler.Retire(mine);
        for (int i = 0; i < 4; i++) recycler.TryAdvance();
        Assert.Equal(3UL, mine.Nonce);
        Assert.Equal(0, recycler.Waiting);
        Assert.NotSame(mine, recycler.Rent());
    }

    [Fact]
    public void Reset_clears_every_settable_property()
    {
        Transaction fresh = new();
        Transaction used = SignedTransaction();
        used.Reset();
        foreach (PropertyInfo property in typeof(Transaction).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.Name == nameof(Transaction.IsRecycled)) continue;
            object? expected = property.GetValue(fresh), actual = property.GetValue(used);
            if (expected is ReadOnlyMemory<byte> a && actual is ReadOnlyMemory<byte> b) Assert.True(a.Span.SequenceEqual(b.Span), property.Name);
            else Assert.True(Equals(expected, actual), $"{property.Name}: {actual} after Reset, {expected} when new");
        }
    }

    [Fact]
    public async Task Under_concurrent_readers_a_recycled_transaction_is_never_seen_changing()
    {
        using var chain = Blockchain.Open(Options(8));
        Address bob = AddressOf(Key(9));
        using var stop = new CancellationTokenSource();
        int reads = 0;
        // Readers look transactions up by hash in the block cache, as eth_getTransactionByHash does, and check that the
        // object they hold keeps its identity for the whole time they hold it.
        Task[] readers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using TransactionRecycler.ReadScope scope = chain.Recycler.EnterRead();
                Block head = chain.Head;
                for (ulong n = head.Number; n + 60 > head.Number && n > 0; n--)
                {
                    if (!chain.Blocks.TryGetBlock(n, out Block? block, out Receipt[] _)) continue;
                    foreach (Transaction tx in block.Transactions)
                    {
                        Hash256 seen = tx.Hash;
                        Thread.SpinWait(50);
                        Assert.Equal(seen, tx.Hash);
                        Assert.True(tx.HasSender);
                        Interlocked.Increment(ref reads);
                    }
                }
            }
        }))];

        ulong[] nonces = new ulong[8];
        for (int block = 0; block < 150; block++)
        {
            var pending = new List<Task<TxError>>();
            for (int sender = 0; sender < 8; sender++)
            {
                Transaction tx = chain.Recycler.Rent();
                TransactionValidator.DecodeAndCheck(SignedTransfer(Key(sender), nonces[sender]++, bob, 1), tx, chain.Config, TxValidationMode.Policy, out _);
                pending.Add(chain.Ingest.SubmitAsync(tx).AsTask());
            }
            foreach (Task<TxError> outcome in pending) Assert.Equal(TxError.None, await outcome);
            Assert.Equal(8, chain.ProduceBlock(0).Transactions.Length);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.True(reads > 0);
        // 150 blocks, 64 cached: the transactions of the older 86 blocks came back (all but the last two epochs' worth).
        Transaction reused = chain.Recycler.Rent();
        Assert.False(reused.HasSender);
        Assert.True(chain.Blocks.TryGetBlock(1, out Block? first, out Receipt[] _));
        Assert.Equal(8, first.Transactions.Length); // decoded again from the log, intact
        Assert.All(first.Transactions, tx => Assert.False(tx.IsRecycled));
    }

    private static Transaction SignedTransaction()
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionValidator.Validate(SignedTransfer(Key(0), 5, AddressOf(Key(1)), 3), tx,
            new ChainConfig { ChainId = Options(1).Config.ChainId }, TxValidationMode.Policy, out _));
        tx.Data = new byte[] { 1, 2, 3 };
        tx.AccessList = [new AccessListEntry(AddressOf(Key(2)), [Hash256.Zero])];
        return tx;
    }
}
