using System.Net;

namespace NexusFast.Engine.Network;

/// <summary>
/// A connection that never became a link: a dial that failed, or a handshake that was refused on either side.
/// <see cref="PeerId"/> is the node dialed for, or null for an inbound connection whose key is unproven.
/// </summary>
public sealed record ConnectionFailure(IPEndPoint RemoteEndPoint, NodeId? PeerId, bool IsOutbound, DisconnectReason Reason, string Detail)
{
    public override string ToString() =>
        $"{(IsOutbound ? "dial to" : "connection from")} {(PeerId is { } id ? id.ToShortString() + "@" : "")}{RemoteEndPoint} failed: {Reason} ({Detail})";
}
