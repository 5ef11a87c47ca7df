using System.Globalization;
using System.Text;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc.Methods;

namespace NexusFast.Native.Rpc.Metrics;

/// <summary>Why the server refused a whole HTTP request before or instead of answering its calls.</summary>
public enum RpcRejection
{
    RateLimited,
    BodyTooLarge,
    BatchTooLarge,
    ParseError,
    Timeout,
    UnsupportedMediaType,
}

/// <summary>
/// Calls, errors and latency per JSON-RPC method. Methods come from the fixed table, plus one "unknown" series for
/// names not in it, so a client cannot grow the label set (and the scrape) by inventing method names.
/// </summary>
public sealed class RpcMetrics
{
    private static readonly string s_unknown = "unknown";

    private readonly long[] _calls = new long[RpcMethodTable.Methods.Length + 1];
    private readonly long[] _errors = new long[RpcMethodTable.Methods.Length + 1];
    private readonly Histogram[] _latency = new Histogram[RpcMethodTable.Methods.Length + 1];
    private readonly long[] _rejections = new long[Enum.GetValues<RpcRejection>().Length];

    public RpcMetrics()
    {
        for (int i = 0; i < _latency.Length; i++) _latency[i] = new Histogram(Histogram.LatencySecondsBounds);
    }

    public long Calls(string method) => Volatile.Read(ref _calls[Slot(RpcMethodTable.Find(method))]);

    public long Errors(string method) => Volatile.Read(ref _errors[Slot(RpcMethodTable.Find(method))]);

    public long Rejections(RpcRejection reason) => Volatile.Read(ref _rejections[(int)reason]);

    internal void OnCall(int methodIndex, bool failed, double seconds)
    {
        int slot = Slot(methodIndex);
        Interlocked.Increment(ref _calls[slot]);
        if (failed) Interlocked.Increment(ref _errors[slot]);
        _latency[slot].Observe(seconds);
    }

    internal void OnRejected(RpcRejection reason) => Interlocked.Increment(ref _rejections[(int)reason]);

    internal void Write(StringBuilder text)
    {
        text.Append("# HELP nexusfast_rpc_calls_total JSON-RPC calls answered, by method.\n# TYPE nexusfast_rpc_calls_total counter\n");
        ForEachUsed(slot => text.Append(CultureInfo.InvariantCulture, $"nexusfast_rpc_calls_total{{method=\"{Name(slot)}\"}} {Volatile.Read(ref _calls[slot])}\n"));
        text.Append("# HELP nexusfast_rpc_errors_total JSON-RPC calls answered with an error, by method.\n# TYPE nexusfast_rpc_errors_total counter\n");
        ForEachUsed(slot => text.Append(CultureInfo.InvariantCulture, $"nexusfast_rpc_errors_total{{method=\"{Name(slot)}\"}} {Volatile.Read(ref _errors[slot])}\n"));
        text.Append("# HELP nexusfast_rpc_call_duration_seconds Time to answer one JSON-RPC call, by method.\n# TYPE nexusfast_rpc_call_duration_seconds histogram\n");
        ForEachUsed(slot => _latency[slot].WriteSamples(text, "nexusfast_rpc_call_duration_seconds", $"method=\"{Name(slot)}\""));
        text.Append("# HELP nexusfast_rpc_rejected_requests_total HTTP requests refused as a whole, by reason.\n# TYPE nexusfast_rpc_rejected_requests_total counter\n");
        foreach (RpcRejection reason in Enum.GetValues<RpcRejection>())
        {
            text.Append(CultureInfo.InvariantCulture, $"nexusfast_rpc_rejected_requests_total{{reason=\"{ReasonLabel(reason)}\"}} {Volatile.Read(ref _rejections[(int)reason])}\n");
        }
    }

    private void ForEachUsed(Action<int> write)
    {
        for (int slot = 0; slot < _calls.Length; slot++)
        {
            if (Volatile.Read(ref _calls[slot]) > 0) write(slot);
        }
    }

    private static int Slot(int methodIndex) => methodIndex < 0 ? RpcMethodTable.Methods.Length : methodIndex;

    private static string Name(int slot) => slot == RpcMethodTable.Methods.Length ? s_unknown : RpcMethodTable.Methods[slot].Name;

    private static string ReasonLabel(RpcRejection reason) => reason switch
    {
        RpcRejection.RateLimited => "rate_limited",
        RpcRejection.BodyTooLarge => "body_too_large",
        RpcRejection.BatchTooLarge => "batch_too_large",
        RpcRejection.ParseError => "parse_error",
        RpcRejection.Timeout => "timeout",
        RpcRejection.UnsupportedMediaType => "unsupported_media_type",
        _ => "other",
    };
}
