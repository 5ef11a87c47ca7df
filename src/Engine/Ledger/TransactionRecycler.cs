using Microsoft.Extensions.ObjectPool;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Reuses <see cref="Transaction"/> objects once no reader can still see them, so that ingest allocates none per
/// transaction in steady state. A transaction is shared: the pool, the block that includes it, the block cache and any
/// RPC request that looked it up all hold the same object, so it may only be reused when every request that could have
/// reached it has finished. That is epoch-based reclamation:
/// <list type="bullet">
/// <item>Readers (each RPC request, through ChainScope) <see cref="EnterRead"/> and dispose the scope when done;
/// they are counted per global epoch.</item>
/// <item>The owner <see cref="Retire"/>s transactions only after unlinking them from every shared structure (the block
/// cache evicts the block), so a reader that starts later cannot find them.</item>
/// <item>The epoch advances from e to e + 1 only when no reader of epoch e - 1 remains; what was retired in epoch x is
/// reused once the epoch reaches x + 2, when every reader that entered before the retirement has left.</item>
/// </list>
/// Only transactions this recycler handed out are reused (<see cref="Transaction.IsRecycled"/>); others (decoded from
/// the block log, built by tools and tests) are left to the garbage collector, so their holders keep them intact.
/// </summary>
public sealed class TransactionRecycler
{
    /// <summary>At most this many free transactions are kept; more are left to the garbage collector.</summary>
    public const int RetainedMax = 1 << 17;

    private readonly ObjectPool<Transaction> _free = new DefaultObjectPool<Transaction>(new Policy(), RetainedMax);
    private readonly object _gate = new();
    private readonly int[] _readers = new int[3];
    private readonly List<Transaction>[] _limbo = [[], [], []];

    // Starts at 2 so that epoch - 1 is never negative in the slot arithmetic.
    private long _epoch = 2;

    public long Epoch => Volatile.Read(ref _epoch);

    /// <summary>Transactions retired and not yet reusable (tests, metrics).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate) return _limbo[0].Count + _limbo[1].Count + _limbo[2].Count;
        }
    }

    /// <summary>A cleared transaction, reused when one is free.</summary>
    public Transaction Rent()
    {
        Transaction tx = _free.Get();
        tx.IsRecycled = true;
        return tx;
    }

    /// <summary>Marks the caller as a reader until the scope is disposed: nothing it can reach is reused meanwhile.</summary>
    public ReadScope EnterRead()
    {
        while (true)
        {
            long epoch = Volatile.Read(ref _epoch);
            Interlocked.Increment(ref _readers[epoch % 3]);
            // Counted in the slot of the epoch it read, but the epoch may have moved on before the count landed: then
            // the slot may belong to a later epoch, so retry with the current one (the count never protected anything).
            if (Volatile.Read(ref _epoch) == epoch) return new ReadScope(this, epoch);
            Interlocked.Decrement(ref _readers[epoch % 3]);
        }
    }

    /// <summary>
    /// Hands back transactions that nothing shared links to any more (unlink first, then retire); those this recycler
    /// did not hand out are ignored. They are reused two epochs later.
    /// </summary>
    public void Retire(ReadOnlySpan<Transaction> txs)
    {
        lock (_gate)
        {
            List<Transaction> limbo = _limbo[_epoch % 3];
            foreach (Transaction tx in txs)
            {
                if (tx.IsRecycled) limbo.Add(tx);
            }
            TryAdvanceLocked();
        }
    }

    public void Retire(Transaction tx) => Retire([tx]);

    /// <summary>Moves the epoch on if no reader of the previous one remains, freeing what was retired two epochs ago.</summary>
    public bool TryAdvance()
    {
        lock (_gate) return TryAdvanceLocked();
    }

    private bool TryAdvanceLocked()
    {
        long epoch = _epoch;
        if (Volatile.Read(ref _readers[(epoch - 1) % 3]) != 0) return false;
        // Retired in epoch - 1: every reader that could have seen them entered in epoch - 2 or epoch - 1, and none is
        // left (epoch - 2's were gone when the epoch reached epoch). The slot is the one epoch + 2 will fill.
        List<Transaction> reusable = _limbo[(epoch - 1) % 3];
        foreach (Transaction tx in reusable) _free.Return(tx);
        reusable.Clear();
        Volatile.Write(ref _epoch, epoch + 1);
        return true;
    }

    private void ExitRead(long epoch) => Interlocked.Decrement(ref _readers[epoch % 3]);

    /// <summary>A reader's hold; dispose exactly once.</summary>
    public readonly struct ReadScope : IDisposable
    {
        private readonly TransactionRecycler? _owner;
        private readonly long _epoch;

        internal ReadScope(TransactionRecycler owner, long epoch)
        {
            _owner = owner;
            _epoch = epoch;
        }

        public void Dispose() => _owner?.ExitRead(_epoch);
    }

    private sealed class Policy : PooledObjectPolicy<Transaction>
    {
        public override Transaction Create() => new();

        public override bool Return(Transaction obj)
        {
            obj.Reset();
            return true;
        }
    }
}
