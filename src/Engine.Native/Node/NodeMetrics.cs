namespace NexusFast.Native.Node;

/// <summary>Counters of the block producer and transaction admission, read by the /metrics endpoint.</summary>
public sealed class NodeMetrics
{
    private long _blocksProduced;
    private long _transactionsCommitted;
    private long _transactionsAccepted;
    private long _transactionsRejected;

    /// <summary>Seconds from taking transactions out of the pool to the committed block.</summary>
    public Histogram BlockProductionSeconds { get; } = new(Histogram.LatencySecondsBounds);

    /// <summary>Transactions per batched sender recovery (JSON-RPC batches of eth_sendRawTransaction).</summary>
    public Histogram RecoveryBatchSize { get; } = new(Histogram.SizeBounds);

    public long BlocksProduced => Volatile.Read(ref _blocksProduced);

    public long TransactionsCommitted => Volatile.Read(ref _transactionsCommitted);

    public long TransactionsAccepted => Volatile.Read(ref _transactionsAccepted);

    public long TransactionsRejected => Volatile.Read(ref _transactionsRejected);

    internal void OnBlockProduced(int transactions, double seconds)
    {
        Interlocked.Increment(ref _blocksProduced);
        Interlocked.Add(ref _transactionsCommitted, transactions);
        BlockProductionSeconds.Observe(seconds);
    }

    /// <summary>Consensus progress and peers of a validator (<see cref="NodeContext.RunsConsensus"/>).</summary>
    public ConsensusMetrics Consensus { get; } = new();

    internal void OnSubmitted(bool accepted)
    {
        if (accepted) Interlocked.Increment(ref _transactionsAccepted);
        else Interlocked.Increment(ref _transactionsRejected);
    }
}
