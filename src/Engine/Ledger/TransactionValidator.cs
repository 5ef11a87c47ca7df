using System.Globalization;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// The one call that turns raw bytes into an accepted transaction: decode, stateless rules, sender recovery, with an
/// error kind and a message that says what is wrong (for the JSON-RPC error, or the log of a rejected block).
/// </summary>
/// <remarks>
/// eth_sendRawTransaction uses <see cref="Validate"/> in <see cref="TxValidationMode.Policy"/>. Block import and
/// batched admission use <see cref="DecodeAndCheck"/> per transaction and then
/// <see cref="SenderRecovery.RecoverSenders"/> once for the batch, which is the same checks with recovery on all cores.
/// On any error the target transaction must not be used; on a decoding error it is left as it was.
/// </remarks>
public static class TransactionValidator
{
    /// <summary>
    /// Decodes, applies the rules of <paramref name="mode"/> and recovers the sender. An ML-DSA transaction that carries
    /// only its key hash fails here with <see cref="TxError.MlDsaKeyNotRegistered"/>: resolving the hash needs the chain's
    /// key registry, which <see cref="SenderRecovery.Recover"/> and <see cref="SenderRecovery.RecoverSenders"/> consult.
    /// </summary>
    public static TxError Validate(ReadOnlySpan<byte> raw, Transaction into, ChainConfig config, TxValidationMode mode, out string detail)
    {
        TxError error = DecodeAndCheck(raw, into, config, mode, out detail);
        if (error != TxError.None) return error;

        error = SenderRecovery.RecoverSender(into);
        if (error != TxError.None) detail = DescribeRejection(error, into, config);
        return error;
    }

    /// <summary>Decodes and applies the rules of <paramref name="mode"/>; the sender is left to batch recovery.</summary>
    public static TxError DecodeAndCheck(ReadOnlySpan<byte> raw, Transaction into, ChainConfig config, TxValidationMode mode, out string detail)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (mode == TxValidationMode.Policy && raw.Length > config.TransactionSizeMax)
        {
            // Refused before decoding so that an oversized input costs nothing but its length check.
            detail = TooLargeDetail(raw.Length, config);
            return TxError.TooLarge;
        }

        TxError error = TransactionDecoder.TryDecode(raw, into, out detail);
        if (error != TxError.None) return error;
        return Check(into, config, mode, out detail);
    }

    /// <summary>Applies the rules of <paramref name="mode"/> to a decoded transaction.</summary>
    public static TxError Check(Transaction tx, ChainConfig config, TxValidationMode mode, out string detail)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(config);
        TxError error = mode == TxValidationMode.Policy
            ? TransactionRules.CheckPolicy(tx, config)
            : TransactionRules.CheckConsensus(tx, config);
        detail = error == TxError.None ? string.Empty : DescribeRejection(error, tx, config);
        return error;
    }

    /// <summary>
    /// The message for a rule or recovery error found on <paramref name="tx"/>: Ethereum's wording first (clients match on
    /// it, see <see cref="TxErrorText"/>), then the values that caused it, as geth words them where it does.
    /// </summary>
    public static string DescribeRejection(TxError error, Transaction tx, ChainConfig config)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(config);
        string text = TxErrorText.Describe(error);
        return error switch
        {
            TxError.WrongChainId => Format($"{text}: the transaction is for chain {tx.ChainId}, this chain is {config.ChainId}"),
            TxError.NonceTooBig => Format($"{text}: nonce 2^64-1 is reserved (EIP-2681)"),
            TxError.InvalidSignature => $"{text}: {DescribeSignatureValues(tx)}",
            TxError.SenderRecoveryFailed => $"{text}: the signature does not recover to a public key",
            TxError.PriorityGreaterThanMaxFee => Format($"{text}: maxPriorityFeePerGas {tx.MaxPriorityFeePerGas}, maxFeePerGas {tx.MaxFeePerGas}"),
            TxError.GasLimitPriceProductOverflow => Format($"{text}: gas {tx.GasLimit} * fee cap {tx.MaxFeePerGas}"),
            TxError.InitCodeTooLarge => Format($"{text}: code size {tx.Data.Length}, limit {config.InitCodeSizeMax}"),
            TxError.IntrinsicGasTooLow => Format($"{text}: gas {tx.GasLimit}, minimum needed {IntrinsicGas.Compute(tx)}"),
            TxError.TooLarge => TooLargeDetail(tx.EncodedLength, config),
            TxError.GasLimitAboveBlockLimit => Format($"{text}: gas {tx.GasLimit}, block gas limit {config.BlockGasLimit}"),
            TxError.MlDsaSignatureMalformed => Format($"{text}: the signature has {tx.MlDsaSignature.Length} bytes, an ML-DSA-65 signature has {MlDsaTransactions.SignatureSize}"),
            TxError.MlDsaKeyInvalid => tx.MlDsaPublicKey.Length == MlDsaTransactions.PublicKeySize
                ? $"{text}: the public key does not hash to the transaction's key hash {tx.MlDsaKeyHash}"
                : Format($"{text}: the public key has {tx.MlDsaPublicKey.Length} bytes, an ML-DSA-65 public key has {MlDsaTransactions.PublicKeySize}"),
            TxError.MlDsaSignatureInvalid => $"{text}: the signature does not verify under the public key with hash {tx.MlDsaKeyHash} (context \"nexus-tx-v1\")",
            TxError.MlDsaKeyNotRegistered => $"{text}: no public key with hash {tx.MlDsaKeyHash} is registered; an account's first ML-DSA transaction must carry its full public key, and a key-hash transaction can follow once that one is in a block",
            _ => text,
        };
    }

    private static string DescribeSignatureValues(Transaction tx)
    {
        if (tx.YParity > 1) return Format($"yParity {tx.YParity} is not 0 or 1");
        if (tx.R.IsZero) return "r is zero";
        if (tx.S.IsZero) return "s is zero";
        if (tx.R >= TransactionRules.SecpN) return "r is not below the secp256k1 group order n";
        if (tx.S > TransactionRules.SecpHalfN) return "s is above n/2 (EIP-2 accepts only the low-s form)";
        return "the signature values are out of range";
    }

    private static string TooLargeDetail(int length, ChainConfig config) =>
        Format($"{TxErrorText.Describe(TxError.TooLarge)}: transaction size {length}, limit {config.TransactionSizeMax}");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
