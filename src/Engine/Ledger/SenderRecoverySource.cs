using NexusFast.Engine.Crypto;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Builds the recovery request of transaction i on the worker that recovers it: the signature-value checks and the
/// signing hash (Keccak-256 over the re-encoded payload) are most of the work besides recovery itself.
/// </summary>
internal readonly unsafe struct SenderRecoverySource : IEcdsaRequestSource
{
    private readonly Transaction[] _txs;
    private readonly TxError* _results;

    /// <summary>SAFETY: <paramref name="results"/> must stay pinned while the source is used and hold every index the batch passes.</summary>
    internal SenderRecoverySource(Transaction[] txs, TxError* results)
    {
        _txs = txs;
        _results = results;
    }

    public bool TryGetRequest(int index, out EcdsaRecoveryRequest request)
    {
        Transaction tx = _txs[index];
        if (tx.Type == TxType.MlDsa)
        {
            // Verified by the ML-DSA pass of the same RecoverSenders call, which writes its result.
            request = default;
            return false;
        }
        TxError error = TransactionRules.CheckSignatureValues(tx);
        if (error != TxError.None)
        {
            SenderRecovery.ClearSender(tx);
            // SAFETY: index < batch length (constructor contract).
            _results[index] = error;
            request = default;
            return false;
        }

        request = new EcdsaRecoveryRequest(TransactionEncoder.ComputeSigningHash(tx), tx.R, tx.S, tx.YParity);
        return true;
    }
}
