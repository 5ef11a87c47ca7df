namespace NexusFast.Engine.Network;

/// <summary>Why a peer link was refused or closed.</summary>
public enum SecureChannelError
{
    /// <summary>The peer does not speak this protocol (wrong magic or version).</summary>
    WrongProtocol,

    /// <summary>The peer is on another chain.</summary>
    WrongChain,

    /// <summary>The peer's static key is not the one expected, or not allowed.</summary>
    PeerRefused,

    /// <summary>The peer could not prove it holds its static key, or sent an invalid public key.</summary>
    BadAuthentication,

    /// <summary>A frame declared a length above the limit.</summary>
    FrameTooLarge,

    /// <summary>A frame failed authentication: tampered, replayed, reordered or from another session.</summary>
    Tampered,

    /// <summary>The stream ended in the middle of a frame or the handshake.</summary>
    Closed,

    /// <summary>2^64 frames were sent in one direction: the nonce would repeat.</summary>
    CounterExhausted,
}

/// <summary>A peer link failed; the link must be dropped (and, for <see cref="SecureChannelError.Tampered"/>, the peer banned for a while).</summary>
public sealed class SecureChannelException(SecureChannelError error, string message) : IOException(message)
{
    public SecureChannelError Error { get; } = error;
}
