namespace NexusFast.Engine.Network;

/// <summary>Why a link ended or was refused. The reasons that prove misbehaviour get the peer banned.</summary>
public enum DisconnectReason
{
    /// <summary>This node closed the link (shutdown or an explicit disconnect).</summary>
    LocalClose,

    /// <summary>The peer closed the connection, or it ended in the middle of a frame.</summary>
    RemoteClosed,

    /// <summary>A socket error other than an orderly close.</summary>
    IoError,

    /// <summary>The handshake did not finish within its time limit.</summary>
    HandshakeTimeout,

    /// <summary>The peer speaks another protocol or version (bad magic or version byte in its hello).</summary>
    ProtocolMismatch,

    /// <summary>The peer belongs to another chain id or genesis.</summary>
    WrongNetwork,

    /// <summary>The peer presented a node key other than the one we dialed for.</summary>
    WrongNodeKey,

    /// <summary>The peer presented our own node key (we dialed ourselves, or a hello was reflected).</summary>
    SelfConnection,

    /// <summary>The handshake's keys or signature are invalid: the peer did not prove its node key.</summary>
    InvalidHandshake,

    /// <summary>The peer or its address is on the ban list.</summary>
    Banned,

    /// <summary>A frame's length prefix exceeds the configured maximum.</summary>
    FrameTooLarge,

    /// <summary>A frame's length prefix is below the smallest sealed frame (type byte plus tag).</summary>
    FrameTooSmall,

    /// <summary>A frame failed AES-GCM authentication: tampered, replayed, reordered or under another key.</summary>
    DecryptionFailed,

    /// <summary>A message type that no handler is registered for.</summary>
    UnknownMessageType,

    /// <summary>A network-layer message (peer exchange, ping) whose payload does not parse.</summary>
    MalformedMessage,

    /// <summary>A registered handler judged the message invalid (for example a vote with a bad signature).</summary>
    Misbehaved,

    /// <summary>The peer reads too slowly: its bounded send queue overflowed.</summary>
    SendQueueFull,

    /// <summary>Nothing arrived from the peer within the idle time limit, not even a ping.</summary>
    IdleTimeout,

    /// <summary>Another link to the same node was kept instead of this one.</summary>
    DuplicateConnection,

    /// <summary>This node already has its maximum number of peers.</summary>
    TooManyPeers,

    /// <summary>A registered handler threw: a bug on this node, so the peer is not blamed.</summary>
    HandlerFailed,
}

public static class DisconnectReasonExtensions
{
    /// <summary>
    /// True when the reason proves that the peer sent invalid data on purpose or through a bug: such a peer is
    /// banned for a while. Slowness, timeouts, network mismatches and closes are not bannable, since an honest
    /// node can cause them.
    /// </summary>
    public static bool IsBannable(this DisconnectReason reason) => reason is DisconnectReason.InvalidHandshake
        or DisconnectReason.FrameTooLarge
        or DisconnectReason.FrameTooSmall
        or DisconnectReason.DecryptionFailed
        or DisconnectReason.UnknownMessageType
        or DisconnectReason.MalformedMessage
        or DisconnectReason.Misbehaved;
}
