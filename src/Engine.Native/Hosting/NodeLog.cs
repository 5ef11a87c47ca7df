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

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "p2p listening on {Address} as node {NodeId}")]
    public static partial void P2pListening(ILogger logger, System.Net.IPEndPoint? address, NexusFast.Engine.Network.NodeId nodeId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information,
        Message = "validator {Validator}: one of {Count} validators (power {Power} of {TotalPower}); consensus starts at height {Height}")]
    public static partial void ValidatorStarting(ILogger logger, NexusFast.Engine.Primitives.Address validator, int count, long power, long totalPower, ulong height);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information,
        Message = "committed block {Height} ({Hash}) in round {Round}: {Transactions} transactions{Via}")]
    public static partial void BlockCommitted(ILogger logger, ulong height, NexusFast.Engine.Primitives.Hash256 hash, ulong round, int transactions, string via);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "peer {Peer} connected ({Count} peers)")]
    public static partial void PeerConnected(ILogger logger, NexusFast.Engine.Network.PeerLink peer, int count);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "peer {Peer} disconnected: {Reason} {Detail} ({Count} peers)")]
    public static partial void PeerDisconnected(ILogger logger, NexusFast.Engine.Network.PeerLink peer, NexusFast.Engine.Network.DisconnectReason reason, string? detail, int count);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "height {Height}: round {Round} (no decision in the earlier rounds)")]
    public static partial void RoundAdvanced(ILogger logger, ulong height, int round);

    [LoggerMessage(EventId = 11, Level = LogLevel.Critical, Message = "consensus stopped: {Error}")]
    public static partial void ConsensusFailed(ILogger logger, Exception exception, string error);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "block {Height} has a commit certificate that does not verify: {Error}")]
    public static partial void CertificateInvalid(ILogger logger, ulong height, NexusFast.Engine.Consensus.CommitError error);
}
