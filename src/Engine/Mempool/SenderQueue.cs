using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Mempool;

/// <summary>
/// One sender's transactions by nonce. Those from the account nonce on without a gap are ready; the rest wait
/// for the gap to fill. The pool reuses queues of senders that left it (their sorted list keeps its capacity).
/// </summary>
internal sealed class SenderQueue
{
    public Address Sender { get; private set; }

    /// <summary>The committed account nonce: the next nonce the chain will accept from this sender.</summary>
    public ulong AccountNonce { get; set; }

    public SenderQueue Init(Address sender, ulong accountNonce)
    {
        Sender = sender;
        AccountNonce = accountNonce;
        ByNonce.Clear();
        return this;
    }

    public SortedList<ulong, PoolEntry> ByNonce { get; } = new();

    public int Count => ByNonce.Count;

    /// <summary>The highest-nonce entry: the only one that can be evicted without opening a gap.</summary>
    public PoolEntry? Tail => ByNonce.Count == 0 ? null : ByNonce.Values[ByNonce.Count - 1];

    /// <summary>Number of ready transactions: consecutive nonces starting at the account nonce.</summary>
    public int ReadyCount()
    {
        int ready = 0;
        ulong expected = AccountNonce;
        IList<ulong> nonces = ByNonce.Keys;
        while (ready < nonces.Count && nonces[ready] == expected)
        {
            ready++;
            expected++;
        }
        return ready;
    }
}
