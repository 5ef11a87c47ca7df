namespace NexusFast.Engine.Network;

/// <summary>Running totals of a <see cref="NetworkHost"/>, for metrics and tests. Thread-safe.</summary>
public sealed class NetworkCounters
{
    private long _framesReceived;
    private long _gossipDelivered;
    private long _gossipDuplicates;
    private long _gossipRelayed;
    private long _peersBanned;
    private long _connectionsFailed;

    /// <summary>Frames opened after handshakes, of every type.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    /// <summary>Gossip messages handed to a handler (each at most once).</summary>
    public long GossipDelivered => Interlocked.Read(ref _gossipDelivered);

    /// <summary>Gossip messages dropped because their hash had been seen.</summary>
    public long GossipDuplicates => Interlocked.Read(ref _gossipDuplicates);

    /// <summary>Gossip messages this node passed on to other peers (counted once per message, not per peer).</summary>
    public long GossipRelayed => Interlocked.Read(ref _gossipRelayed);

    public long PeersBanned => Interlocked.Read(ref _peersBanned);

    public long ConnectionsFailed => Interlocked.Read(ref _connectionsFailed);

    internal void FrameReceived() => Interlocked.Increment(ref _framesReceived);

    internal void GossipDeliveredOnce() => Interlocked.Increment(ref _gossipDelivered);

    internal void GossipDuplicate() => Interlocked.Increment(ref _gossipDuplicates);

    internal void GossipRelayedOnce() => Interlocked.Increment(ref _gossipRelayed);

    internal void PeerBanned() => Interlocked.Increment(ref _peersBanned);

    internal void ConnectionFailed() => Interlocked.Increment(ref _connectionsFailed);
}
