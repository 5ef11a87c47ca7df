using NexusFast.Engine.Chain;

namespace NexusFast.Native.Node;

/// <summary>A request's hold on the current chain: dispose it when the request is done with the chain.</summary>
public readonly struct ChainScope : IDisposable
{
    private readonly ChainLease _lease;

    internal ChainScope(ChainLease lease) => _lease = lease;

    public Blockchain Chain => _lease.Chain;

    public void Dispose() => _lease?.Exit();
}
