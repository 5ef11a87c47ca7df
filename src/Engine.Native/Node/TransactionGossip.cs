using System.Threading.Channels;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Network;

namespace NexusFast.Native.Node;

/// <summary>
/// Spreads transactions between validators so that one sent to any node reaches the proposer. Outgoing: every
/// transaction the pool admitted (from a client, or new from a peer) is queued, and a sender task broadcasts whatever
/// has queued as one <see cref="MessageType.Transaction"/> batch (<see cref="TransactionBatchCodec"/>): one message
/// under light load, large batches under heavy load, no timer adding latency. Incoming: a batch is decoded on the
/// link's thread and handed to the chain's ingest pipeline (batched sender recovery) without waiting; admitted
/// transactions are gossiped on from here, so only valid, new transactions travel further (the network layer's own
/// relay is not used: the handler answers Ignore). A peer is banned only for bytes that do not decode; a transaction
/// that is invalid or no longer includable (a block took it meanwhile) is dropped silently.
/// </summary>
public sealed class TransactionGossip : IAsyncDisposable
{
    /// <summary>Transactions waiting to be gossiped, at most; more are dropped (and counted) rather than held in memory.</summary>
    public const int QueueMax = 65_536;

    /// <summary>Payload bytes of one batch, at most (well below the network's message limit).</summary>
    public const int BatchBytesMax = 512 * 1024;

    private readonly NodeContext _node;
    private readonly NetworkHost _network;
    private readonly Channel<byte[]> _outgoing = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(QueueMax) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _relayFromPeers;
    private Task _sender = Task.CompletedTask;
    private int _inFlight = 1; // the gossip itself, released by DisposeAsync

    /// <summary>Registers the gossip handler on <paramref name="network"/>; call before the network starts.</summary>
    /// <param name="relayFromPeers">Whether transactions admitted from a peer go on to the other peers: needed unless
    /// every validator is every other's direct peer (a full mesh), where it only multiplies the traffic.</param>
    public TransactionGossip(NodeContext node, NetworkHost network, bool relayFromPeers = true)
    {
        _node = node ?? throw new ArgumentNullException(nameof(node));
        _network = network ?? throw new ArgumentNullException(nameof(network));
        _relayFromPeers = relayFromPeers;
        network.RegisterGossip(MessageType.Transaction, Receive);
    }

    public void Start() => _sender = Task.Run(SendLoopAsync);

    /// <summary>Queues an admitted transaction's raw bytes for the next batch; never blocks.</summary>
    public void Enqueue(byte[] raw)
    {
        if (!_outgoing.Writer.TryWrite(raw)) _node.Metrics.Consensus.OnGossipDropped();
    }

    private async Task SendLoopAsync()
    {
        var batch = new List<byte[]>();
        byte[]? carried = null;
        while (carried is not null || await _outgoing.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            int bytes = 0;
            if (carried is not null)
            {
                batch.Add(carried);
                bytes = TransactionBatchCodec.SizeOf(carried.Length);
                carried = null;
            }
            while (_outgoing.Reader.TryRead(out byte[]? raw))
            {
                if (batch.Count > 0 && bytes + TransactionBatchCodec.SizeOf(raw.Length) > BatchBytesMax)
                {
                    carried = raw;
                    break;
                }
                batch.Add(raw);
                bytes += TransactionBatchCodec.SizeOf(raw.Length);
            }
            _network.Broadcast(MessageType.Transaction, TransactionBatchCodec.Encode(batch));
            _node.Metrics.Consensus.OnGossipSent(batch.Count);
            batch.Clear();
        }
    }

    private MessageVerdict Receive(in InboundMessage message)
    {
        var raws = new List<byte[]>();
        if (!TransactionBatchCodec.TryDecode(message.Payload, raws, out _)) return MessageVerdict.Misbehaved;
        ChainScope scope;
        try
        {
            scope = _node.EnterChain();
        }
        catch (ObjectDisposedException)
        {
            return MessageVerdict.Ignore; // shutting down
        }
        Blockchain chain = scope.Chain;
        bool undecodable = false;
        List<(Transaction Tx, byte[] Raw, ValueTask<TxError> Outcome)>? queued = null;
        foreach (byte[] raw in raws)
        {
            Transaction tx = chain.Recycler.Rent();
            TxError error = TransactionValidator.DecodeAndCheck(raw, tx, chain.Config, TxValidationMode.Policy, out _);
            if (error == TxError.None && !chain.Pool.Contains(tx.Hash))
            {
#pragma warning disable CA2012 // each outcome is awaited exactly once, in CompleteAsync
                (queued ??= []).Add((tx, raw, chain.Ingest.SubmitAsync(tx)));
#pragma warning restore CA2012
                continue;
            }
            undecodable |= IsUndecodable(error);
            chain.Recycler.Retire(tx);
        }
        if (queued is null)
        {
            _node.Metrics.Consensus.OnGossipReceived(raws.Count, 0);
            scope.Dispose();
        }
        else
        {
            Interlocked.Increment(ref _inFlight);
            _ = CompleteAsync(scope, queued, raws.Count);
        }
        return undecodable ? MessageVerdict.Misbehaved : MessageVerdict.Ignore;
    }

    /// <summary>Awaits the pipeline's verdicts: admitted transactions go on to the other peers, refused ones back to the recycler.</summary>
    private async Task CompleteAsync(ChainScope scope, List<(Transaction Tx, byte[] Raw, ValueTask<TxError> Outcome)> queued, int received)
    {
        int admitted = 0;
        try
        {
            foreach ((Transaction tx, byte[] raw, ValueTask<TxError> outcome) in queued)
            {
                TxError error;
                try
                {
                    error = await outcome.ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    continue; // the chain closed under it (shutdown)
                }
                if (error == TxError.None)
                {
                    admitted++;
                    if (_relayFromPeers) Enqueue(raw);
                }
                else
                {
                    scope.Chain.Recycler.Retire(tx);
                }
            }
        }
        finally
        {
            _node.Metrics.Consensus.OnGossipReceived(received, admitted);
            scope.Dispose();
            Release();
        }
    }

    /// <summary>Errors of the bytes themselves (RLP, field widths), as opposed to rules a valid encoding may break.</summary>
    private static bool IsUndecodable(TxError error) =>
        error is TxError.RlpInvalid or TxError.NonceOverflow or TxError.GasLimitOverflow or TxError.GasPriceOverflow
            or TxError.PriorityOverflow or TxError.ValueOverflow or TxError.ChainIdOverflow;

    private void Release()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0) _drained.TrySetResult();
    }

    /// <summary>Stops sending and waits (bounded) for received batches still in the ingest pipeline. Dispose the network first.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_outgoing.Writer.TryComplete()) return;
        Release();
        await _sender.ConfigureAwait(false);
        await _drained.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }
}
