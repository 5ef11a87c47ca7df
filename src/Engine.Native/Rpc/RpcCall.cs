using NexusFast.Engine.Ledger;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Node;

namespace NexusFast.Native.Rpc;

/// <summary>
/// What a method handler sees of its request: the node, the chain held for this call, the limits, the cancellation
/// of the HTTP request, and the work to finish before the response goes out (automine inclusion).
/// </summary>
internal sealed class RpcCall(NodeContext node, RpcOptions options, CancellationToken cancellation)
{
    private Dictionary<int, Presubmission>? _presubmitted;

    public NodeContext Node { get; } = node;

    public RpcOptions Options { get; } = options;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>The chain this call entered (see <see cref="NodeContext.EnterChain"/>).</summary>
    public Blockchain Chain { get; internal set; } = null!;

    /// <summary>Position of the call in its batch (0 for a single request).</summary>
    public int RequestIndex { get; internal set; }

    /// <summary>Transactions accepted by this HTTP request that automine should include before the response.</summary>
    public List<Hash256> AwaitInclusion { get; } = new();

    /// <summary>
    /// After the answers are written: hands the transactions the pool refused back to the recycler (admitted ones are the
    /// pool's now, and come back when their block leaves the cache).
    /// </summary>
    internal void RetireRefused(TransactionRecycler recycler)
    {
        if (_presubmitted is null) return;
        foreach (Presubmission outcome in _presubmitted.Values)
        {
            if (outcome.Error != TxError.None) recycler.Retire(outcome.Transaction);
        }
    }

    internal void SetPresubmitted(int requestIndex, Presubmission outcome) =>
        (_presubmitted ??= new Dictionary<int, Presubmission>())[requestIndex] = outcome;

    /// <summary>The outcome of this call's transaction when the batch submitted it together with others.</summary>
    public bool TryGetPresubmitted(out Presubmission outcome)
    {
        outcome = default;
        return _presubmitted is not null && _presubmitted.TryGetValue(RequestIndex, out outcome);
    }
}
