using System.Threading.Tasks.Sources;
using Microsoft.Extensions.ObjectPool;
using NexusFast.Engine.Ledger;

namespace NexusFast.Engine.Mempool;

/// <summary>
/// The admission path between the RPC (or gossip) and the pool (DESIGN.md data flow, step 3): callers hand in
/// decoded, rule-checked transactions and await their outcome; one worker thread takes everything queued, recovers
/// all those senders in one batch on every core, then offers them to the pool in arrival order. Under load the queue
/// fills while a batch is being recovered, so batches grow by themselves exactly when batching pays.
/// </summary>
/// <remarks>
/// The queue is bounded: a transaction that does not fit is answered <see cref="TxError.Busy"/> at once and nothing
/// is queued, so an overloaded node says so instead of growing without limit. Steady state allocates nothing per
/// transaction: the queue is a fixed ring, the batch arrays are reused and the awaitable a caller gets is a pooled
/// <see cref="IValueTaskSource{TResult}"/>.
/// </remarks>
public sealed class IngestPipeline : IDisposable
{
    private readonly TxPool _pool;
    private readonly SenderRecovery _recovery;
    private readonly (Transaction Tx, Completion Done)[] _ring;
    private readonly Transaction[] _batch;
    private readonly Completion[] _batchDone;
    private readonly TxError[] _batchErrors;
    private readonly ObjectPool<Completion> _completions;
    private Thread? _worker;
    private readonly object _gate = new();
    private int _head;
    private int _count;
    private bool _stopping;

    /// <param name="capacity">Transactions that may wait (beside the batch being recovered) before callers hear "busy".</param>
    /// <param name="batchMax">Most transactions recovered in one batch.</param>
    public IngestPipeline(TxPool pool, SenderRecovery recovery, int capacity = 32_768, int batchMax = 4_096)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(recovery);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchMax, 1);
        _pool = pool;
        _recovery = recovery;
        _ring = new (Transaction, Completion)[capacity];
        _batch = new Transaction[batchMax];
        _batchDone = new Completion[batchMax];
        _batchErrors = new TxError[batchMax];
        _completions = new DefaultObjectPool<Completion>(new CompletionPolicy(this), capacity + batchMax);
    }

    public int Capacity => _ring.Length;

    /// <summary>Told each batch's size (metrics), on the worker thread; must be quick and must not throw.</summary>
    public Action<int>? BatchObserver { get; set; }

    /// <summary>Transactions waiting for the next batch.</summary>
    public int Queued
    {
        get
        {
            lock (_gate) return _count;
        }
    }

    /// <summary>
    /// Queues <paramref name="tx"/> (decoded and checked by <see cref="TransactionValidator.DecodeAndCheck"/>, sender not
    /// yet recovered) and completes with the pool's answer, or a recovery error. <see cref="TxError.Busy"/>, at once,
    /// when the queue is full. Await the result exactly once.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The pipeline is stopping (also from the await).</exception>
    public ValueTask<TxError> SubmitAsync(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        Completion done;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            if (_count == _ring.Length) return ValueTask.FromResult(TxError.Busy);
            if (_worker is null)
            {
                // Started by the first submission: a chain opened only to read or import never holds a thread.
                _worker = new Thread(Run) { IsBackground = true, Name = "nexusfast-ingest" };
                _worker.Start();
            }
            done = _completions.Get();
            _ring[(_head + _count) % _ring.Length] = (tx, done);
            if (_count++ == 0) Monitor.Pulse(_gate);
        }
        return new ValueTask<TxError>(done, done.Version);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _worker?.Join();
    }

    private void Run()
    {
        while (true)
        {
            int taken;
            lock (_gate)
            {
                while (_count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_stopping)
                {
                    FailQueuedLocked();
                    return;
                }
                taken = Math.Min(_count, _batch.Length);
                for (int k = 0; k < taken; k++)
                {
                    ref (Transaction Tx, Completion Done) slot = ref _ring[_head];
                    (_batch[k], _batchDone[k]) = slot;
                    slot = default;
                    _head = (_head + 1) % _ring.Length;
                }
                _count -= taken;
            }
            Admit(taken);
        }
    }

    private void Admit(int count)
    {
        Span<TxError> errors = _batchErrors.AsSpan(0, count);
        try
        {
            _recovery.RecoverSenders(_batch.AsSpan(0, count), errors);
            for (int k = 0; k < count; k++)
            {
                if (errors[k] == TxError.None) errors[k] = _pool.TryAdd(_batch[k]);
            }
            BatchObserver?.Invoke(count);
            for (int k = 0; k < count; k++) _batchDone[k].Complete(errors[k]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not a transaction's fault (those are TxErrors): every caller of the batch hears of it, and the node goes on.
            for (int k = 0; k < count; k++) _batchDone[k].Fail(e);
        }
        finally
        {
            Array.Clear(_batch, 0, count);
            Array.Clear(_batchDone, 0, count);
        }
    }

    private void FailQueuedLocked()
    {
        var stopped = new ObjectDisposedException(nameof(IngestPipeline), "the node is shutting down");
        for (; _count > 0; _count--)
        {
            _ring[_head].Done.Fail(stopped);
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
        }
    }

    /// <summary>One caller's outcome: completed on the worker, its continuation run on the thread pool (never on the worker).</summary>
    private sealed class Completion(IngestPipeline owner) : IValueTaskSource<TxError>
    {
        private ManualResetValueTaskSourceCore<TxError> _core = new() { RunContinuationsAsynchronously = true };

        public short Version => _core.Version;

        public void Complete(TxError error) => _core.SetResult(error);

        public void Fail(Exception error) => _core.SetException(error);

        public TxError GetResult(short token)
        {
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                // Read once: back to the pool for the next caller.
                _core.Reset();
                owner._completions.Return(this);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }

    private sealed class CompletionPolicy(IngestPipeline owner) : PooledObjectPolicy<Completion>
    {
        public override Completion Create() => new(owner);

        public override bool Return(Completion obj) => true;
    }
}
