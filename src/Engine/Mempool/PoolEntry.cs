using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Mempool;

/// <summary>
/// A transaction held by the pool, with its arrival order (ties break by first come) and maximum cost. Entries are
/// recycled by the pool (<see cref="TxPool"/> keeps the free ones), so admission allocates nothing in steady state;
/// nothing outside the pool's lock ever sees one.
/// </summary>
internal sealed class PoolEntry
{
    public Transaction Tx { get; private set; } = null!;

    public long Sequence { get; private set; }

    public UInt256 MaxCost { get; private set; }

    /// <summary>Position in <see cref="EvictionHeap"/>, or -1 while the entry is not its sender's tail.</summary>
    public int HeapIndex { get; set; } = -1;

    public PoolEntry Init(Transaction tx, long sequence, in UInt256 maxCost)
    {
        Tx = tx;
        Sequence = sequence;
        MaxCost = maxCost;
        HeapIndex = -1;
        return this;
    }

    /// <summary>Drops the transaction reference before the entry waits for reuse.</summary>
    public void Release()
    {
        Tx = null!;
        HeapIndex = -1;
    }
}

/// <summary>
/// Eviction order: lowest fee cap first, then lowest tip, then the newest arrival. A total order (sequence
/// numbers are unique), so the heap's minimum is well defined.
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
