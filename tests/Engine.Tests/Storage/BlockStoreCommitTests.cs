using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Storage;
using NexusFast.Engine.Tests.Chain;
using static NexusFast.Engine.Tests.Storage.BlockStoreTests;

namespace NexusFast.Engine.Tests.Storage;

/// <summary>
/// BlockStore.Append indexes a block while its commit is in flight: nothing of a block may be found before the commit
/// completed, nor after it failed; and the record buffer the store reuses must not leak one block into the next.
/// </summary>
public sealed class BlockStoreCommitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-blockcommit-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_block_whose_commit_fails_is_neither_counted_nor_indexed_nor_cached_and_the_next_try_stores_it()
    {
        var log = new FailingBlockLog(new MemoryBlockLog());
        using var store = new BlockStore(log);
        (Block first, Receipt[] firstReceipts) = SampleBlock(0, Hash256.Zero);
        (Block second, Receipt[] secondReceipts) = SampleBlock(1, first.Hash);
        store.Append(first, firstReceipts);

        log.FailNextCommit = true;
        IOException failure = Assert.Throws<IOException>(() => store.Append(second, secondReceipts));
        Assert.Contains("injected commit failure", failure.Message);

        Assert.Equal(1UL, store.Count);
        Assert.False(store.TryGetBlock(1, out _, out _));
        Assert.False(store.TryGetNumber(second.Hash, out _));
        foreach (Transaction tx in second.Transactions) Assert.False(store.TryGetTransactionLocation(tx.Hash, out _));
        Assert.True(store.TryGetTransactionLocation(first.Transactions[2].Hash, out TxLocation kept));
        Assert.Equal(new TxLocation(0, 2), kept);

        store.Append(second, secondReceipts);
        Assert.Equal(2UL, store.Count);
        Assert.True(store.TryGetBlock(1, out Block? stored, out _));
        Assert.Equal(second.Hash, stored.Hash);
        Assert.True(store.TryGetTransactionLocation(second.Transactions[1].Hash, out TxLocation location));
        Assert.Equal(new TxLocation(1, 1), location);
    }

    [Fact]
    public async Task A_lookup_made_while_a_commit_is_in_flight_waits_for_it_and_misses_the_block_when_the_commit_fails()
    {
        var log = new GatedBlockLog();
        using var store = new BlockStore(log);
        (Block block, Receipt[] receipts) = SampleBlock(0, Hash256.Zero);
        Task append = Task.Run(() => store.Append(block, receipts));
        Assert.True(log.Begun.Wait(TimeSpan.FromSeconds(30)), "the append never reached the log");

        // The block is indexed by now, beside the commit; a lookup must not see it before the commit's outcome.
        Task<bool> lookup = Task.Run(() => store.TryGetTransactionLocation(block.Transactions[0].Hash, out _));
        Task<bool> byHash = Task.Run(() => store.TryGetNumber(block.Hash, out _));
        await Task.Delay(50);
        log.Commit.SetException(new IOException("injected commit failure"));

        await Assert.ThrowsAsync<IOException>(() => append);
        Assert.False(await lookup);
        Assert.False(await byHash);
        Assert.Equal(0UL, store.Count);
    }

    [Fact]
    public void Blocks_of_different_sizes_through_the_reused_record_buffer_read_back_as_appended_also_after_reopening()
    {
        // 30,000 transactions (the sample's three, repeated) make a record of about 4.5 MiB, over the log's whole-entry
        // limit, so it goes through the fragment path; a small block after it leaves the buffer's tail stale.
        (Block Block, Receipt[] Receipts)[] blocks = [Large(0, Hash256.Zero, 30_000), default, default, default];
        blocks[1] = SampleBlock(1, blocks[0].Block.Hash);
        blocks[2] = Large(2, blocks[1].Block.Hash, 24_000);
        blocks[3] = SampleBlock(3, blocks[2].Block.Hash);
        byte[][] records = blocks.Select(b => BlockRecordCodec.Encode(b.Block, b.Receipts)).ToArray();
        Assert.True(records[0].Length > FasterBlockLog.WholeRecordMax && records[2].Length > FasterBlockLog.WholeRecordMax);

        using (var store = new BlockStore(new FasterBlockLog(_directory)))
        {
            foreach ((Block block, Receipt[] receipts) in blocks) store.Append(block, receipts);
        }
        using var log = new FasterBlockLog(_directory);
        var scanned = log.Scan().Select(s => s.Record).ToArray();
        Assert.Equal(records, scanned);
        using var reopened = new BlockStore(log);
        Assert.Equal(4UL, reopened.Count);
        Assert.True(reopened.TryGetTransactionLocation(blocks[3].Block.Transactions[2].Hash, out TxLocation location));
        Assert.Equal(new TxLocation(3, 2), location);
    }

    private static (Block Block, Receipt[] Receipts) Large(ulong number, Hash256 parent, int transactions)
    {
        (Block sample, Receipt[] sampleReceipts) = SampleBlock(number, parent);
        Transaction[] txs = Enumerable.Range(0, transactions).Select(i => sample.Transactions[i % 3]).ToArray();
        Receipt[] receipts = Enumerable.Range(0, transactions).Select(i => sampleReceipts[i % 3]).ToArray();
        return (new Block(sample.Header, sample.Hash, txs), receipts);
    }

    /// <summary>An in-memory log whose commits complete when the test says so.</summary>
    private sealed class GatedBlockLog : IBlockLog
    {
        private readonly MemoryBlockLog _inner = new();

        public ManualResetEventSlim Begun { get; } = new();

        public TaskCompletionSource Commit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PendingAppend BeginAppend(ReadOnlySpan<byte> record)
        {
            PendingAppend pending = _inner.BeginAppend(record);
            Begun.Set();
            return new PendingAppend(pending.Address, Commit.Task);
        }

        public byte[] Read(long address) => _inner.Read(address);

        public IEnumerable<(long Address, byte[] Record)> Scan() => _inner.Scan();

        public void Dispose() => _inner.Dispose();
    }
}
