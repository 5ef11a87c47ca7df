using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Verifies one ML-DSA transaction's signature and sets its sender (the ML-DSA counterpart of ECDSA recovery). The key
/// must already be on the transaction: carried in the envelope, or resolved from its hash by <see cref="SenderRecovery"/>.
/// </summary>
internal static class MlDsaSenderVerifier
{
    /// <summary>
    /// <see cref="TxError.None"/> (sender set), or, sender cleared: <see cref="TxError.MlDsaSignatureMalformed"/> /
    /// <see cref="TxError.MlDsaKeyInvalid"/> (sizes, or a key that is not the one <see cref="Transaction.MlDsaKeyHash"/>
    /// names), <see cref="TxError.MlDsaKeyNotRegistered"/> (hash form, key not found), <see cref="TxError.MlDsaSignatureInvalid"/>
    /// (does not verify).
    /// </summary>
    /// <remarks>
    /// The key is checked against the key hash even though the decoder and the key lookup only ever produce matching
    /// pairs: the signed payload names the key by its hash, so verifying under any other key, for a transaction put
    /// together in code, would credit the signature to an account that did not sign that payload. Keccak-256 of the
    /// key costs a few microseconds beside the verification's tens.
    /// </remarks>
    /// <param name="expandedKeys">
    /// Keeps each key's expanded matrix between calls (most of a verification's work); null verifies from scratch.
    /// </param>
    public static TxError Verify(Transaction tx, MlDsaVerifierCache? expandedKeys = null)
    {
        TxError error = TransactionRules.CheckSignatureValues(tx);
        if (error == TxError.None && tx.MlDsaPublicKey.Length != MlDsaTransactions.PublicKeySize) error = TxError.MlDsaKeyNotRegistered;
        if (error == TxError.None && MlDsaTransactions.ComputeKeyHash(tx.MlDsaPublicKey.Span) != tx.MlDsaKeyHash) error = TxError.MlDsaKeyInvalid;
        if (error == TxError.None)
        {
            ReadOnlySpan<byte> publicKey = tx.MlDsaPublicKey.Span;
            Hash256 signingHash = TransactionEncoder.ComputeSigningHash(tx);
            bool valid = expandedKeys is null
                ? MlDsaScheme.Verify(MlDsaTransactions.Parameters, publicKey, signingHash.Bytes, MlDsaTransactions.SigningContext, tx.MlDsaSignature.Span)
                : expandedKeys.Verify(MlDsaTransactions.Parameters, publicKey, signingHash.Bytes, MlDsaTransactions.SigningContext, tx.MlDsaSignature.Span);
            if (valid)
            {
                tx.Sender = MlDsaTransactions.AddressOf(publicKey);
                tx.HasSender = true;
                return TxError.None;
            }
            error = TxError.MlDsaSignatureInvalid;
        }
        SenderRecovery.ClearSender(tx);
        return error;
    }
}
