using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Stateless validity of a decoded transaction. <see cref="CheckConsensus"/> holds the rules every block must obey
/// (what ethereum/tests TransactionTests check); <see cref="CheckPolicy"/> adds this node's admission policy
/// (size, block gas limit, replay protection), which only applies to transactions entering the mempool.
/// </summary>
public static class TransactionRules
{
    /// <summary>secp256k1 group order n.</summary>
    public static readonly UInt256 SecpN = new(0xBFD25E8CD0364141, 0xBAAEDCE6AF48A03B, 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF);

    /// <summary>n / 2: EIP-2 (Homestead) rejects s above it so that signatures are not malleable.</summary>
    public static readonly UInt256 SecpHalfN = SecpN >> 1;

    /// <summary>
    /// Interprets a legacy v: 27/28 are unprotected; 35 + 2*chainId + parity is EIP-155 with chainId at least 1.
    /// A bare parity (0 or 1, the typed transactions' yParity put in a legacy v) is a malformed signature; anything
    /// else (2..26, 29..34, chain id 0 as 35/36) is an invalid chain id. Both as in ethereum/tests
    /// (ttSignature/ZeroSigTransaction* and EmptyTransaction: INVALID_SIGNATURE_VRS for v 0/1, INVALID_CHAINID for 2..5).
    /// </summary>
    public static TxError InterpretLegacyV(ulong v, out ulong chainId, out byte yParity)
    {
        chainId = 0;
        yParity = 0;
        if (v == 27 || v == 28)
        {
            yParity = (byte)(v - 27);
            return TxError.None;
        }
        if (v <= 1) return TxError.InvalidSignature;
        if (v < 37) return TxError.InvalidChainId;
        chainId = (v - 35) / 2;
        yParity = (byte)((v - 35) & 1);
        return TxError.None;
    }

    public static TxError CheckConsensus(Transaction tx, ChainConfig config)
    {
        if (tx.Type != TxType.Legacy || !tx.IsUnprotectedLegacy)
        {
            if (tx.ChainId != config.ChainId) return TxError.WrongChainId;
        }
        if (tx.Nonce == ulong.MaxValue) return TxError.NonceTooBig; // EIP-2681
        TxError signature = CheckSignatureValues(tx);
        if (signature != TxError.None) return signature;
        if (tx.MaxPriorityFeePerGas > tx.MaxFeePerGas) return TxError.PriorityGreaterThanMaxFee;
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), tx.MaxFeePerGas, out _)) return TxError.GasLimitPriceProductOverflow;
        if (tx.IsContractCreation && tx.Data.Length > config.InitCodeSizeMax) return TxError.InitCodeTooLarge;
        if (IntrinsicGas.Compute(tx) > tx.GasLimit) return TxError.IntrinsicGasTooLow;
        return TxError.None;
    }

    public static TxError CheckPolicy(Transaction tx, ChainConfig config)
    {
        if (tx.EncodedLength > config.TransactionSizeMax) return TxError.TooLarge;
        if (tx.IsUnprotectedLegacy && !config.AllowUnprotectedTransactions) return TxError.UnprotectedNotAllowed;
        if (tx.GasLimit > config.BlockGasLimit) return TxError.GasLimitAboveBlockLimit;
        return CheckConsensus(tx, config);
    }

    /// <summary>
    /// r and s in [1, n-1], s at most n/2, y-parity 0 or 1. For ML-DSA: a signature of 3,309 bytes and, when carried, a
    /// public key of 1,952 bytes (what the decoder guarantees; checked again for transactions built in code).
    /// </summary>
    public static TxError CheckSignatureValues(Transaction tx)
    {
        if (tx.Type == TxType.MlDsa)
        {
            if (tx.MlDsaSignature.Length != MlDsaTransactions.SignatureSize) return TxError.MlDsaSignatureMalformed;
            if (tx.MlDsaKeyEmbedded && tx.MlDsaPublicKey.Length != MlDsaTransactions.PublicKeySize) return TxError.MlDsaKeyInvalid;
            return TxError.None;
        }
        if (tx.YParity > 1) return TxError.InvalidSignature;
        if (tx.R.IsZero || tx.S.IsZero) return TxError.InvalidSignature;
        if (tx.R >= SecpN || tx.S > SecpHalfN) return TxError.InvalidSignature;
        return TxError.None;
    }
}
