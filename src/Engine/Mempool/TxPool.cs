using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Mempool;

/// <summary>
/// The transaction pool: per-sender nonce queues, replacement by fee bump, global and per-sender bounds with
/// eviction of the lowest-paying transaction, and fee-ordered selection for block building.
/// Callers hand in transactions that passed the stateless rules and whose sender is recovered.
/// All members are thread-safe (one lock: admission and selection are short and never do I/O).
/// </summary>
public sealed class TxPool
{
    private readonly MempoolLimits _limits;
    private readonly IAccountStateReader _state;
    private readonly object _gate = new();
    private readonly Dictionary<Hash256, PoolEntry> _byHash = new();
    private readonly Dictionary<Address, SenderQueue> _senders = new();

    // Each sender's highest-nonce entry, cheapest first: evicting one of these never opens a nonce gap.
    private readonly EvictionHeap _evictable = new();

    // Entries and sender queues no longer in use, reused so that admission allocates nothing in steady state.
    private readonly Stack<PoolEntry> _freeEntries = new();
    private readonly Stack<SenderQueue> _freeQueues = new();
    private long _sequence;

    public TxPool(MempoolLimits limits, IAccountStateReader state)
    {
        _limits = limits;
        _state = state;
    }

    public int Count
    {
        get
        {
            lock (_gate) return _byHash.Count;
        }
    }

    /// <summary>Ready (executable now) and waiting (behind a nonce gap) counts.</summary>
    public (int Ready, int Waiting) Counts()
    {
        lock (_gate)
        {
            int ready = 0;
            foreach (SenderQueue queue in _senders.Values) ready += queue.ReadyCount();
            return (ready, _byHash.Count - ready);
        }
    }

    public bool Contains(Hash256 hash)
    {
        lock (_gate) return _byHash.ContainsKey(hash);
    }

    public bool TryGet(Hash256 hash, [NotNullWhen(true)] out Transaction? tx)
    {
        lock (_gate)
        {
            tx = _byHash.TryGetValue(hash, out PoolEntry? entry) ? entry.Tx : null;
            return tx is not null;
        }
    }

    /// <summary>
    /// The recovered sender of the pooled transaction with this hash. Read under the pool's lock: a transaction object
    /// that leaves the pool may be recycled, so callers must not keep the object itself.
    /// </summary>
    public bool TryGetSender(Hash256 hash, out Address sender)
    {
        lock (_gate)
        {
            if (_byHash.TryGetValue(hash, out PoolEntry? entry) && entry.Tx.HasSender)
            {
                sender = entry.Tx.Sender;
                return true;
            }
            sender = default;
            return false;
        }
    }

    /// <summary>The highest nonce the pool holds for a sender plus one, or the account nonce (eth_getTransactionCount "pending").</summary>
    public ulong PendingNonce(Address sender)
    {
        lock (_gate)
        {
            ulong next = _state.GetSenderAccount(sender).Nonce;
            if (!_senders.TryGetValue(sender, out SenderQueue? queue)) return next;
            IList<ulong> nonces = queue.ByNonce.Keys;
            for (int i = 0; i < nonces.Count && nonces[i] == next; i++) next++;
            return next;
        }
    }

    /// <summary>Admits a transaction or says precisely why not; a refused transaction changes nothing.</summary>
    public TxError TryAdd(Transaction tx)
    {
        Invariant.Check(tx.HasSender);
        lock (_gate)
        {
            if (_byHash.ContainsKey(tx.Hash)) return TxError.AlreadyKnown;
            if (tx.MaxFeePerGas < _limits.FeeCapMin) return TxError.FeeCapBelowMinimum;

            SenderAccount account = _state.GetSenderAccount(tx.Sender);
            if (tx.Nonce < account.Nonce) return TxError.NonceTooLow;
            if (tx.Nonce - account.Nonce >= (ulong)_limits.PerSenderMax) return TxError.NonceTooHigh;
            if (!tx.TryGetMaxCost(out UInt256 maxCost)) return TxError.InsufficientFunds;

            _senders.TryGetValue(tx.Sender, out SenderQueue? queue);
            PoolEntry? replaced = null;
            if (queue is not null && queue.ByNonce.TryGetValue(tx.Nonce, out replaced))
            {
                if (!IsSufficientBump(replaced.Tx, tx)) return TxError.ReplacementUnderpriced;
            }
            else if (queue is not null && queue.Count >= _limits.PerSenderMax)
            {
                return TxError.SenderLimitReached;
            }

            // The sender must afford this transaction after every one it sends before it.
            UInt256 committed = maxCost;
            if (queue is not null)
            {
                // By index: SortedList's enumerators are classes, and admission allocates nothing.
                IList<PoolEntry> earlier = queue.ByNonce.Values;
                for (int i = 0; i < earlier.Count && earlier[i].Tx.Nonce < tx.Nonce; i++)
                {
                    if (UInt256.AddOverflow(committed, earlier[i].MaxCost, out committed)) return TxError.InsufficientFunds;
                }
            }
            if (committed > account.Balance) return TxError.InsufficientFunds;

            if (replaced is null && _byHash.Count >= _limits.TransactionsMax && !TryEvictFor(tx)) return TxError.PoolFull;

            queue ??= AddSender(tx.Sender, account.Nonce);
            queue.AccountNonce = account.Nonce;
            PoolEntry entry = (_freeEntries.TryPop(out PoolEntry? free) ? free : new PoolEntry()).Init(tx, _sequence++, maxCost);
            PoolEntry? oldTail = queue.Tail;
            if (oldTail is not null) _evictable.Remove(oldTail);
            if (replaced is not null) _byHash.Remove(replaced.Tx.Hash);
            queue.ByNonce[tx.Nonce] = entry;
            _byHash.Add(tx.Hash, entry);
            _evictable.Add(queue.Tail!);
            if (replaced is not null) Free(replaced);
            return TxError.None;
        }
    }

    /// <summary>
    /// Ready transactions for a block under <paramref name="baseFee"/>, best effective tip first, each sender's in
    /// nonce order, until <paramref name="gasLimit"/> is used up. A sender whose next transaction does not fit or
    /// cannot pay the base fee contributes nothing further (its later nonces would not be executable).
    /// </summary>
    public List<Transaction> SelectForBlock(in UInt256 baseFee, ulong gasLimit, int countMax = int.MaxValue)
    {
        var selected = new List<Transaction>();
        lock (_gate)
        {
            var heads = new PriorityQueue<SenderCursor, SenderCursor>(_senders.Count, SelectionOrder.Instance);
            foreach (SenderQueue queue in _senders.Values)
            {
                if (SenderCursor.TryCreate(queue, 0, queue.AccountNonce, baseFee, out SenderCursor cursor)) heads.Enqueue(cursor, cursor);
            }

            ulong gasLeft = gasLimit;
            while (heads.TryDequeue(out SenderCursor cursor, out _) && selected.Count < countMax)
            {
                Transaction tx = cursor.Current.Tx;
                if (tx.GasLimit > gasLeft) continue;
                selected.Add(tx);
                gasLeft -= tx.GasLimit;
                if (gasLeft < IntrinsicGas.Transaction) break;
                if (SenderCursor.TryCreate(cursor.Queue, cursor.Index + 1, tx.Nonce + 1, baseFee, out SenderCursor next)) heads.Enqueue(next, next);
            }
        }
        return selected;
    }

    /// <summary>
    /// After a block commits: drops every pooled transaction whose nonce the chain has now used, for the senders
    /// of the block's transactions, and records their new account nonces.
    /// </summary>
    public void OnBlockCommitted(IReadOnlyList<Transaction> included)
    {
        lock (_gate)
        {
            foreach (Transaction tx in included) Resync(tx.Sender);
        }
    }

    /// <summary>
    /// After a development chain edited accounts directly (anvil_setNonce, anvil_setBalance): re-reads their nonces,
    /// as <see cref="OnBlockCommitted"/> does for the senders of a block.
    /// </summary>
    public void OnAccountsEdited(IReadOnlyList<AccountOverride> edits)
    {
        lock (_gate)
        {
            foreach (AccountOverride edit in edits) Resync(edit.Address);
        }
    }

    private void Resync(Address sender)
    {
        if (!_senders.TryGetValue(sender, out SenderQueue? queue)) return;
        ulong accountNonce = _state.GetSenderAccount(sender).Nonce;
        queue.AccountNonce = accountNonce;
        if (queue.Count == 0 || queue.ByNonce.Keys[0] >= accountNonce) return;
        // The tail leaves the heap first: it may itself be stale, and a freed entry must be in no structure.
        _evictable.Remove(queue.Tail!);
        int stale = 0;
        while (stale < queue.Count && queue.ByNonce.Keys[stale] < accountNonce)
        {
            PoolEntry entry = queue.ByNonce.Values[stale++];
            _byHash.Remove(entry.Tx.Hash);
            Free(entry);
        }
        RemoveFirst(queue.ByNonce, stale);
        if (queue.Tail is not null) _evictable.Add(queue.Tail);
        else RemoveSender(queue);
    }

    /// <summary>Removes the first <paramref name="count"/> entries of a sorted list (oldest nonces).</summary>
    private static void RemoveFirst(SortedList<ulong, PoolEntry> byNonce, int count)
    {
        for (int i = 0; i < count; i++) byNonce.RemoveAt(0);
    }

    private void Free(PoolEntry entry)
    {
        entry.Release();
        _freeEntries.Push(entry);
    }

    private void RemoveSender(SenderQueue queue)
    {
        _senders.Remove(queue.Sender);
        queue.ByNonce.Clear();
        _freeQueues.Push(queue);
    }

    /// <summary>Removes everything (devnet state reverts).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _evictable.Clear();
            foreach (PoolEntry entry in _byHash.Values) Free(entry);
            foreach (SenderQueue queue in _senders.Values)
            {
                queue.ByNonce.Clear();
                _freeQueues.Push(queue);
            }
            _byHash.Clear();
            _senders.Clear();
        }
    }

    /// <summary>
    /// Checks the pool's structures against each other (tests): the hash index holds exactly the queued entries, no
    /// queue is empty, and the eviction heap holds exactly each sender's tail, in heap order. Throws on a violation.
    /// </summary>
    internal void CheckConsistency()
    {
        lock (_gate)
        {
            int queued = 0;
            foreach ((Address sender, SenderQueue queue) in _senders)
            {
                if (queue.Count == 0) throw new InvalidOperationException($"sender {sender} has an empty queue");
                if (queue.Sender != sender) throw new InvalidOperationException($"queue of {sender} says it is {queue.Sender}");
                foreach (PoolEntry entry in queue.ByNonce.Values)
                {
                    queued++;
                    if (!_byHash.TryGetValue(entry.Tx.Hash, out PoolEntry? indexed) || !ReferenceEquals(indexed, entry))
                        throw new InvalidOperationException($"transaction {entry.Tx.Hash} is queued but not indexed");
                    bool isTail = ReferenceEquals(entry, queue.Tail);
                    if (isTail != _evictable.Contains(entry))
                        throw new InvalidOperationException($"transaction {entry.Tx.Hash}: tail {isTail}, in the eviction heap {!isTail}");
                }
            }
            if (queued != _byHash.Count) throw new InvalidOperationException($"{_byHash.Count} indexed, {queued} queued");
            if (_evictable.Count != _senders.Count) throw new InvalidOperationException($"{_evictable.Count} eviction candidates for {_senders.Count} senders");
            _evictable.CheckOrder();
            foreach (PoolEntry free in _freeEntries)
            {
                if (free.Tx is not null || free.HeapIndex != -1) throw new InvalidOperationException("a free entry still holds a transaction");
            }
        }
    }

    private SenderQueue AddSender(Address sender, ulong accountNonce)
    {
        SenderQueue queue = (_freeQueues.TryPop(out SenderQueue? free) ? free : new SenderQueue()).Init(sender, accountNonce);
        _senders.Add(sender, queue);
        return queue;
    }

    private bool IsSufficientBump(Transaction old, Transaction candidate)
    {
        UInt256 percent = new((ulong)(100 + _limits.ReplacementBumpPercent));
        UInt256 hundred = new(100);
        // new >= old * (100 + bump) / 100, compared as new * 100 >= old * (100 + bump) to avoid rounding down.
        bool capOk = !UInt256.MultiplyOverflow(old.MaxFeePerGas, percent, out UInt256 capNeeded)
            && (UInt256.MultiplyOverflow(candidate.MaxFeePerGas, hundred, out UInt256 capOffered) || capOffered >= capNeeded);
        bool tipOk = !UInt256.MultiplyOverflow(old.MaxPriorityFeePerGas, percent, out UInt256 tipNeeded)
            && (UInt256.MultiplyOverflow(candidate.MaxPriorityFeePerGas, hundred, out UInt256 tipOffered) || tipOffered >= tipNeeded);
        return capOk && tipOk;
    }

    private bool TryEvictFor(Transaction incoming)
    {
        if (_evictable.Count == 0) return false;
        PoolEntry cheapest = _evictable.Min;
        // Only a strictly better-paying newcomer displaces anyone, and never a sender's own earlier nonce.
        if (incoming.MaxFeePerGas <= cheapest.Tx.MaxFeePerGas) return false;
        if (cheapest.Tx.Sender == incoming.Sender) return false;
        RemoveTail(cheapest);
        return true;
    }

    private void RemoveTail(PoolEntry tail)
    {
        SenderQueue queue = _senders[tail.Tx.Sender];
        Invariant.Check(ReferenceEquals(queue.Tail, tail));
        _evictable.Remove(tail);
        queue.ByNonce.RemoveAt(queue.Count - 1);
        _byHash.Remove(tail.Tx.Hash);
        Free(tail);
        if (queue.Tail is not null) _evictable.Add(queue.Tail);
        else RemoveSender(queue);
    }

    /// <summary>A position in one sender's queue during block selection, with its effective tip.</summary>
    private readonly record struct SenderCursor(SenderQueue Queue, int Index, UInt256 Tip)
    {
        public PoolEntry Current => Queue.ByNonce.Values[Index];

        /// <summary>A cursor exists when the entry at index has the expected nonce and can pay the base fee.</summary>
        public static bool TryCreate(SenderQueue queue, int index, ulong expectedNonce, in UInt256 baseFee, out SenderCursor cursor)
        {
            cursor = default;
            if (index >= queue.Count) return false;
            Transaction tx = queue.ByNonce.Values[index].Tx;
            if (tx.Nonce != expectedNonce || tx.MaxFeePerGas < baseFee) return false;
            cursor = new SenderCursor(queue, index, tx.EffectiveTip(baseFee));
            return true;
        }
    }

    /// <summary>Highest effective tip first; equal tips by arrival.</summary>
    private sealed class SelectionOrder : IComparer<SenderCursor>
    {
        public static readonly SelectionOrder Instance = new();

        public int Compare(SenderCursor x, SenderCursor y)
        {
            int byTip = UInt256.Compare(y.Tip, x.Tip);
            return byTip != 0 ? byTip : x.Current.Sequence.CompareTo(y.Current.Sequence);
        }
    }
}
