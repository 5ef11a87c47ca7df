using NexusFast.Engine.Chain;

namespace NexusFast.Native.Node;

/// <summary>
/// One chain instance and the requests using it. A devnet's evm_revert replaces the chain with a rebuilt one; the old
/// instance is disposed only when the last request that entered it has left, so no reader ever sees a disposed store.
/// </summary>
internal sealed class ChainLease(Blockchain chain)
{
    // Low bits: requests inside; RetiredBit: replaced, no new entries. Disposal happens exactly once, when the state
    // is RetiredBit with nobody inside, by whichever of Retire/Exit observes that.
    private const int RetiredBit = 1 << 30;
    private int _state;

    public Blockchain Chain { get; } = chain;

    public bool TryEnter()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if ((state & RetiredBit) != 0) return false;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state) return true;
        }
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _state) == RetiredBit) Chain.Dispose();
    }

    public void Retire()
    {
        if (Interlocked.Add(ref _state, RetiredBit) == RetiredBit) Chain.Dispose();
    }
}
