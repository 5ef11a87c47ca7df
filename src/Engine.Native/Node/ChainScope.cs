using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;

namespace NexusFast.Native.Node;

/// <summary>
/// A request's hold on the current chain: dispose it when the request is done with the chain. It also makes the
/// request a reader of the chain's <see cref="TransactionRecycler"/>, so no transaction it can reach (in the pool, in a
/// cached block) is reused before it leaves.
/// </summary>
public readonly struct ChainScope : IDisposable
{
    private readonly ChainLease _lease;
    private readonly TransactionRecycler.ReadScope _reading;

    internal ChainScope(ChainLease lease)
    {
        _lease = lease;
        _reading = lease.Chain.Recycler.EnterRead();
    }

    public Blockchain Chain => _lease.Chain;

    public void Dispose()
    {
        _reading.Dispose();
        _lease?.Exit();
    }
}
