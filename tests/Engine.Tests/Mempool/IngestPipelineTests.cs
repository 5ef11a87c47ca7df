using NexusFast.Engine.Chain;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Tests.Chain.ChainFixtures;

namespace NexusFast.Engine.Tests.Mempool;

public sealed class IngestPipelineTests
{
    [Fact]
    public async Task Concurrent_submissions_are_recovered_in_batches_and_admitted_in_arrival_order()
    {
        using var chain = Blockchain.Open(Options(4));
        Address bob = AddressOf(Key(1));
        var sizes = new List<int>();
        chain.Ingest.BatchObserver = n => { lock (sizes) sizes.Add(n); };

        var txs = new List<Transaction>();
        for (ulong n = 0; n < 50; n++)
        {
            for (int sender = 0; sender < 4; sender++) txs.Add(Decoded(chain, SignedTransfer(Key(sender), n, bob, 1)));
        }
        TxError[] outcomes = await Task.WhenAll(txs.Select(tx => chain.Ingest.SubmitAsync(tx).AsTask()));

        Assert.All(outcomes, o => Assert.Equal(TxError.None, o));
        for (int i = 0; i < txs.Count; i++) Assert.Equal(AddressOf(Key(i % 4)), txs[i].Sender);
        Assert.Equal(200, chain.Pool.Count);
        Assert.Equal(200, sizes.Sum());
        Assert.Equal(200, chain.ProduceBlock(0).Transactions.Length);
    }

    [Fact]
    public async Task Recovery_and_pool_errors_reach_their_own_caller_only()
    {
        using var chain = Blockchain.Open(Options(4));
        Address bob = AddressOf(Key(1));
        Transaction good = Decoded(chain, SignedTransfer(Key(0), 0, bob, 1));
        Transaction poor = Decoded(chain, SignedTransfer(Key(77), 0, bob, 1));
        Transaction forged = Decoded(chain, SignedTransfer(Key(2), 0, bob, 1));
        forged.R = new UInt256(12345); // a valid-looking r that is no curve point's x, or a different signer

        ValueTask<TxError> a = chain.Ingest.SubmitAsync(good), b = chain.Ingest.SubmitAsync(poor), c = chain.Ingest.SubmitAsync(forged);

        Assert.Equal(TxError.None, await a);
        Assert.Equal(TxError.InsufficientFunds, await b);
        TxError forgedOutcome = await c;
        // Either recovery fails, or it yields some other address, which has no funds.
        Assert.Contains(forgedOutcome, new[] { TxError.SenderRecoveryFailed, TxError.InsufficientFunds });
        Assert.Equal(1, chain.Pool.Count);
    }

    [Fact]
    public async Task A_full_queue_answers_busy_at_once_and_queues_nothing()
    {
        using var chain = Blockchain.Open(Options(4));
        using var gate = new ManualResetEventSlim(false);
        var recovery = new SenderRecovery(new GatedRecoverer(gate));
        using var pipeline = new IngestPipeline(chain.Pool, recovery, capacity: 2, batchMax: 1);
        Address bob = AddressOf(Key(1));
        Transaction[] txs = [.. Enumerable.Range(0, 4).Select(n => Decoded(chain, SignedTransfer(Key(0), (ulong)n, bob, 1)))];

        // Whatever fails below, the gate opens before the pipeline is disposed: its worker must not stay blocked.
        try
        {
            ValueTask<TxError> first = pipeline.SubmitAsync(txs[0]);
            // The worker holds the first in its batch (blocked in recovery), so two more fill the queue.
            SpinWait.SpinUntil(() => pipeline.Queued == 0, TimeSpan.FromSeconds(10));
            ValueTask<TxError> second = pipeline.SubmitAsync(txs[1]);
            ValueTask<TxError> third = pipeline.SubmitAsync(txs[2]);
            ValueTask<TxError> refused = pipeline.SubmitAsync(txs[3]);

            Assert.True(refused.IsCompletedSuccessfully);
            Assert.Equal(TxError.Busy, await refused);
            Assert.Equal(2, pipeline.Queued);
            gate.Set();
            Assert.Equal([TxError.None, TxError.None, TxError.None], [await first, await second, await third]);
            Assert.Equal(3, chain.Pool.Count);
            Assert.False(chain.Pool.Contains(txs[3].Hash));
        }
        finally
        {
            gate.Set();
        }
        Assert.Equal("node busy: the transaction ingest queue is full, retry later", TxErrorText.Describe(TxError.Busy));
    }

    [Fact]
    public async Task Disposing_fails_what_is_still_queued_and_refuses_new_work()
    {
        using var chain = Blockchain.Open(Options(4));
        using var gate = new ManualResetEventSlim(false);
        var pipeline = new IngestPipeline(chain.Pool, new SenderRecovery(new GatedRecoverer(gate)), capacity: 1, batchMax: 1);
        Address bob = AddressOf(Key(1));
        ValueTask<TxError> inBatch = pipeline.SubmitAsync(Decoded(chain, SignedTransfer(Key(0), 0, bob, 1)));
        SpinWait.SpinUntil(() => pipeline.Queued == 0, TimeSpan.FromSeconds(10));
        ValueTask<TxError> queued = pipeline.SubmitAsync(Decoded(chain, SignedTransfer(Key(0), 1, bob, 1)));

        Task dispose = Task.Run(pipeline.Dispose);
        // While the queue is full a submission is answered "busy" and queues nothing; once disposal has begun it throws.
        Transaction late = Decoded(chain, SignedTransfer(Key(0), 2, bob, 1));
        Assert.True(SpinWait.SpinUntil(() =>
        {
            try
            {
                Assert.Equal(TxError.Busy, pipeline.SubmitAsync(late).AsTask().Result);
                return false;
            }
            catch (ObjectDisposedException)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(10)));
        gate.Set();
        await dispose;

        Assert.Equal(TxError.None, await inBatch); // the batch in hand finishes
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await queued);
        Assert.Equal(1, chain.Pool.Count);
    }

    private static Transaction Decoded(Blockchain chain, byte[] raw)
    {
        var tx = new Transaction();
        TxError error = TransactionValidator.DecodeAndCheck(raw, tx, chain.Config, TxValidationMode.Policy, out string detail);
        Assert.True(error == TxError.None, detail);
        return tx;
    }

    /// <summary>The real batch recovery, held back until the test opens the gate: makes "the worker is busy" a fact, not a race.</summary>
    private sealed class GatedRecoverer(ManualResetEventSlim gate) : IEcdsaRecoverer
    {
        private readonly EcdsaBatchRecovery _inner = new();

        public int Recover(ReadOnlySpan<EcdsaRecoveryRequest> requests, Span<byte> publicKeys, Span<bool> recovered)
        {
            gate.Wait();
            return _inner.Recover(requests, publicKeys, recovered);
        }

        public int Recover<TSink>(ReadOnlySpan<EcdsaRecoveryRequest> requests, TSink sink)
            where TSink : struct, IRecoveredPublicKeySink
        {
            gate.Wait();
            return _inner.Recover(requests, sink);
        }

        public int Recover<TSource, TSink>(int count, TSource source, TSink sink)
            where TSource : struct, IEcdsaRequestSource
            where TSink : struct, IRecoveredPublicKeySink
        {
            gate.Wait();
            return _inner.Recover(count, source, sink);
        }
    }
}
