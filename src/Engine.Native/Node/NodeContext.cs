using NexusFast.Engine.Chain;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Node;

/// <summary>
/// The running node as the RPC layer sees it: the chain, its block producer, fee oracle, metrics and identity.
/// Owns the chain from construction on and disposes it in <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// Shutdown order for the host: stop the HTTP server (drains requests), then <see cref="DisposeAsync"/>: the producer
/// finishes the block in flight, the state is checkpointed (durable chains), the chain is disposed.
/// On a devnet, evm_revert swaps in a rebuilt chain: requests take the chain with <see cref="EnterChain"/> and keep it
/// for the whole call.
/// </remarks>
public sealed class NodeContext : IAsyncDisposable
{
    private ChainLease _lease;
    private int _state; // 0 created, 1 started, 2 stopping

    public NodeContext(Blockchain chain, NodeOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        _lease = new ChainLease(chain);
        ObserveIngest(chain);
        Options = options;
        Time = time ?? TimeProvider.System;
        // A validator's blocks come from consensus: its producer exists (the RPC layer asks it about automine) but never runs.
        Producer = new BlockProducer(this, options.RunsConsensus ? options with { Automine = false, BlockTimeMs = 0 } : options, Time);
    }

    public NodeOptions Options { get; }

    public bool IsDevnet => Options.IsDevnet;

    public IReadOnlyList<Address> Accounts => Options.Accounts;

    public string ClientVersion => Options.ClientVersion;

    public TimeProvider Time { get; }

    public BlockProducer Producer { get; }

    public FeeOracle Fees { get; } = new();

    public NodeMetrics Metrics { get; } = new();

    /// <summary>Whether blocks come from BFT consensus (see <see cref="NodeOptions.RunsConsensus"/>).</summary>
    public bool RunsConsensus => Options.RunsConsensus;

    /// <summary>
    /// Called with the raw bytes of every transaction the pool admitted from a client (JSON-RPC), so that a validator
    /// gossips it to its peers; null on a node without peers. Must not block.
    /// </summary>
    public Action<byte[]>? TransactionAdmitted { get; set; }

    /// <summary>Connected peers, for net_peerCount; null on a node without peers.</summary>
    public Func<int>? PeerCount { get; set; }

    /// <summary>Why consensus stopped on its own; null while it runs (or on a node without it).</summary>
    public Exception? ConsensusFault { get; set; }

    /// <summary>Started, not stopping, and the producer has not failed.</summary>
    public bool IsReady => Volatile.Read(ref _state) == 1 && Producer.Fault is null && ConsensusFault is null;

    /// <summary>
    /// The chain right now. Fine for start-up printing and tests; request handlers use <see cref="EnterChain"/>, because
    /// a devnet revert may replace (and then dispose) this instance.
    /// </summary>
    public Blockchain CurrentChain => Volatile.Read(ref _lease).Chain;

    /// <summary>Starts block production (automine and interval mining); on a validator only marks the node started.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new InvalidOperationException("the node was already started");
        if (!RunsConsensus) Producer.Start();
    }

    /// <summary>Holds the current chain until the scope is disposed.</summary>
    /// <exception cref="ObjectDisposedException">The node has been disposed.</exception>
    public ChainScope EnterChain()
    {
        while (true)
        {
            ChainLease lease = Volatile.Read(ref _lease);
            if (lease.TryEnter()) return new ChainScope(lease);
            // A retired lease that is still the current one means the node was disposed; otherwise it was replaced
            // between the read and the entry, and the replacement is already published.
            ObjectDisposedException.ThrowIf(ReferenceEquals(Volatile.Read(ref _lease), lease), this);
        }
    }

    /// <summary>Publishes a rebuilt chain (devnet revert); the old one is disposed when its last request leaves.</summary>
    internal void ReplaceChain(Blockchain replacement)
    {
        ObserveIngest(replacement);
        ChainLease old = Interlocked.Exchange(ref _lease, new ChainLease(replacement));
        old.Retire();
    }

    private void ObserveIngest(Blockchain chain) => chain.Ingest.BatchObserver = size => Metrics.RecoveryBatchSize.Observe(size);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2) return;
        await Producer.DisposeAsync().ConfigureAwait(false);
        ChainLease lease = Volatile.Read(ref _lease);
        try
        {
            if (Producer.Fault is null) lease.Chain.Checkpoint();
        }
        finally
        {
            lease.Retire();
        }
    }
}
