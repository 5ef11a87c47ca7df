using System.Threading.Channels;

namespace NexusFast.Engine.Consensus.Host;

/// <summary>
/// The one thread a <see cref="ConsensusHost"/> needs in a real process: work posted from any thread (peer links, timers)
/// runs one item at a time, in order. Peer messages beyond <see cref="PendingMessagesMax"/> waiting are dropped (gossip
/// re-sends; memory must stay bounded under a flood); timer callbacks are never dropped, since a lost timeout could stall
/// a round, and there are only a few per round. Time comes from a <see cref="TimeProvider"/>.
/// </summary>
public sealed class HostLoop : IHostTimers, IAsyncDisposable
{
    public const int PendingMessagesMax = 65_536;

    private readonly Channel<(Action Work, bool IsMessage)> _work = Channel.CreateUnbounded<(Action, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeProvider _time;
    private readonly Action<Exception> _onError;
    private readonly HashSet<ITimer> _timers = new();
    private readonly Lock _timersGate = new();
    private readonly Task _runner;
    private int _pendingMessages;
    private long _droppedMessages;

    /// <param name="onError">Called with an exception that escaped a work item; the loop stops after it (fail fast).</param>
    public HostLoop(TimeProvider time, Action<Exception> onError)
    {
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _onError = onError ?? throw new ArgumentNullException(nameof(onError));
        _runner = Task.Run(Run);
    }

    public long DroppedMessageCount => Interlocked.Read(ref _droppedMessages);

    /// <summary>Runs <paramref name="work"/> on the loop; never blocks.</summary>
    public void Post(Action work) => _work.Writer.TryWrite((work, false));

    /// <summary>Runs the handling of a peer message on the loop, or drops it when too many are waiting.</summary>
    public void PostMessage(Action work)
    {
        if (Interlocked.Increment(ref _pendingMessages) > PendingMessagesMax)
        {
            Interlocked.Decrement(ref _pendingMessages);
            Interlocked.Increment(ref _droppedMessages);
            return;
        }
        if (!_work.Writer.TryWrite((work, true))) Interlocked.Decrement(ref _pendingMessages);
    }

    public void Schedule(long delayMs, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ITimer? timer = null;
        lock (_timersGate)
        {
            // A timer nobody references may be collected before it fires; the set keeps it alive until then.
            timer = _time.CreateTimer(_ =>
            {
                lock (_timersGate) _timers.Remove(timer!);
                timer!.Dispose();
                Post(callback);
            }, null, TimeSpan.FromMilliseconds(Math.Max(0, delayMs)), Timeout.InfiniteTimeSpan);
            _timers.Add(timer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        lock (_timersGate)
        {
            foreach (ITimer timer in _timers) timer.Dispose();
            _timers.Clear();
        }
        await _runner.ConfigureAwait(false);
    }

    private async Task Run()
    {
        await foreach ((Action work, bool isMessage) in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (isMessage) Interlocked.Decrement(ref _pendingMessages);
            try
            {
                work();
            }
            catch (Exception error)
            {
                _work.Writer.TryComplete();
                _onError(error);
                return;
            }
        }
    }
}
