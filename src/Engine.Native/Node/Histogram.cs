using System.Globalization;
using System.Text;

namespace NexusFast.Native.Node;

/// <summary>
/// A Prometheus histogram with fixed bucket bounds: lock-free counting (one interlocked add per observation), rendered
/// in the text exposition format (cumulative le buckets, +Inf, _sum, _count).
/// </summary>
public sealed class Histogram
{
    /// <summary>Request and block latencies: 100 µs to 10 s, roughly x2.5 per step.</summary>
    public static readonly double[] LatencySecondsBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Batch sizes: 1 to 4096 by powers of two.</summary>
    public static readonly double[] SizeBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

    private readonly double[] _bounds;
    private readonly long[] _counts;      // per bucket, not cumulative; the last one is +Inf
    private long _sumMicros;              // sum in millionths of the unit, so that it can be added atomically
    private long _count;

    public Histogram(double[] bounds)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        _bounds = bounds;
        _counts = new long[bounds.Length + 1];
    }

    public long Count => Volatile.Read(ref _count);

    public void Observe(double value)
    {
        int bucket = 0;
        while (bucket < _bounds.Length && value > _bounds[bucket]) bucket++;
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumMicros, (long)(value * 1_000_000));
        Interlocked.Increment(ref _count);
    }

    /// <summary>Writes the sample lines of this histogram; <paramref name="labels"/> is "" or e.g. <c>method="eth_call"</c>.</summary>
    public void WriteSamples(StringBuilder text, string name, string labels)
    {
        string separator = labels.Length == 0 ? string.Empty : ",";
        long cumulative = 0;
        for (int i = 0; i < _bounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{separator}le=\"{_bounds[i].ToString("R", CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
        }
        cumulative += Volatile.Read(ref _counts[_bounds.Length]);
        text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels}{separator}le=\"+Inf\"}} {cumulative}\n");
        string braces = labels.Length == 0 ? string.Empty : "{" + labels + "}";
        double sum = Volatile.Read(ref _sumMicros) / 1_000_000.0;
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum{braces} {sum.ToString("R", CultureInfo.InvariantCulture)}\n");
        text.Append(CultureInfo.InvariantCulture, $"{name}_count{braces} {cumulative}\n");
    }
}
