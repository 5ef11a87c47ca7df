using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Network;

/// <summary>
/// The consensus host's <see cref="IPeerTransport"/> over a <see cref="NetworkHost"/>: consensus peer i is the i-th
/// other validator's node id, and each consensus message (<see cref="PeerMessageCodec"/>) travels as the network message
/// type of its kind (proposal, vote, sync status, committed block), so the link puts votes ahead of bulk traffic.
/// A message longer than <see cref="MessageParts.PartLength"/> (a proposal or committed block with a large block)
/// travels in parts (<see cref="MessageParts"/>): a proposal's as <see cref="MessageType.ProposalPart"/>, which votes
/// overtake, a committed block's as <see cref="MessageType.BlockResponse"/>, bulk like the rest of block sync.
/// Received messages are decoded on the link's thread and handed to <c>onMessage</c> with the sender's index; the caller
/// moves them onto its consensus thread. A message from a node that is not a validator is ignored; one that does not
/// decode, arrives under another kind's type, or whose parts do not fit together gets its sender banned.
/// </summary>
public sealed class ConsensusTransport : IPeerTransport
{
    /// <summary>
    /// The longest message accepted in parts. A block of 100,000 transfers encodes to about 11 MB; 64 MiB leaves room
    /// for blocks several times larger while bounding what one peer can make this node hold
    /// (<see cref="IncompleteMessagesMax"/> times this).
    /// </summary>
    public const int MessageLengthMax = 64 * 1024 * 1024;

    /// <summary>
    /// Split messages one peer may have in progress at once. An honest peer interleaves at most a proposal (parts
    /// class) and a committed block (bulk class), and a newer proposal may start before an old one's parts all arrived.
    /// </summary>
    public const int IncompleteMessagesMax = 4;

    /// <summary>
    /// The consensus host answers each status message from a peer at the same height with its proposal again, every
    /// gossip interval. For a small proposal that costs nothing; for an 11 MB one it would fill the link. A link is
    /// reliable and ordered, so a split message already queued on a link that is still open arrives without a second
    /// copy: it is sent again on the same link only after this long, in case the peer dropped it (it was behind then).
    /// A new link gets it at once.
    /// </summary>
    public static readonly TimeSpan LargeResendInterval = TimeSpan.FromSeconds(2);

    /// <summary>Large messages remembered per peer for <see cref="LargeResendInterval"/>.</summary>
    private const int SentRemembered = 8;

    /// <summary>
    /// Split messages kept for sending again: the current proposal and the committed blocks one sync answer sends
    /// (<see cref="HostOptions.SyncBlocksPerReply"/>, 8 by default; fewer pass the send-queue check at once). At
    /// 11 MB blocks this holds up to about 90 MB, the price of not encoding and hashing them on every status.
    /// </summary>
    private const int SplitsRemembered = 8;

    private readonly NetworkHost _host;
    private readonly NodeId[] _validators;
    private readonly Dictionary<NodeId, int> _indexOf;
    private readonly Action<int, object> _onMessage;
    private readonly TimeProvider _time;
    private readonly MessageAssembler[] _assemblers;
    private readonly List<SentLarge>[] _sentLarge;
    private readonly List<SplitMessage> _splits = new();

    /// <summary>Registers the handlers on <paramref name="host"/>; call before <see cref="NetworkHost.Start"/>.</summary>
    /// <exception cref="ArgumentException">The host's <see cref="NetworkOptions.PayloadLengthMax"/> cannot carry a part.</exception>
    public ConsensusTransport(NetworkHost host, IReadOnlyList<NodeId> validators, Action<int, object> onMessage, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(validators);
        if (host.PayloadLengthMax < MessageParts.PartPayloadLengthMax)
            throw new ArgumentException($"the host's payload maximum of {host.PayloadLengthMax} bytes is below a message part's {MessageParts.PartPayloadLengthMax}", nameof(host));
        _host = host;
        _onMessage = onMessage ?? throw new ArgumentNullException(nameof(onMessage));
        _time = time ?? TimeProvider.System;
        _validators = validators.Where(id => id != host.NodeId).Distinct().ToArray();
        _indexOf = _validators.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index);
        Peers = Enumerable.Range(0, _validators.Length).ToArray();
        _assemblers = _validators.Select(_ => new MessageAssembler(MessageLengthMax, IncompleteMessagesMax)).ToArray();
        _sentLarge = _validators.Select(_ => new List<SentLarge>()).ToArray();
        foreach (byte type in (ReadOnlySpan<byte>)[MessageType.Proposal, MessageType.ProposalPart, MessageType.Vote, MessageType.SyncStatus, MessageType.BlockResponse])
        {
            host.Register(type, Receive);
        }
    }

    public IReadOnlyList<int> Peers { get; }

    public NodeId PeerId(int peer) => _validators[peer];

    public void Send(int peer, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        LargeKey? key = LargeKeyOf(message, out int blockLength);
        if (key is null)
        {
            byte[] encoded = PeerMessageCodec.Encode(message);
            // A peer that is not connected misses the message; consensus re-sends its state on the next gossip round.
            if (encoded.Length <= MessageParts.PartLength) _host.TrySend(_validators[peer], TypeOf(encoded[0]), encoded);
            else if (LinkTo(peer) is { } link) SendParts(link, Split(null, encoded));
            return;
        }
        // A large message is looked up by what it says before it is encoded: the host sends the same proposal to every
        // peer and again on every status answer, and the same committed blocks to a peer that is behind, so encoding
        // and hashing 11 MB each time would cost more than sending it.
        if (LinkTo(peer) is not { } target || !ShouldSendLarge(peer, target, key.Value, blockLength)) return;
        SplitMessage? split;
        lock (_splits)
        {
            split = _splits.Find(s => s.Key == key);
            if (split is null)
            {
                split = Split(key, PeerMessageCodec.Encode(message));
                if (_splits.Count == SplitsRemembered) _splits.RemoveAt(0);
                _splits.Add(split);
            }
        }
        SendParts(target, split);
    }

    private static SplitMessage Split(LargeKey? key, byte[] encoded) =>
        new(key, PartTypeOf(encoded[0]), MessageParts.Split(encoded[0], encoded, out _));

    private PeerLink? LinkTo(int peer)
    {
        NodeId id = _validators[peer];
        foreach (PeerLink link in _host.Peers)
        {
            if (link.Id == id && !link.IsClosed) return link;
        }
        return null;
    }

    /// <summary>False when the message went on this link lately, or would fill its send queue; otherwise notes it as sent now.</summary>
    private bool ShouldSendLarge(int peer, PeerLink link, LargeKey key, int blockLength)
    {
        // A message that would fill more than half of the link's send queue waits for the peer's next status, when the
        // queue has drained, rather than getting the link closed as too slow: eight 11 MB committed blocks answering one
        // status would exceed the default 64 MiB.
        if (link.QueuedBytes + blockLength > link.QueuedBytesMax / 2) return false;
        long now = _time.GetTimestamp();
        List<SentLarge> sent = _sentLarge[peer];
        lock (sent)
        {
            foreach (SentLarge earlier in sent)
            {
                if (earlier.Key == key && ReferenceEquals(earlier.Link, link) && _time.GetElapsedTime(earlier.Timestamp, now) < LargeResendInterval) return false;
            }
            sent.RemoveAll(s => s.Key == key);
            if (sent.Count == SentRemembered) sent.RemoveAt(0);
            sent.Add(new SentLarge(key, link, now));
        }
        return true;
    }

    private static void SendParts(PeerLink link, SplitMessage split)
    {
        foreach (byte[] part in split.Parts)
        {
            if (!link.TrySend(split.Type, part)) return; // closed (or closed now as too slow): the rest would go nowhere
        }
    }

    /// <summary>
    /// What names a proposal or committed block whose block alone makes it larger than a part. A proposal is signed
    /// by its proposer for its height, round and block, so the same key is the same message from an honest proposer;
    /// a committed block is the one block its height committed.
    /// </summary>
    private static LargeKey? LargeKeyOf(object message, out int blockLength)
    {
        switch (message)
        {
            case Proposal p when p.Block.Length > MessageParts.PartLength:
                blockLength = p.Block.Length;
                return new LargeKey(PeerMessageKind.Proposal, p.Height, p.Round, p.PolRound, p.BlockHash, p.Proposer);
            case CommittedBlockMessage c when c.Block.Length > MessageParts.PartLength:
                blockLength = c.Block.Length;
                return new LargeKey(PeerMessageKind.CommittedBlock, c.Height, 0, -1, c.BlockHash, default);
            default:
                blockLength = 0;
                return null;
        }
    }

    private MessageVerdict Receive(in InboundMessage message)
    {
        if (!_indexOf.TryGetValue(message.Peer.Id, out int index)) return MessageVerdict.Ignore;
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.IsEmpty) return MessageVerdict.Misbehaved;
        byte[]? whole = null;
        if (payload[0] == (byte)PeerMessageKind.Part)
        {
            if (payload.Length < 2 || PartTypeOf(payload[1]) != message.Type) return MessageVerdict.Misbehaved;
            MessageAssembler assembler = _assemblers[index];
            PartOutcome outcome;
            lock (assembler) outcome = assembler.Add(payload, out _, out whole, out _);
            if (outcome == PartOutcome.Incomplete) return MessageVerdict.Accept;
            if (outcome == PartOutcome.Misbehaved || whole!.Length == 0 || whole[0] != payload[1]) return MessageVerdict.Misbehaved;
            payload = whole;
        }
        else if (TypeOf(payload[0]) != message.Type)
        {
            return MessageVerdict.Misbehaved;
        }
        object decoded;
        try
        {
            decoded = PeerMessageCodec.Decode(payload);
        }
        catch (FormatException)
        {
            return MessageVerdict.Misbehaved;
        }
        _onMessage(index, decoded);
        return MessageVerdict.Accept;
    }

    private static byte TypeOf(byte kind) => (PeerMessageKind)kind switch
    {
        PeerMessageKind.Proposal => MessageType.Proposal,
        PeerMessageKind.Vote => MessageType.Vote,
        PeerMessageKind.Status => MessageType.SyncStatus,
        PeerMessageKind.CommittedBlock => MessageType.BlockResponse,
        _ => 0,
    };

    /// <summary>The network type the parts of a message of this kind travel as; 0 for kinds never split (a vote or status is a few hundred bytes).</summary>
    private static byte PartTypeOf(byte kind) => (PeerMessageKind)kind switch
    {
        PeerMessageKind.Proposal => MessageType.ProposalPart,
        PeerMessageKind.CommittedBlock => MessageType.BlockResponse,
        _ => 0,
    };

    private readonly record struct LargeKey(PeerMessageKind Kind, ulong Height, int Round, int PolRound, Hash256 BlockHash, Address Proposer);

    private sealed record SplitMessage(LargeKey? Key, byte Type, byte[][] Parts);

    private readonly record struct SentLarge(LargeKey Key, PeerLink Link, long Timestamp);
}
