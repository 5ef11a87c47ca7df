using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Signs Nexus ML-DSA transactions (<see cref="TxType.MlDsa"/>) with an ML-DSA-65 key pair. For the CLI's
/// <c>tx sign</c>, tests and load drivers; the node itself never holds user keys.
/// </summary>
public static class MlDsaTransactionSigner
{
    /// <summary>
    /// Sets <paramref name="tx"/>'s type to <see cref="TxType.MlDsa"/>, its key fields from <paramref name="publicKey"/>
    /// (carried whole when <paramref name="embedPublicKey"/>, the first transaction of an account must; otherwise only
    /// its hash), signs it as its other fields stand and fills in the signature, hash, encoded length and sender.
    /// </summary>
    /// <param name="deterministic">
    /// FIPS 204's deterministic variant (same transaction, same bytes: for tests and reproducible scripts); otherwise
    /// hedged with 32 fresh random bytes, which FIPS 204 recommends against fault and side-channel attacks.
    /// </param>
    /// <exception cref="ArgumentException">A key has the wrong size.</exception>
    public static void Sign(Transaction tx, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> publicKey, bool embedPublicKey, bool deterministic = false)
    {
        ArgumentNullException.ThrowIfNull(tx);
        MlDsaParameters parameters = MlDsaTransactions.Parameters;
        if (secretKey.Length != parameters.SecretKeySize)
            throw new ArgumentException($"an ML-DSA-65 secret key has {parameters.SecretKeySize} bytes, got {secretKey.Length}", nameof(secretKey));

        byte[] key = publicKey.ToArray();
        tx.Type = TxType.MlDsa;
        tx.MlDsaKeyHash = MlDsaTransactions.ComputeKeyHash(key);
        tx.MlDsaPublicKey = key;
        tx.MlDsaKeyEmbedded = embedPublicKey;
        tx.V = 0;
        tx.YParity = 0;
        tx.R = default;
        tx.S = default;

        Hash256 signingHash = TransactionEncoder.ComputeSigningHash(tx);
        var signature = new byte[MlDsaTransactions.SignatureSize];
        if (deterministic) MlDsaScheme.SignDeterministic(parameters, secretKey, signingHash.Bytes, MlDsaTransactions.SigningContext, signature);
        else MlDsaScheme.Sign(parameters, secretKey, signingHash.Bytes, MlDsaTransactions.SigningContext, signature);

        tx.MlDsaSignature = signature;
        tx.Hash = TransactionEncoder.ComputeHash(tx);
        tx.EncodedLength = TransactionEncoder.GetEncodedLength(tx);
        tx.Sender = MlDsaTransactions.AddressOf(key);
        tx.HasSender = true;
    }
}
