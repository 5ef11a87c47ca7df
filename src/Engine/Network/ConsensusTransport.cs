using NexusFast.Engine.Consensus.Host;

namespace NexusFast.Engine.Network;

/// <summary>
/// The consensus host's <see cref="IPeerTransport"/> over a <see cref="NetworkHost"/>: consensus peer i is the i-th
/// other validator's node id, and each consensus message (<see cref="PeerMessageCodec"/>) travels as the network message
/// type of its kind (proposal, vote, sync status, committed block), so the link puts votes ahead of bulk traffic.
/// Received messages are decoded on the link's thread and handed to <c>onMessage</c> with the sender's index; the caller
/// moves them onto its consensus thread. A message from a node that is not a validator is ignored; one that does not
/// decode, or arrives under another kind's type, gets its sender banned.
/// </summary>
public sealed class ConsensusTransport : IPeerTransport
{
    private readonly NetworkHost _host;
    private readonly NodeId[] _validators;
    private readonly Dictionary<NodeId, int> _indexOf;
    private readonly Action<int, object> _onMessage;

    /// <summary>Registers the handlers on <paramref name="host"/>; call before <see cref="NetworkHost.Start"/>.</summary>
    public ConsensusTransport(NetworkHost host, IReadOnlyList<NodeId> validators, Action<int, object> onMessage)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(validators);
        _host = host;
        _onMessage = onMessage ?? throw new ArgumentNullException(nameof(onMessage));
        _validators = validators.Where(id => id != host.NodeId).Distinct().ToArray();
        _indexOf = _validators.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => p.index);
        Peers = Enumerable.Range(0, _validators.Length).ToArray();
        foreach (byte type in (ReadOnlySpan<byte>)[MessageType.Proposal, MessageType.Vote, MessageType.SyncStatus, MessageType.BlockResponse])
        {
            host.Register(type, Receive);
        }
    }

    public IReadOnlyList<int> Peers { get; }

    public NodeId PeerId(int peer) => _validators[peer];

    public void Send(int peer, object message)
    {
        byte[] encoded = PeerMessageCodec.Encode(message);
        // A peer that is not connected misses the message; consensus re-sends its state on the next gossip round.
        _host.TrySend(_validators[peer], TypeOf(encoded[0]), encoded);
    }

    private MessageVerdict Receive(in InboundMessage message)
    {
        if (!_indexOf.TryGetValue(message.Peer.Id, out int index)) return MessageVerdict.Ignore;
        object decoded;
        try
        {
            if (message.Payload.IsEmpty || TypeOf(message.Payload[0]) != message.Type) return MessageVerdict.Misbehaved;
            decoded = PeerMessageCodec.Decode(message.Payload);
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
}
