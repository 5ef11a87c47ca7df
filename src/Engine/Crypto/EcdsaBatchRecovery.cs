using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Recovers the signers of a batch of ECDSA signatures on all cores through libsecp256k1. The batch is cut
/// into chunks of <see cref="ItemsPerChunk"/> consecutive requests; a batch of one chunk runs inline on the
/// caller's thread, a larger one goes through <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
/// over the chunks, the calling thread taking part. Nothing is allocated per item; per batch, only the chunk
/// job and what Parallel.For needs.
/// </summary>
/// <remarks>
/// Results go to an <see cref="IRecoveredPublicKeySink"/> on the worker that computed them, so work that
/// follows recovery (Keccak-256 of the key to get the sender address) can run in the same pass; with an
/// <see cref="IEcdsaRequestSource"/> the work before it (the signing hash) runs in that pass too.
/// An exception thrown by a source or sink on a parallel batch reaches the caller inside an AggregateException.
/// </remarks>
public sealed unsafe class EcdsaBatchRecovery : IEcdsaRecoverer
{
    /// <summary>X||Y, the form Keccak-256 takes to derive an address.</summary>
    public const int PublicKeyLength = Secp256k1.PublicKeyXYLength;

    /// <summary>
    /// One recovery costs tens of microseconds (see perf/Benchmarks/Secp256k1Benchmarks.cs), so 16 items are
    /// several hundred microseconds of work: hundreds of times the cost of handing a chunk to a pool thread,
    /// yet small enough that a mempool batch of a few hundred transactions still reaches every core.
    /// </summary>
    public const int DefaultItemsPerChunk = 16;

    private readonly ParallelOptions _parallelOptions;

    /// <summary>Every core, <see cref="DefaultItemsPerChunk"/> items per chunk.</summary>
    public EcdsaBatchRecovery()
        : this(Environment.ProcessorCount, DefaultItemsPerChunk)
    {
    }

    /// <exception cref="ArgumentOutOfRangeException">An argument is below 1.</exception>
    /// <exception cref="DllNotFoundException">libsecp256k1 is not installed (checked here, at wiring time).</exception>
    public EcdsaBatchRecovery(int maxDegreeOfParallelism, int itemsPerChunk)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(itemsPerChunk, 1);
        MaxDegreeOfParallelism = maxDegreeOfParallelism;
        ItemsPerChunk = itemsPerChunk;
        _parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Secp256k1.EnsureLoaded();
    }

    public int MaxDegreeOfParallelism { get; }

    public int ItemsPerChunk { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">An output's length does not match the number of requests.</exception>
    public int Recover(ReadOnlySpan<EcdsaRecoveryRequest> requests, Span<byte> publicKeys, Span<bool> recovered)
    {
        if (publicKeys.Length != requests.Length * PublicKeyLength)
        {
            ThrowWrongOutputLength(nameof(publicKeys), requests.Length * PublicKeyLength, publicKeys.Length);
        }
        if (recovered.Length != requests.Length) ThrowWrongOutputLength(nameof(recovered), requests.Length, recovered.Length);
        if (requests.IsEmpty) return 0;

        fixed (byte* keys = publicKeys)
        fixed (bool* flags = recovered)
        {
            // SAFETY: both buffers stay pinned until Recover<TSink> returns, and Parallel.For returns only after
            // every chunk has finished; their lengths were checked above.
            return Recover(requests, new PublicKeyBufferSink(keys, flags));
        }
    }

    /// <inheritdoc />
    public int Recover<TSink>(ReadOnlySpan<EcdsaRecoveryRequest> requests, TSink sink)
        where TSink : struct, IRecoveredPublicKeySink
    {
        if (requests.IsEmpty) return 0;
        fixed (EcdsaRecoveryRequest* pinned = requests)
        {
            // SAFETY: the requests stay pinned until Recover has returned, which is after the last chunk.
            return Recover(requests.Length, new PinnedRequestSource(pinned), sink);
        }
    }

    /// <inheritdoc />
    public int Recover<TSource, TSink>(int count, TSource source, TSink sink)
        where TSource : struct, IEcdsaRequestSource
        where TSink : struct, IRecoveredPublicKeySink
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return 0;
        int chunkCount = (int)(((long)count + ItemsPerChunk - 1) / ItemsPerChunk);
        if (chunkCount == 1 || MaxDegreeOfParallelism == 1) return RecoverRange(ref source, 0, count, ref sink);

        var job = new ChunkJob<TSource, TSink>(count, ItemsPerChunk, source, sink);
        Parallel.For(0, chunkCount, _parallelOptions, job.Run);
        return job.RecoveredCount;
    }

    /// <summary>Recovers indexes [<paramref name="start"/>, start + <paramref name="length"/>).</summary>
    private static int RecoverRange<TSource, TSink>(ref TSource source, int start, int length, ref TSink sink)
        where TSource : struct, IEcdsaRequestSource
        where TSink : struct, IRecoveredPublicKeySink
    {
        Span<byte> signature = stackalloc byte[Secp256k1.SignatureLength];
        Span<byte> publicKey = stackalloc byte[PublicKeyLength];
        int recoveredCount = 0;
        int end = start + length;
        for (int index = start; index < end; index++)
        {
            if (!source.TryGetRequest(index, out EcdsaRecoveryRequest request)) continue;
            request.R.CopyTo(signature[..32]);
            request.S.CopyTo(signature[32..]);
            if (Secp256k1.TryRecoverXY(request.MessageHash.Bytes, signature, request.RecoveryId, publicKey))
            {
                sink.OnRecovered(index, publicKey);
                recoveredCount++;
            }
            else
            {
                sink.OnFailed(index);
            }
        }
        return recoveredCount;
    }

    [DoesNotReturn]
    private static void ThrowWrongOutputLength(string parameterName, int expected, int actual) =>
        throw new ArgumentException(
            $"{parameterName} must hold exactly {expected} elements for this batch, got {actual}", parameterName);

    /// <summary>The state one batch shares with its chunks (a span cannot be captured by a lambda).</summary>
    private sealed class ChunkJob<TSource, TSink>
        where TSource : struct, IEcdsaRequestSource
        where TSink : struct, IRecoveredPublicKeySink
    {
        private readonly int _count;
        private readonly int _itemsPerChunk;
        private readonly TSource _source;
        private readonly TSink _sink;
        private int _recoveredCount;

        internal ChunkJob(int count, int itemsPerChunk, TSource source, TSink sink)
        {
            _count = count;
            _itemsPerChunk = itemsPerChunk;
            _source = source;
            _sink = sink;
        }

        internal int RecoveredCount => Volatile.Read(ref _recoveredCount);

        internal void Run(int chunk)
        {
            int start = chunk * _itemsPerChunk;
            int length = Math.Min(_itemsPerChunk, _count - start);
            TSource source = _source;
            TSink sink = _sink;
            int recovered = RecoverRange(ref source, start, length, ref sink);
            Interlocked.Add(ref _recoveredCount, recovered);
        }
    }
}
