using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Mempool;

/// <summary>A transaction held by the pool, with its arrival order (ties break by first come) and maximum cost.</summary>
internal sealed class PoolEntry(Transaction tx, long sequence, UInt256 maxCost)
{
    public Transaction Tx { get; } = tx;

    public long Sequence { get; } = sequence;

    public UInt256 MaxCost { get; } = maxCost;
}

/// <summary>
/// Eviction order: lowest fee cap first, then lowest tip, then the newest arrival. A total order (sequence
/// numbers are unique), so a SortedSet can hold the candidates.
/// </summary>
internal sealed class EvictionOrder : IComparer<PoolEntry>
{
    public static readonly EvictionOrder Instance = new();

    public int Compare(PoolEntry? x, PoolEntry? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        int byCap = UInt256.Compare(x!.Tx.MaxFeePerGas, y!.Tx.MaxFeePerGas);
        if (byCap != 0) return byCap;
        int byTip = UInt256.Compare(x.Tx.MaxPriorityFeePerGas, y.Tx.MaxPriorityFeePerGas);
        if (byTip != 0) return byTip;
        return y.Sequence.CompareTo(x.Sequence);
    }
}
