namespace NexusFast.Engine.Ledger;

/// <summary>
/// Why a transaction was refused. Decoding, stateless and signature errors come from <see cref="TransactionDecoder"/>
/// and <see cref="TransactionRules"/>; the stateful ones from the mempool and the executor. The names follow the
/// ethereum/tests TransactionException categories where one exists.
/// </summary>
public enum TxError
{
    None = 0,

    // Decoding (envelope and field shapes).
    RlpInvalid,
    TypeNotSupported,
    NonceOverflow,
    GasLimitOverflow,
    GasPriceOverflow,
    PriorityOverflow,
    ValueOverflow,
    ChainIdOverflow,

    // Stateless rules.
    InvalidChainId,
    WrongChainId,
    UnprotectedNotAllowed,
    NonceTooBig,
    InvalidSignature,
    SenderRecoveryFailed,
    PriorityGreaterThanMaxFee,
    GasLimitPriceProductOverflow,
    IntrinsicGasTooLow,
    GasLimitAboveBlockLimit,
    InitCodeTooLarge,
    TooLarge,

    // ML-DSA (type 0x4E) transactions.
    MlDsaKeyInvalid,
    MlDsaSignatureMalformed,
    MlDsaSignatureInvalid,
    MlDsaKeyNotRegistered,

    // Stateful rules (mempool admission and execution).
    NonceTooLow,
    NonceTooHigh,
    InsufficientFunds,
    FeeCapBelowBaseFee,
    FeeCapBelowMinimum,
    AlreadyKnown,
    ReplacementUnderpriced,
    PoolFull,
    SenderLimitReached,

    // Node load: nothing wrong with the transaction; the sender should retry later.
    Busy,
}

public static class TxErrorText
{
    /// <summary>
    /// The messages Ethereum nodes return for these conditions (geth's core/txpool and core errors), which
    /// wallets and libraries match on.
    /// </summary>
    public static string Describe(TxError error) => error switch
    {
        TxError.None => "ok",
        TxError.RlpInvalid => "rlp: invalid transaction encoding",
        TxError.TypeNotSupported => "transaction type not supported",
        TxError.NonceOverflow => "nonce exceeds 64 bits",
        TxError.GasLimitOverflow => "gas limit exceeds 64 bits",
        TxError.GasPriceOverflow => "max fee per gas higher than 2^256-1",
        TxError.PriorityOverflow => "max priority fee per gas higher than 2^256-1",
        TxError.ValueOverflow => "value higher than 2^256-1",
        TxError.ChainIdOverflow => "chain id exceeds 64 bits",
        TxError.InvalidChainId => "invalid chain id for signer",
        TxError.WrongChainId => "invalid chain id for signer",
        TxError.UnprotectedNotAllowed => "only replay-protected (EIP-155) transactions allowed over RPC",
        TxError.NonceTooBig => "nonce has max value",
        TxError.InvalidSignature => "invalid transaction v, r, s values",
        TxError.SenderRecoveryFailed => "invalid sender",
        TxError.PriorityGreaterThanMaxFee => "max priority fee per gas higher than max fee per gas",
        TxError.GasLimitPriceProductOverflow => "gas * gasPrice exceeds 2^256-1",
        TxError.IntrinsicGasTooLow => "intrinsic gas too low",
        TxError.GasLimitAboveBlockLimit => "exceeds block gas limit",
        TxError.InitCodeTooLarge => "max initcode size exceeded",
        TxError.TooLarge => "oversized data",
        TxError.MlDsaKeyInvalid => "invalid ML-DSA public key field",
        TxError.MlDsaSignatureMalformed => "invalid ML-DSA signature encoding",
        TxError.MlDsaSignatureInvalid => "invalid ML-DSA signature",
        TxError.MlDsaKeyNotRegistered => "ML-DSA key hash not registered",
        TxError.NonceTooLow => "nonce too low",
        TxError.NonceTooHigh => "nonce too high",
        TxError.InsufficientFunds => "insufficient funds for gas * price + value",
        TxError.FeeCapBelowBaseFee => "max fee per gas less than block base fee",
        TxError.FeeCapBelowMinimum => "transaction underpriced",
        TxError.AlreadyKnown => "already known",
        TxError.ReplacementUnderpriced => "replacement transaction underpriced",
        TxError.PoolFull => "txpool is full",
        TxError.SenderLimitReached => "too many pending transactions from this sender",
        TxError.Busy => "node busy: the transaction ingest queue is full, retry later",
        _ => error.ToString(),
    };
}
