using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>Turns each recovered public key into the sender address on the worker that recovered it.</summary>
internal readonly unsafe struct SenderAddressSink : IRecoveredPublicKeySink
{
    private readonly Transaction[] _txs;
    private readonly TxError* _results;

    /// <summary>SAFETY: <paramref name="results"/> must stay pinned while the sink is used and hold every index the batch passes.</summary>
    internal SenderAddressSink(Transaction[] txs, TxError* results)
    {
        _txs = txs;
        _results = results;
    }

    public void OnRecovered(int index, ReadOnlySpan<byte> publicKeyXY64)
    {
        Transaction tx = _txs[index];
        tx.Sender = Address.FromPublicKey(publicKeyXY64);
        tx.HasSender = true;
        // SAFETY: index < batch length (constructor contract).
        _results[index] = TxError.None;
    }

    public void OnFailed(int index)
    {
        SenderRecovery.ClearSender(_txs[index]);
        // SAFETY: as above.
        _results[index] = TxError.SenderRecoveryFailed;
    }
}
