using System.Buffers;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Recovers transaction senders (Yellow Paper appendix F: the signer's public key from the signing hash and v, r, s;
/// the sender is the last 20 bytes of its Keccak-256). One transaction at a time on the caller's thread, or a batch on
/// every core through an <see cref="IEcdsaRecoverer"/>: the mempool's admission batches and block import use the batch.
/// </summary>
/// <remarks>
/// Both forms first apply <see cref="TransactionRules.CheckSignatureValues"/> (r, s in range, low s, parity 0/1): such a
/// failure is <see cref="TxError.InvalidSignature"/>, while a signature whose values are fine but which does not
/// recover (r is no curve point's x, or the result is the point at infinity) is <see cref="TxError.SenderRecoveryFailed"/>.
/// Recovery always runs, even when a transaction already carries a sender: block import must not trust one set earlier.
/// </remarks>
public sealed unsafe class SenderRecovery
{
    private readonly IEcdsaRecoverer _recoverer;

    /// <summary>Batches on every core (<see cref="EcdsaBatchRecovery"/> defaults).</summary>
    public SenderRecovery()
        : this(new EcdsaBatchRecovery())
    {
    }

    public SenderRecovery(IEcdsaRecoverer recoverer)
    {
        ArgumentNullException.ThrowIfNull(recoverer);
        _recoverer = recoverer;
    }

    /// <summary>Sets <see cref="Transaction.Sender"/> and <see cref="Transaction.HasSender"/>; false (and no sender) on failure.</summary>
    public static bool TryRecoverSender(Transaction tx) => RecoverSender(tx) == TxError.None;

    /// <summary>
    /// As <see cref="TryRecoverSender"/>, saying why it failed: <see cref="TxError.InvalidSignature"/> or
    /// <see cref="TxError.SenderRecoveryFailed"/>.
    /// </summary>
    public static TxError RecoverSender(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        TxError error = TransactionRules.CheckSignatureValues(tx);
        if (error != TxError.None)
        {
            ClearSender(tx);
            return error;
        }

        Hash256 signingHash = TransactionEncoder.ComputeSigningHash(tx);
        Span<byte> signature = stackalloc byte[Secp256k1.SignatureLength];
        tx.R.WriteBigEndian(signature.Slice(0, 32));
        tx.S.WriteBigEndian(signature.Slice(32, 32));
        Span<byte> publicKey = stackalloc byte[Secp256k1.PublicKeyXYLength];
        if (!Secp256k1.TryRecoverXY(signingHash.Bytes, signature, tx.YParity, publicKey))
        {
            ClearSender(tx);
            return TxError.SenderRecoveryFailed;
        }

        tx.Sender = Address.FromPublicKey(publicKey);
        tx.HasSender = true;
        return TxError.None;
    }

    /// <summary>
    /// Recovers the sender of every transaction on all cores: signing hashes, recovery and address derivation all run
    /// on the workers. results[i] is <see cref="TxError.None"/> (sender set), <see cref="TxError.InvalidSignature"/> or
    /// <see cref="TxError.SenderRecoveryFailed"/> (sender cleared), exactly what <see cref="RecoverSender"/> gives for
    /// txs[i] alone. Returns how many recovered. Allocates nothing per transaction.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ, or an element is null.</exception>
    public int RecoverSenders(ReadOnlySpan<Transaction> txs, Span<TxError> results)
    {
        if (results.Length != txs.Length) ThrowWrongResultsLength(txs.Length, results.Length);
        if (txs.IsEmpty) return 0;
        for (int i = 0; i < txs.Length; i++)
        {
            if (txs[i] is null) ThrowNullTransaction(i);
        }

        // The workers need the transactions in something a struct can hold; a pooled array of references will do.
        Transaction[] shared = ArrayPool<Transaction>.Shared.Rent(txs.Length);
        try
        {
            txs.CopyTo(shared);
            fixed (TxError* pinnedResults = results)
            {
                // SAFETY: results stays pinned until Recover returns, which is after every worker has finished; the
                // source and sink write only results[index] for the indexes 0..txs.Length-1 the batch hands them.
                var source = new SenderRecoverySource(shared, pinnedResults);
                var sink = new SenderAddressSink(shared, pinnedResults);
                return _recoverer.Recover(txs.Length, source, sink);
            }
        }
        finally
        {
            ArrayPool<Transaction>.Shared.Return(shared, clearArray: true);
        }
    }

    [DoesNotReturn]
    private static void ThrowWrongResultsLength(int expected, int actual) =>
        throw new ArgumentException($"results must hold exactly {expected} elements, one per transaction, got {actual}", "results");

    [DoesNotReturn]
    private static void ThrowNullTransaction(int index) => throw new ArgumentException($"txs[{index}] is null", "txs");

    internal static void ClearSender(Transaction tx)
    {
        tx.Sender = default;
        tx.HasSender = false;
    }
}
