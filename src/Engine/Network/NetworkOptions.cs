using System.Net;

namespace NexusFast.Engine.Network;

/// <summary>
/// Settings of a <see cref="NetworkHost"/>. Every queue, table and frame is bounded by one of these, so the
/// memory a host can use is known at start-up (STYLE: everything bounded). <see cref="Validate"/> reports the
/// first bad value with its name.
/// </summary>
public sealed record NetworkOptions
{
    public required NodeKey NodeKey { get; init; }

    public required NetworkIdentity Network { get; init; }

    /// <summary>Where to accept connections (port 0 picks a free port); null for a node that only dials.</summary>
    public IPEndPoint? ListenEndPoint { get; init; }

    /// <summary>Peers dialed at start and redialed whenever disconnected, however many other peers there are.</summary>
    public IReadOnlyList<PeerAddress> StaticPeers { get; init; } = [];

    /// <summary>Links at most, inbound and outbound together (static peers are let in above it).</summary>
    public int PeersMax { get; init; } = 50;

    /// <summary>Outbound links to peers learned by peer exchange that the host keeps dialing towards.</summary>
    public int OutboundPeersTarget { get; init; } = 8;

    /// <summary>Largest message payload. Blocks larger than this travel as proposal parts.</summary>
    public int PayloadLengthMax { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Messages waiting to be written to one peer, at most, in each of its send queues (urgent, proposal parts and bulk,
    /// see <see cref="MessageType.SendClassOf"/>); beyond it the peer is dropped as too slow.
    /// </summary>
    public int SendQueueMessagesMax { get; init; } = 4096;

    /// <summary>Payload bytes waiting to be written to one peer, at most; beyond it the peer is dropped as too slow.</summary>
    public long SendQueueBytesMax { get; init; } = 64L * 1024 * 1024;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Inbound connections in their handshake at once, at most; more are closed unanswered.</summary>
    public int PendingHandshakesMax { get; init; } = 64;

    /// <summary>How long a peer that sent invalid data stays banned.</summary>
    public TimeSpan BanDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Delay before redialing after a failure; doubles with each further failure up to <see cref="ReconnectDelayMax"/>.</summary>
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the host dials due peers, pings idle links and closes silent ones.</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public bool PeerExchangeEnabled { get; init; } = true;

    /// <summary>How often each peer is asked for its peers (also once right after connecting).</summary>
    public TimeSpan PeerExchangeInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Addresses per peer list, sent and accepted, at most.</summary>
    public int PeerExchangeEntriesMax { get; init; } = 32;

    /// <summary>Addresses learned by peer exchange that are kept, at most (static peers come on top).</summary>
    public int KnownAddressesMax { get; init; } = 1024;

    /// <summary>A learned address is forgotten after this many dial failures in a row.</summary>
    public int DialFailuresMax { get; init; } = 5;

    /// <summary>A link that has sent nothing for this long gets a ping.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A link that has received nothing, not even a pong, for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gossip message hashes remembered for duplicate suppression.</summary>
    public int SeenMessagesMax { get; init; } = 1 << 16;

    /// <summary>Kernel send and receive buffer size of each socket; null keeps the system's default.</summary>
    public int? SocketBufferBytes { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(NodeKey);
        ArgumentNullException.ThrowIfNull(StaticPeers);
        ArgumentNullException.ThrowIfNull(Time);
        Require(PeersMax >= 1, nameof(PeersMax), "must be at least 1");
        Require(OutboundPeersTarget >= 0 && OutboundPeersTarget <= PeersMax, nameof(OutboundPeersTarget), "must be in [0, PeersMax]");
        Require(PayloadLengthMax >= 1024 && PayloadLengthMax <= 64 * 1024 * 1024, nameof(PayloadLengthMax), "must be in [1 KiB, 64 MiB]");
        Require(SendQueueMessagesMax >= 1, nameof(SendQueueMessagesMax), "must be at least 1");
        Require(SendQueueBytesMax >= PayloadLengthMax, nameof(SendQueueBytesMax), "must hold at least one maximum-size payload");
        Require(HandshakeTimeout > TimeSpan.Zero, nameof(HandshakeTimeout), "must be positive");
        Require(PendingHandshakesMax >= 1, nameof(PendingHandshakesMax), "must be at least 1");
        Require(BanDuration > TimeSpan.Zero, nameof(BanDuration), "must be positive");
        Require(ReconnectDelayMin > TimeSpan.Zero && ReconnectDelayMax >= ReconnectDelayMin, nameof(ReconnectDelayMax),
            "needs 0 < ReconnectDelayMin <= ReconnectDelayMax");
        Require(MaintenanceInterval > TimeSpan.Zero, nameof(MaintenanceInterval), "must be positive");
        Require(PeerExchangeInterval > TimeSpan.Zero, nameof(PeerExchangeInterval), "must be positive");
        Require(PeerExchangeEntriesMax is >= 1 and <= PeerListCodec.EntriesMax, nameof(PeerExchangeEntriesMax),
            $"must be in [1, {PeerListCodec.EntriesMax}]");
        Require(KnownAddressesMax >= 0, nameof(KnownAddressesMax), "must not be negative");
        Require(DialFailuresMax >= 1, nameof(DialFailuresMax), "must be at least 1");
        Require(PingInterval > TimeSpan.Zero && IdleTimeout > PingInterval, nameof(IdleTimeout), "needs 0 < PingInterval < IdleTimeout");
        Require(SeenMessagesMax >= 1, nameof(SeenMessagesMax), "must be at least 1");
        Require(SocketBufferBytes is null or >= 1024, nameof(SocketBufferBytes), "must be at least 1024 when set");
        var seen = new HashSet<NodeId>();
        foreach (PeerAddress peer in StaticPeers)
        {
            Require(peer.Id != NodeKey.Id, nameof(StaticPeers), $"lists this node's own key ({peer})");
            Require(seen.Add(peer.Id), nameof(StaticPeers), $"lists node {peer.Id} twice");
        }
    }

    private static void Require(bool condition, string name, string message)
    {
        if (!condition) throw new ArgumentException($"{name} {message}", name);
    }
}
