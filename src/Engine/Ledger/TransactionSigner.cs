using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Signs transactions with a secp256k1 secret key: RFC 6979 deterministic nonces and low-s (EIP-2), so the same
/// transaction and key always give the same bytes, byte for byte what ethers.js and geth produce. For tests, the
/// devnet's genesis accounts and the load drivers; the node itself never holds user keys.
/// </summary>
public static class TransactionSigner
{
    /// <summary>The largest chain id whose EIP-155 v (35 + 2 * chainId + 1) still fits in 64 bits.</summary>
    public const ulong LegacyChainIdMax = (ulong.MaxValue - 36) / 2;

    /// <summary>
    /// Signs <paramref name="tx"/> as its fields stand and fills in <see cref="Transaction.R"/>, <see cref="Transaction.S"/>,
    /// <see cref="Transaction.YParity"/>, <see cref="Transaction.V"/> (legacy: EIP-155 when the chain id is not zero,
    /// otherwise 27/28; typed: the parity), <see cref="Transaction.Hash"/>, <see cref="Transaction.EncodedLength"/> and
    /// the sender. For legacy and EIP-2930 set <see cref="Transaction.GasPrice"/> (both fee fields).
    /// </summary>
    /// <exception cref="ArgumentException">The secret is not a valid key, or a legacy chain id is above <see cref="LegacyChainIdMax"/>.</exception>
    public static void Sign(Transaction tx, ReadOnlySpan<byte> secret32)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (tx.Type == TxType.Legacy && tx.ChainId > LegacyChainIdMax) ThrowChainIdTooLarge(tx.ChainId);

        Hash256 signingHash = TransactionEncoder.ComputeSigningHash(tx);
        Span<byte> signature = stackalloc byte[Secp256k1.SignatureLength];
        Secp256k1.SignRecoverable(signingHash.Bytes, secret32, signature, out byte recoveryId);
        // Ids 2 and 3 need r >= n, probability about 2^-127; Ethereum's yParity cannot express them.
        Invariant.Check(recoveryId <= 1);

        Span<byte> publicKey = stackalloc byte[Secp256k1.PublicKeyLength];
        // The secret signed above, so it is a valid key.
        Invariant.Check(Secp256k1.TryGetPublicKey(secret32, publicKey));

        tx.R = UInt256.FromBigEndian32(signature.Slice(0, 32));
        tx.S = UInt256.FromBigEndian32(signature.Slice(32, 32));
        tx.YParity = recoveryId;
        tx.V = tx.Type switch
        {
            TxType.Legacy when tx.ChainId == 0 => 27ul + recoveryId,
            TxType.Legacy => (tx.ChainId * 2) + 35 + recoveryId, // EIP-155
            _ => recoveryId,
        };
        tx.Hash = TransactionEncoder.ComputeHash(tx);
        tx.EncodedLength = TransactionEncoder.GetEncodedLength(tx);
        tx.Sender = Address.FromPublicKey(publicKey);
        tx.HasSender = true;
    }

    [DoesNotReturn]
    private static void ThrowChainIdTooLarge(ulong chainId) =>
        throw new ArgumentException(
            $"chain id {chainId} is too large for a legacy transaction: its EIP-155 v would exceed 64 bits (limit {LegacyChainIdMax})", "tx");
}
