using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Network;

public sealed partial class NetworkHost
{
    Refusal? IPeerLinkOwner.Dispatch(PeerLink link, byte type, ReadOnlySpan<byte> payload)
    {
        Counters.FrameReceived();
        if (type < MessageType.ApplicationMin) return HandleNetworkMessage(link, type, payload);

        Registration? registration = _handlers[type];
        if (registration is null) return new Refusal(DisconnectReason.UnknownMessageType, $"no handler for message type {type}");

        // Marking the hash before the handler runs makes the filter decide races between two links delivering
        // the same message at once: exactly one of them gets past this line.
        if (registration.IsGossip && !_seen.TryAdd(SeenMessages.HashOf(type, payload)))
        {
            Counters.GossipDuplicate();
            return null;
        }

        MessageVerdict verdict;
        try
        {
            verdict = registration.Handler(new InboundMessage(link, type, payload));
        }
        catch (Exception exception)
        {
            return new Refusal(DisconnectReason.HandlerFailed, $"handler for type {type} threw: {exception}");
        }

        if (verdict == MessageVerdict.Misbehaved)
            return new Refusal(DisconnectReason.Misbehaved, $"the handler for type {type} refused a message as invalid");
        if (registration.IsGossip)
        {
            Counters.GossipDeliveredOnce();
            if (verdict == MessageVerdict.Accept) Relay(link, type, payload);
        }
        return null;
    }

    /// <summary>Passes a gossip message on to every peer except its sender. The payload is copied once, shared by all queues.</summary>
    private void Relay(PeerLink source, byte type, ReadOnlySpan<byte> payload)
    {
        PeerLink[] links = Volatile.Read(ref _linkSnapshot);
        if (links.Length <= 1) return;
        ReadOnlyMemory<byte> copy = payload.ToArray();
        foreach (PeerLink link in links)
            if (!ReferenceEquals(link, source)) link.TrySend(type, copy);
        Counters.GossipRelayedOnce();
    }

    private Refusal? HandleNetworkMessage(PeerLink link, byte type, ReadOnlySpan<byte> payload)
    {
        switch (type)
        {
            case NetworkMessageType.Ping:
                if (!payload.IsEmpty) return Malformed("ping with a payload");
                link.TryQueue(NetworkMessageType.Pong, ReadOnlyMemory<byte>.Empty);
                return null;
            case NetworkMessageType.Pong:
                return payload.IsEmpty ? null : Malformed("pong with a payload");
            case NetworkMessageType.PeerRequest:
                if (!payload.IsEmpty) return Malformed("peer request with a payload");
                // Answered at most twice per exchange interval, so a peer cannot make this node encode lists in a loop.
                if (_options.PeerExchangeEnabled && link.TryAnswerPeerRequest(_options.PeerExchangeInterval / 2))
                    link.TryQueue(NetworkMessageType.PeerList, PeerListCodec.Encode(PeersToShare(link.Id)));
                return null;
            case NetworkMessageType.PeerList:
                return HandlePeerList(link, payload);
            case NetworkMessageType.Auth:
                return Malformed("auth frame after the handshake");
            default:
                return new Refusal(DisconnectReason.UnknownMessageType, $"reserved message type {type} is not defined");
        }
    }

    private Refusal? HandlePeerList(PeerLink link, ReadOnlySpan<byte> payload)
    {
        if (!_options.PeerExchangeEnabled || !link.TryConsumePeerListRequest()) return null;
        if (!PeerListCodec.TryDecode(payload, _options.PeerExchangeEntriesMax, out List<PeerAddress>? peers, out string? error))
            return Malformed(error);
        foreach (PeerAddress peer in peers)
        {
            if (peer.Id == NodeId || Bans.IsBanned(peer.Id) || Bans.IsBanned(peer.EndPoint.Address)) continue;
            _book.TryAddDiscovered(peer);
        }
        return null;
    }

    /// <summary>Listening addresses of connected peers other than <paramref name="requester"/>, up to the per-message limit.</summary>
    private List<PeerAddress> PeersToShare(NodeId requester)
    {
        var shared = new List<PeerAddress>();
        foreach (PeerLink link in Volatile.Read(ref _linkSnapshot))
        {
            if (shared.Count == _options.PeerExchangeEntriesMax) break;
            if (link.Id != requester && !link.IsClosed && link.ListenEndPoint is { } endPoint) shared.Add(new PeerAddress(link.Id, endPoint));
        }
        return shared;
    }

    private static Refusal Malformed(string detail) => new(DisconnectReason.MalformedMessage, detail);

    /// <summary>The gossip identity of a message, as the duplicate filter computes it (for tests and diagnostics).</summary>
    public static Hash256 GossipHashOf(byte type, ReadOnlySpan<byte> payload) => SeenMessages.HashOf(type, payload);
}
