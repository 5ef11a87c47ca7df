using System.Diagnostics;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Node;

/// <summary>
/// Produces the node's blocks: automine (a block as soon as submitted transactions are ready, like anvil and hardhat),
/// interval mining (a block every <see cref="BlockTimeMs"/>, empty or not, like anvil --block-time), on demand
/// (evm_mine), and the devnet's account edits and rewinds. Everything that changes the chain runs under one gate,
/// so exactly one block is built at a time whichever thread asks.
/// </summary>
/// <remarks>
/// Automine runs on the producer loop, not on the request thread: concurrent submissions are gathered into one block
/// and request threads await instead of blocking. A receipt is readable before its block number is reported because
/// <see cref="Blockchain"/> indexes a block before it publishes the new head.
/// </remarks>
public sealed class BlockProducer : IAsyncDisposable
{
    private readonly NodeContext _node;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Lock _waitersGate = new();
    private readonly List<InclusionWaiter> _waiters = new();
    private readonly List<SnapshotRecord> _snapshots = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _wake = NewSignal();
    private Task _loop = Task.CompletedTask;
    private volatile bool _automine;
    private long _timeOffsetSeconds;
    private ulong? _nextTimestamp;
    private ulong _nextSnapshotId;
    private bool _stopped;
    private int _disposed;

    internal BlockProducer(NodeContext node, NodeOptions options, TimeProvider time)
    {
        _node = node;
        _time = time;
        _automine = options.Automine;
        BlockTimeMs = options.BlockTimeMs;
    }

    /// <summary>Mine a block per ready submission (evm_setAutomine).</summary>
    public bool Automine
    {
        get => _automine;
        set
        {
            _automine = value;
            Signal();
        }
    }

    /// <summary>Interval mining period; 0 = off.</summary>
    public ulong BlockTimeMs { get; }

    /// <summary>Seconds added to the clock for block timestamps (evm_increaseTime, evm_setNextBlockTimestamp).</summary>
    public long TimeOffsetSeconds => Interlocked.Read(ref _timeOffsetSeconds);

    internal void Start() => _loop = Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>
    /// Completes once every transaction in <paramref name="hashes"/> is in a committed block or has left the pool
    /// unmined (replaced, or not includable now). Completes at once when automine is off.
    /// </summary>
    public Task WaitForInclusionAsync(IReadOnlyList<Hash256> hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (!_automine || hashes.Count == 0) return Task.CompletedTask;
        var waiter = new InclusionWaiter(hashes);
        lock (_waitersGate) _waiters.Add(waiter);
        Signal();
        return waiter.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>evm_mine: one block now, with <paramref name="timestamp"/> when given (later blocks follow on from it).</summary>
    public bool TryMine(ulong? timestamp, out Block? block, out string? error)
    {
        lock (_gate)
        {
            block = null;
            if (!CheckRunning(out error)) return false;
            Blockchain chain = _node.CurrentChain;
            if (timestamp is { } requested && !CheckTimestamp(chain, requested, out error)) return false;
            if (timestamp is { } fixedTime) SetOffsetFor(fixedTime);
            block = ProduceLocked(chain, timestamp ?? NextTimestamp());
            CompleteWaiters(chain, all: false);
            return true;
        }
    }

    /// <summary>evm_increaseTime: moves the clock of later blocks forward; returns the total offset in seconds.</summary>
    public long IncreaseTime(ulong seconds)
    {
        lock (_gate)
        {
            long offset = checked(_timeOffsetSeconds + (long)Math.Min(seconds, (ulong)long.MaxValue / 2));
            Interlocked.Exchange(ref _timeOffsetSeconds, offset);
            return offset;
        }
    }

    /// <summary>evm_setNextBlockTimestamp: the next block gets exactly this timestamp and time continues from it.</summary>
    public bool TrySetNextBlockTimestamp(ulong timestamp, out string? error)
    {
        lock (_gate)
        {
            if (!CheckTimestamp(_node.CurrentChain, timestamp, out error)) return false;
            _nextTimestamp = timestamp;
            return true;
        }
    }

    /// <summary>anvil_setBalance / anvil_setNonce: a block that edits one account (see <see cref="Blockchain.ProduceAccountEditBlock"/>).</summary>
    public bool TryEditAccount(Address address, ulong? nonce, UInt256? balance, out string? error)
    {
        lock (_gate)
        {
            if (!CheckRunning(out error)) return false;
            Blockchain chain = _node.CurrentChain;
            long started = Stopwatch.GetTimestamp();
            chain.ProduceAccountEditBlock(NextTimestamp(), address, nonce, balance);
            _node.Metrics.OnBlockProduced(0, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return true;
        }
    }

    /// <summary>evm_snapshot: remembers the head and the clock offset; returns the snapshot's id.</summary>
    public ulong Snapshot()
    {
        lock (_gate)
        {
            ulong id = _nextSnapshotId++;
            _snapshots.Add(new SnapshotRecord(id, _node.CurrentChain.Head.Number, TimeOffsetSeconds));
            return id;
        }
    }

    /// <summary>
    /// evm_revert: returns the chain to the snapshot's head (rebuilt by replaying the kept blocks on a fresh in-memory
    /// state) and forgets that snapshot and every later one. False, with no error, when the id is unknown (hardhat and
    /// anvil answer false); an error when the chain cannot be rewound (it has a data directory).
    /// </summary>
    public bool TryRevert(ulong id, out bool reverted, out string? error)
    {
        lock (_gate)
        {
            reverted = false;
            if (!CheckRunning(out error)) return false;
            int index = _snapshots.FindIndex(s => s.Id == id);
            if (index < 0) return true;
            SnapshotRecord snapshot = _snapshots[index];
            Blockchain chain = _node.CurrentChain;
            if (chain.State.IsDurable)
            {
                error = "evm_revert needs an in-memory devnet: this chain has a data directory and its block log is append-only";
                return false;
            }
            // Nothing to undo when no block was added and the pool is empty (a snapshot around read-only calls).
            if (chain.Head.Number != snapshot.BlockNumber || chain.Pool.Count != 0)
            {
                _node.ReplaceChain(chain.RebuildInMemory(snapshot.BlockNumber));
            }
            Interlocked.Exchange(ref _timeOffsetSeconds, snapshot.TimeOffsetSeconds);
            _nextTimestamp = null;
            _snapshots.RemoveRange(index, _snapshots.Count - index);
            CompleteWaiters(_node.CurrentChain, all: true);
            reverted = true;
            return true;
        }
    }

    /// <summary>Stops the loop after the block in flight; later calls that would change the chain are refused.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        await _loop.ConfigureAwait(false);
        lock (_gate) _stopped = true;
        CompleteWaiters(null, all: true);
        _stopping.Dispose();
    }

    /// <summary>Why the loop stopped on its own (a block failed to commit); null while it runs.</summary>
    public Exception? Fault { get; private set; }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await ProduceUntilStoppedAsync(stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A commit that fails leaves the state store unusable (StateStore remarks); stop producing and say why.
            Fault = e;
            lock (_gate) _stopped = true;
            CompleteWaiters(null, all: true);
        }
    }

    private async Task ProduceUntilStoppedAsync(CancellationToken stopping)
    {
        long intervalTicks = BlockTimeMs == 0 ? 0 : (long)Math.Min(BlockTimeMs, int.MaxValue) * TimeSpan.TicksPerMillisecond;
        long nextDue = intervalTicks == 0 ? long.MaxValue : _time.GetUtcNow().UtcTicks + intervalTicks;
        while (!stopping.IsCancellationRequested)
        {
            TaskCompletionSource wake = Volatile.Read(ref _wake);
            try
            {
                await WaitAsync(wake.Task, intervalTicks == 0 ? null : TimeSpan.FromTicks(Math.Max(0, nextDue - _time.GetUtcNow().UtcTicks)), stopping)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            // Swap the signal before looking at the pool: a submission after this point wakes the next round.
            if (wake.Task.IsCompleted) Interlocked.CompareExchange(ref _wake, NewSignal(), wake);

            if (intervalTicks != 0 && _time.GetUtcNow().UtcTicks >= nextDue)
            {
                lock (_gate)
                {
                    if (_stopped) break;
                    Blockchain chain = _node.CurrentChain;
                    ProduceLocked(chain, NextTimestamp());
                    CompleteWaiters(chain, all: false);
                }
                nextDue += intervalTicks;
                long now = _time.GetUtcNow().UtcTicks;
                if (nextDue <= now) nextDue = now + intervalTicks; // fell behind (a slow block): do not burst to catch up
            }
            if (_automine) MineReady();
            else CompleteWaiters(null, all: true);
        }
    }

    private async Task WaitAsync(Task signal, TimeSpan? timeout, CancellationToken stopping)
    {
        if (signal.IsCompleted) return;
        if (timeout is not { } delay)
        {
            await signal.WaitAsync(stopping).ConfigureAwait(false);
            return;
        }
        if (delay <= TimeSpan.Zero) return;
        using var cancelDelay = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Task timer = Task.Delay(delay, _time, cancelDelay.Token);
        await Task.WhenAny(signal, timer).ConfigureAwait(false);
        cancelDelay.Cancel();
        stopping.ThrowIfCancellationRequested();
    }

    /// <summary>Automine: blocks until nothing in the pool can be included, then releases the requests waiting so far.</summary>
    private void MineReady()
    {
        InclusionWaiter[] waiting;
        lock (_waitersGate) waiting = _waiters.ToArray();
        lock (_gate)
        {
            if (_stopped) return;
            Blockchain chain = _node.CurrentChain;
            while (chain.Pool.Count > 0 && chain.Pool.SelectForBlock(chain.NextBaseFee, chain.Config.BlockGasLimit, 1).Count > 0)
            {
                Block block = ProduceLocked(chain, NextTimestamp());
                if (block.Transactions.Length == 0) break; // selected but not executable (funds changed): do not spin
            }
        }
        // Everything that was ready when these requests registered is now mined or cannot be mined now.
        foreach (InclusionWaiter waiter in waiting) waiter.Completion.TrySetResult();
        lock (_waitersGate) _waiters.RemoveAll(w => w.Completion.Task.IsCompleted);
    }

    private Block ProduceLocked(Blockchain chain, ulong timestamp)
    {
        long started = Stopwatch.GetTimestamp();
        Block block = chain.ProduceBlock(timestamp);
        _node.Metrics.OnBlockProduced(block.Transactions.Length, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return block;
    }

    /// <summary>Releases waiters whose transactions are all mined or gone (or every waiter).</summary>
    private void CompleteWaiters(Blockchain? chain, bool all)
    {
        lock (_waitersGate)
        {
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                InclusionWaiter waiter = _waiters[i];
                if (all || chain is null || waiter.IsSettled(chain))
                {
                    waiter.Completion.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private ulong NextTimestamp()
    {
        if (_nextTimestamp is { } fixedTime)
        {
            _nextTimestamp = null;
            SetOffsetFor(fixedTime);
            return fixedTime;
        }
        long seconds = _time.GetUtcNow().ToUnixTimeSeconds() + TimeOffsetSeconds;
        return seconds <= 0 ? 0 : (ulong)seconds;
    }

    private void SetOffsetFor(ulong timestamp) =>
        Interlocked.Exchange(ref _timeOffsetSeconds, (long)Math.Min(timestamp, long.MaxValue / 2) - _time.GetUtcNow().ToUnixTimeSeconds());

    private static bool CheckTimestamp(Blockchain chain, ulong timestamp, out string? error)
    {
        ulong head = chain.Head.Header.Timestamp;
        error = timestamp > head ? null : $"timestamp {timestamp} is not after the latest block's timestamp {head}";
        return error is null;
    }

    private bool CheckRunning(out string? error)
    {
        error = _stopped ? "the node is shutting down" : null;
        return !_stopped;
    }

    private void Signal() => Volatile.Read(ref _wake).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class InclusionWaiter(IReadOnlyList<Hash256> hashes)
    {
        public TaskCompletionSource Completion { get; } = NewSignal();

        public bool IsSettled(Blockchain chain)
        {
            foreach (Hash256 hash in hashes)
            {
                if (chain.Pool.Contains(hash) && !chain.Blocks.TryGetTransactionLocation(hash, out _)) return false;
            }
            return true;
        }
    }

    private readonly record struct SnapshotRecord(ulong Id, ulong BlockNumber, long TimeOffsetSeconds);
}
