namespace NexusFast.Engine.Network;

/// <summary>What a handler concluded about a message; the network acts on it.</summary>
public enum MessageVerdict
{
    /// <summary>Valid. A gossip message is relayed to the other peers.</summary>
    Accept,

    /// <summary>Valid but not worth relaying (stale, already known by other means).</summary>
    Ignore,

    /// <summary>Invalid in a way an honest node never sends: the peer is disconnected and banned.</summary>
    Misbehaved,
}

/// <summary>
/// One received message. <see cref="Payload"/> points into the link's receive buffer and is valid only during
/// the handler call (the type is a ref struct so it cannot escape); copy what must be kept.
/// </summary>
public readonly ref struct InboundMessage(PeerLink peer, byte type, ReadOnlySpan<byte> payload)
{
    public PeerLink Peer { get; } = peer;

    public byte Type { get; } = type;

    public ReadOnlySpan<byte> Payload { get; } = payload;
}

/// <summary>
/// Handles messages of one type. Called on the read loop of the link the message came from: handlers for
/// different peers run concurrently, so a handler must be thread-safe, must not block, and should hand heavy work
/// to a queue (consensus is single-threaded and takes its inputs from one). A handler that throws closes the link
/// with <see cref="DisconnectReason.HandlerFailed"/> and the peer is not banned, since the fault is ours.
/// </summary>
public delegate MessageVerdict MessageHandler(in InboundMessage message);
