using Microsoft.Extensions.Logging;

namespace NexusFast.Native.Hosting;

/// <summary>The node's log lines (source-generated: no boxing, no reflection, AOT-friendly).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "received {Signal}, shutting down")]
    public static partial void SignalReceived(ILogger logger, System.Runtime.InteropServices.PosixSignal signal);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "chain {ChainId} opened at block {Head} ({Hash}); recovered checkpoint {Checkpoint}, replayed {Replayed} blocks")]
    public static partial void ChainOpened(ILogger logger, ulong chainId, ulong head, NexusFast.Engine.Primitives.Hash256 hash, ulong? checkpoint, int replayed);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Step}")]
    public static partial void Shutdown(ILogger logger, string step);
}
