namespace NexusFast.Native.Node;

/// <summary>
/// A validator's consensus and network counters, written by the consensus thread and the network's events and read by
/// /metrics from request threads (hence the volatile reads and interlocked writes).
/// </summary>
public sealed class ConsensusMetrics
{
    private long _height;
    private long _round;
    private long _peers;
    private long _blocksCommitted;
    private long _blocksSynced;
    private long _gossipSent;
    private long _gossipReceived;
    private long _gossipAdmitted;
    private long _gossipDropped;

    /// <summary>The height consensus is deciding (the last committed block + 1).</summary>
    public long Height => Volatile.Read(ref _height);

    public long Round => Volatile.Read(ref _round);

    public long PeersConnected => Volatile.Read(ref _peers);

    /// <summary>Blocks committed since start, by our own votes or by block sync.</summary>
    public long BlocksCommitted => Volatile.Read(ref _blocksCommitted);

    /// <summary>Of <see cref="BlocksCommitted"/>, those applied from a peer's commit certificate (catching up).</summary>
    public long BlocksSynced => Volatile.Read(ref _blocksSynced);

    /// <summary>Transactions sent to peers in gossip batches (each counted once per batch, not per peer).</summary>
    public long GossipTransactionsSent => Volatile.Read(ref _gossipSent);

    public long GossipTransactionsReceived => Volatile.Read(ref _gossipReceived);

    /// <summary>Received transactions the pool admitted (new to this node and valid).</summary>
    public long GossipTransactionsAdmitted => Volatile.Read(ref _gossipAdmitted);

    /// <summary>Transactions not gossiped because the outgoing queue was full.</summary>
    public long GossipTransactionsDropped => Volatile.Read(ref _gossipDropped);

    internal void SetPosition(ulong height, int round)
    {
        Volatile.Write(ref _height, (long)height);
        Volatile.Write(ref _round, round);
    }

    internal void OnCommitted(bool synced)
    {
        Interlocked.Increment(ref _blocksCommitted);
        if (synced) Interlocked.Increment(ref _blocksSynced);
    }

    internal void SetPeers(int count) => Volatile.Write(ref _peers, count);

    internal void OnGossipSent(int transactions) => Interlocked.Add(ref _gossipSent, transactions);

    internal void OnGossipReceived(int transactions, int admitted)
    {
        Interlocked.Add(ref _gossipReceived, transactions);
        Interlocked.Add(ref _gossipAdmitted, admitted);
    }

    internal void OnGossipDropped() => Interlocked.Increment(ref _gossipDropped);
}
