namespace NexusFast.Engine.Simulation;

/// <summary>
/// Simulated time and the event queue. Events run in (time, insertion order), so a run is a pure function of the seed.
/// Time is in milliseconds since the start of the run.
/// </summary>
public sealed class SimScheduler
{
    private readonly PriorityQueue<Action, (long TimeMs, long Sequence)> _events = new();
    private long _sequence;

    public long NowMs { get; private set; }

    public long EventCount { get; private set; }

    public int Pending => _events.Count;

    public void At(long timeMs, Action action)
    {
        if (timeMs < NowMs) throw new ArgumentOutOfRangeException(nameof(timeMs), $"{timeMs} ms is in the past (now {NowMs} ms)");
        _events.Enqueue(action, (timeMs, _sequence++));
    }

    public void After(long delayMs, Action action) => At(NowMs + Math.Max(0, delayMs), action);

    /// <summary>Runs the next event unless it lies after <paramref name="untilMs"/>; false when none is due.</summary>
    public bool RunNext(long untilMs)
    {
        if (!_events.TryPeek(out _, out (long TimeMs, long Sequence) key) || key.TimeMs > untilMs) return false;
        Action action = _events.Dequeue();
        NowMs = key.TimeMs;
        EventCount++;
        action();
        return true;
    }
}
