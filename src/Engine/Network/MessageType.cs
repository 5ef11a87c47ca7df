namespace NexusFast.Engine.Network;

/// <summary>
/// Message types the network layer handles itself. Types below <see cref="MessageType.ApplicationMin"/> are
/// reserved for it; a handler cannot be registered for them and the application cannot send them.
/// </summary>
public static class NetworkMessageType
{
    /// <summary>The handshake's signature frame (see <see cref="Handshake"/>); refused after the handshake.</summary>
    public const byte Auth = 0;

    /// <summary>Empty payload; answered with <see cref="Pong"/>. Keeps an idle link from timing out.</summary>
    public const byte Ping = 1;

    /// <summary>Empty payload.</summary>
    public const byte Pong = 2;

    /// <summary>Empty payload; asks for addresses of the peer's peers (answered with <see cref="PeerList"/>).</summary>
    public const byte PeerRequest = 3;

    /// <summary>Addresses of peers, encoded by <see cref="PeerListCodec"/>; accepted only in answer to a request.</summary>
    public const byte PeerList = 4;
}

/// <summary>
/// Message types of the node's protocols. The network layer carries their payloads as opaque bytes; their
/// meaning and encoding belong to the modules that register handlers for them (consensus, mempool, block sync).
/// </summary>
public static class MessageType
{
    /// <summary>The first type available to the application.</summary>
    public const byte ApplicationMin = 16;

    /// <summary>A signed transaction envelope (gossip).</summary>
    public const byte Transaction = 16;

    /// <summary>A block proposal header for a height and round (gossip).</summary>
    public const byte Proposal = 17;

    /// <summary>One part of a proposal too large for one frame (<see cref="MessageParts"/>), sent to each validator directly.</summary>
    public const byte ProposalPart = 18;

    /// <summary>A prevote or precommit (gossip).</summary>
    public const byte Vote = 19;

    /// <summary>Evidence of equivocation (gossip).</summary>
    public const byte Evidence = 20;

    /// <summary>Block sync: a peer's status (its latest committed height), sent directly to one peer.</summary>
    public const byte SyncStatus = 21;

    /// <summary>Block sync: a request for committed blocks from a height, sent directly to one peer.</summary>
    public const byte BlockRequest = 22;

    /// <summary>Block sync: committed blocks with their commit certificates, the answer to a request.</summary>
    public const byte BlockResponse = 23;

    /// <summary>
    /// Whether a peer link writes this type ahead of queued bulk traffic: the network layer's own messages (a pong
    /// stuck behind megabytes of blocks would time the link out) and consensus messages, whose delay is commit
    /// latency. Transactions, block sync and types not named here are bulk.
    /// </summary>
    public static bool IsUrgent(byte type) => SendClassOf(type) != SendClass.Bulk;

    /// <summary>
    /// Which of a peer link's send queues this type waits in. Proposal parts get a class of their own between the two:
    /// they carry the proposal, which is commit latency too, so they overtake transactions and block sync; but an
    /// 11 MB block is 44 parts, and a vote queued behind them would wait for all of them (about 90 ms at 1 Gbit/s,
    /// a second at 100 Mbit/s), so votes and the other urgent types overtake queued parts and wait for one part at most.
    /// </summary>
    public static SendClass SendClassOf(byte type) => type switch
    {
        < ApplicationMin or Proposal or Vote or Evidence or SyncStatus => SendClass.Urgent,
        ProposalPart => SendClass.Parts,
        _ => SendClass.Bulk,
    };
}

/// <summary>A peer link's send queues, in the order they are drained: a message waits only for messages of its own class queued before it and for any of a lower-numbered class.</summary>
public enum SendClass
{
    Urgent = 0,
    Parts = 1,
    Bulk = 2,
}
