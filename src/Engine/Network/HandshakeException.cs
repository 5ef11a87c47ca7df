namespace NexusFast.Engine.Network;

/// <summary>A handshake was refused or failed; <see cref="Reason"/> says why, the message gives the details.</summary>
public sealed class HandshakeException(DisconnectReason reason, string message) : Exception(message)
{
    public DisconnectReason Reason { get; } = reason;
}
