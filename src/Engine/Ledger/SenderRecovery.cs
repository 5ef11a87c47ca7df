using System.Buffers;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.MlDsa;
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
/// ML-DSA transactions (<see cref="TxType.MlDsa"/>) take the same calls: their signature is verified against the public
/// key they carry or, for the hash form, the key this instance finds in its cache or its <see cref="IMlDsaKeySource"/>
/// (<see cref="MlDsaSenderVerifier"/>). In a batch they are set aside by the ECDSA pass and verified in a second,
/// parallel pass over all cores, so a batch without them costs one more loop and nothing else.
/// </remarks>
public sealed unsafe class SenderRecovery
{
    /// <summary>Keys remembered by hash: 4,096 keys of 1,952 bytes, 8 MB.</summary>
    public const int MlDsaKeyCacheCapacity = 4_096;

    /// <summary>
    /// Expanded keys kept for verification (<see cref="MlDsaVerifierCache"/>): about 37 KB each, so 1,024 keys are
    /// under 40 MB, enough for the accounts active in a few blocks.
    /// </summary>
    public const int MlDsaExpandedKeyCapacity = 1_024;

    private readonly IEcdsaRecoverer _recoverer;
    private readonly IMlDsaKeySource? _mlDsaKeys;
    private readonly MlDsaKeyCache _mlDsaKeyCache = new(MlDsaKeyCacheCapacity);
    private readonly MlDsaVerifierCache _mlDsaExpandedKeys = new(MlDsaExpandedKeyCapacity);
    private readonly ParallelOptions _mlDsaParallel;

    /// <summary>Batches on every core (<see cref="EcdsaBatchRecovery"/> defaults); hash-form ML-DSA keys only from the cache.</summary>
    public SenderRecovery()
        : this(new EcdsaBatchRecovery())
    {
    }

    /// <param name="mlDsaKeys">Where registered ML-DSA keys are looked up (the chain's state); null: only keys seen in
    /// earlier or the same batches are known.</param>
    public SenderRecovery(IEcdsaRecoverer recoverer, IMlDsaKeySource? mlDsaKeys = null, int mlDsaDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(recoverer);
        ArgumentOutOfRangeException.ThrowIfNegative(mlDsaDegreeOfParallelism);
        _recoverer = recoverer;
        _mlDsaKeys = mlDsaKeys;
        _mlDsaParallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = mlDsaDegreeOfParallelism == 0 ? Environment.ProcessorCount : mlDsaDegreeOfParallelism,
        };
    }

    /// <summary>ML-DSA verifications that found their key already expanded.</summary>
    public long MlDsaExpandedKeyHits => _mlDsaExpandedKeys.Hits;

    /// <summary>ML-DSA keys cached by hash.</summary>
    public int CachedMlDsaKeys => _mlDsaKeyCache.Count;

    /// <summary>
    /// <see cref="RecoverSender"/> for one transaction, first resolving a hash-form ML-DSA key as
    /// <see cref="RecoverSenders"/> does (the single-transaction path of eth_sendRawTransaction).
    /// </summary>
    public TxError Recover(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (tx.Type == TxType.MlDsa)
        {
            RememberOrResolveKey(tx);
            return MlDsaSenderVerifier.Verify(tx, _mlDsaExpandedKeys);
        }
        return RecoverSender(tx);
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
        if (tx.Type == TxType.MlDsa) return MlDsaSenderVerifier.Verify(tx);
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
        int mlDsaCount = 0;
        for (int i = 0; i < txs.Length; i++)
        {
            if (txs[i] is null) ThrowNullTransaction(i);
            if (txs[i].Type == TxType.MlDsa) mlDsaCount++;
        }
        if (mlDsaCount == 0) return RecoverEcdsa(txs, results);
        return RecoverMixed(txs, results, mlDsaCount);
    }

    /// <summary>The ECDSA batch: ML-DSA items are declined by the source and their results left to the caller.</summary>
    private int RecoverEcdsa(ReadOnlySpan<Transaction> txs, Span<TxError> results)
    {
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

    /// <summary>
    /// A batch with ML-DSA items: their keys are resolved here, in order (the batch's own carried keys first, so that an
    /// account's first and second transactions may arrive together), then the ECDSA items go through the batch recovery
    /// and the ML-DSA ones through a parallel verification pass, each on every core.
    /// </summary>
    private int RecoverMixed(ReadOnlySpan<Transaction> txs, Span<TxError> results, int mlDsaCount)
    {
        var job = new MlDsaVerifyJob(mlDsaCount, _mlDsaExpandedKeys);
        try
        {
            int k = 0;
            for (int i = 0; i < txs.Length; i++)
            {
                if (txs[i].Type != TxType.MlDsa) continue;
                if (txs[i].MlDsaKeyEmbedded) RememberOrResolveKey(txs[i]);
                job.Indexes[k] = i;
                job.Txs[k++] = txs[i];
            }
            for (k = 0; k < mlDsaCount; k++)
            {
                if (!job.Txs[k].MlDsaKeyEmbedded) RememberOrResolveKey(job.Txs[k]);
            }

            int recovered = mlDsaCount == txs.Length ? 0 : RecoverEcdsa(txs, results);
            if (mlDsaCount == 1) job.Run(0);
            else Parallel.For(0, mlDsaCount, _mlDsaParallel, job.Run);
            for (k = 0; k < mlDsaCount; k++)
            {
                results[job.Indexes[k]] = job.Errors[k];
                if (job.Errors[k] == TxError.None) recovered++;
            }
            return recovered;
        }
        finally
        {
            job.Return();
        }
    }

    /// <summary>
    /// A carried key goes into the cache (its hash was computed from it); a hash-form transaction gets its key from the
    /// cache or the key source, or keeps none (verification then says <see cref="TxError.MlDsaKeyNotRegistered"/>).
    /// </summary>
    private void RememberOrResolveKey(Transaction tx)
    {
        if (tx.MlDsaKeyEmbedded)
        {
            if (tx.MlDsaPublicKey.Length == MlDsaTransactions.PublicKeySize && !_mlDsaKeyCache.TryGet(tx.MlDsaKeyHash, out _))
            {
                _mlDsaKeyCache.Add(tx.MlDsaKeyHash, tx.MlDsaPublicKey.ToArray());
            }
            return;
        }
        if (_mlDsaKeyCache.TryGet(tx.MlDsaKeyHash, out byte[] cached))
        {
            tx.MlDsaPublicKey = cached;
            return;
        }
        if (_mlDsaKeys is null) return;
        var key = new byte[MlDsaTransactions.PublicKeySize];
        if (!_mlDsaKeys.TryGetPublicKey(tx.MlDsaKeyHash, key)) return;
        // The source is trusted to be content-addressed; a key that does not hash to its name is refused all the same.
        if (MlDsaTransactions.ComputeKeyHash(key) != tx.MlDsaKeyHash) return;
        _mlDsaKeyCache.Add(tx.MlDsaKeyHash, key);
        tx.MlDsaPublicKey = key;
    }

    /// <summary>One batch's ML-DSA items, verified by index from Parallel.For; the arrays are pooled.</summary>
    private sealed class MlDsaVerifyJob
    {
        private readonly MlDsaVerifierCache _expandedKeys;

        public MlDsaVerifyJob(int count, MlDsaVerifierCache expandedKeys)
        {
            _expandedKeys = expandedKeys;
            Txs = ArrayPool<Transaction>.Shared.Rent(count);
            Indexes = ArrayPool<int>.Shared.Rent(count);
            Errors = ArrayPool<TxError>.Shared.Rent(count);
        }

        public Transaction[] Txs { get; }

        public int[] Indexes { get; }

        public TxError[] Errors { get; }

        public void Run(int k) => Errors[k] = MlDsaSenderVerifier.Verify(Txs[k], _expandedKeys);

        public void Return()
        {
            ArrayPool<Transaction>.Shared.Return(Txs, clearArray: true);
            ArrayPool<int>.Shared.Return(Indexes);
            ArrayPool<TxError>.Shared.Return(Errors);
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
