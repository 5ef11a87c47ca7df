using System.Diagnostics;

namespace NexusFast.Load;

/// <summary>
/// What happened to every transaction of the run, in <see cref="Stopwatch"/> ticks: when it was first sent, whether the
/// node accepted it, and when the driver first saw it in a committed block. Written by the submitters and the inclusion
/// tracker (each slot by one thread), read by the progress line and the report.
/// </summary>
public sealed class LoadTimeline
{
    public const byte Pending = 0;
    public const byte Accepted = 1;
    public const byte Rejected = 2;

    private long _submitted;
    private long _accepted;
    private long _rejected;
    private long _busyRetries;
    private long _committed;
    private string? _lastError;

    public LoadTimeline(int count)
    {
        SubmitTicks = new long[count];
        CommitTicks = new long[count];
        Status = new byte[count];
        StartTicks = Stopwatch.GetTimestamp();
    }

    public long StartTicks { get; private set; }

    public long[] SubmitTicks { get; }

    public long[] CommitTicks { get; }

    public byte[] Status { get; }

    public List<BlockSeen> Blocks { get; } = [];

    public long Submitted => Interlocked.Read(ref _submitted);

    public long AcceptedCount => Interlocked.Read(ref _accepted);

    public long RejectedCount => Interlocked.Read(ref _rejected);

    public long BusyRetries => Interlocked.Read(ref _busyRetries);

    public long Committed => Interlocked.Read(ref _committed);

    public string? LastError => Volatile.Read(ref _lastError);

    public void Restart() => StartTicks = Stopwatch.GetTimestamp();

    public void OnSent(int index, long ticks)
    {
        if (SubmitTicks[index] != 0) return; // a retry after "busy": latency counts from the first attempt
        SubmitTicks[index] = ticks;
        Interlocked.Increment(ref _submitted);
    }

    public void OnAccepted(int index)
    {
        Status[index] = Accepted;
        Interlocked.Increment(ref _accepted);
    }

    public void OnRejected(int index, string error)
    {
        Status[index] = Rejected;
        Interlocked.Increment(ref _rejected);
        Volatile.Write(ref _lastError, error);
    }

    public void OnBusy() => Interlocked.Increment(ref _busyRetries);

    /// <summary>Records a commit; false when the transaction was already seen (a block fetched twice).</summary>
    public bool OnCommitted(int index, long ticks)
    {
        if (CommitTicks[index] != 0) return false;
        CommitTicks[index] = ticks;
        Interlocked.Increment(ref _committed);
        return true;
    }

    public double Seconds(long ticks) => (ticks - StartTicks) / (double)Stopwatch.Frequency;

    /// <summary>One block as the tracker saw it: its number, how many transactions it held, when it was seen.</summary>
    public readonly record struct BlockSeen(ulong Number, int Transactions, long Ticks);
}
