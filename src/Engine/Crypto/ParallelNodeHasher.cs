using System.Runtime.ExceptionServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Spreads large batches of an inner <see cref="INodeHasher"/> over the cores. A batch is cut into chunks of
/// <see cref="ChunkSize"/> outputs; the calling thread and thread-pool helpers claim chunks until none are left,
/// and the call returns when every chunk is done. The caller works too, so a busy or starved thread pool only slows a
/// batch down to the single-threaded speed, never stalls it. Small batches stay on the calling thread.
/// </summary>
/// <remarks>
/// One caller at a time (the state thread); a second concurrent call fails fast. Nothing is allocated per call.
/// </remarks>
public sealed unsafe class ParallelNodeHasher : INodeHasher
{
    /// <summary>Default outputs per chunk: about 25 µs of platform SHA-256 calls, well above the cost of claiming one.</summary>
    public const int ChunkOutputs = 64;

    /// <summary>
    /// Outputs per chunk for <see cref="Sha256LaneHasher"/>: a chunk of the multi-lane hasher costs about as long as
    /// one of <see cref="ChunkOutputs"/> platform calls (about 50 ns against 400 ns a node), so that waking a helper
    /// still pays off; a multiple of the 16 lanes so no chunk but the last has a partial pass.
    /// </summary>
    public const int LaneChunkOutputs = 512;

    private readonly INodeHasher _inner;
    private readonly Helper _helper;
    private readonly int _helperCount;
    private readonly int _chunkSize;
    private int _busy;

    // The current batch. Written by the caller before it publishes a new generation in _claims; read by helpers only
    // after they claimed a chunk of that generation (the batch cannot end before that chunk is done).
    private bool _pairs;
    private byte* _input;
    private int _inputLength;
    private Hash256* _output;
    private int _count;
    private int _chunkCount;

    /// <summary>High 32 bits: batch generation; low 32 bits: next chunk to claim.</summary>
    private long _claims;
    private int _completed;
    private Exception? _failure;

    /// <param name="inner">The hasher each chunk runs on (shared by the threads: it must be thread-safe).</param>
    /// <param name="workerCount">Threads working on a batch, the caller included; 0: one per core.</param>
    /// <param name="chunkSize">Outputs per chunk (<see cref="ChunkOutputs"/> by default); batches under two chunks stay on the caller.</param>
    public ParallelNodeHasher(INodeHasher inner, int workerCount = 0, int chunkSize = ChunkOutputs)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        if (workerCount <= 0) workerCount = Environment.ProcessorCount;
        _inner = inner;
        _helperCount = workerCount - 1;
        _chunkSize = chunkSize;
        _helper = new Helper(this);
    }

    /// <summary>The node's default tree hasher: multi-lane SHA-256 on the best path, spread over every core.</summary>
    public static ParallelNodeHasher ForLanes(int workerCount = 0) => new(new Sha256LaneHasher(), workerCount, LaneChunkOutputs);

    /// <summary>The single-threaded hasher each chunk runs on (thread-safe), for callers that spread work over threads themselves.</summary>
    public INodeHasher Inner => _inner;

    public int WorkerCount => _helperCount + 1;

    public int ChunkSize => _chunkSize;

    public void HashPairs(ReadOnlySpan<Hash256> pairs, Span<Hash256> parents)
    {
        Sha256NodeHasher.CheckPairs(pairs.Length, parents.Length);
        if (_helperCount == 0 || parents.Length < 2 * _chunkSize)
        {
            _inner.HashPairs(pairs, parents);
            return;
        }

        // SAFETY: both spans stay pinned until Run returns, and Run returns only after every claimed chunk completed;
        // each chunk reads and writes its own disjoint range.
        fixed (Hash256* input = pairs)
        fixed (Hash256* output = parents)
        {
            Run(pairs: true, (byte*)input, 2 * Hash256.Size, output, parents.Length);
        }
    }

    public void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs)
    {
        Sha256NodeHasher.CheckFixed(inputs.Length, inputLength, outputs.Length);
        if (_helperCount == 0 || outputs.Length < 2 * _chunkSize)
        {
            _inner.HashFixed(inputs, inputLength, outputs);
            return;
        }

        // SAFETY: as in HashPairs.
        fixed (byte* input = inputs)
        fixed (Hash256* output = outputs)
        {
            Run(pairs: false, input, inputLength, output, outputs.Length);
        }
    }

    private void Run(bool pairs, byte* input, int inputLength, Hash256* output, int count)
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0) ThrowConcurrentUse();
        try
        {
            _pairs = pairs;
            _input = input;
            _inputLength = inputLength;
            _output = output;
            _count = count;
            _chunkCount = (count + _chunkSize - 1) / _chunkSize;
            _failure = null;
            Volatile.Write(ref _completed, 0);
            long generation = (Volatile.Read(ref _claims) >> 32) + 1;
            Interlocked.Exchange(ref _claims, generation << 32);

            for (int i = 0; i < _helperCount; i++) ThreadPool.UnsafeQueueUserWorkItem(_helper, preferLocal: false);
            Work();

            var spinner = new SpinWait();
            while (Volatile.Read(ref _completed) < _chunkCount) spinner.SpinOnce(sleep1Threshold: -1);
            if (_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
        }
        finally
        {
            // Close the generation so that helpers arriving late claim nothing.
            Interlocked.Exchange(ref _claims, ((Volatile.Read(ref _claims) >> 32) << 32) | int.MaxValue);
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and hashes chunks of the current batch until none are left.</summary>
    private void Work()
    {
        while (true)
        {
            long claims = Volatile.Read(ref _claims);
            int chunk = (int)(claims & 0xFFFF_FFFF);
            if (chunk >= Volatile.Read(ref _chunkCount) || Interlocked.CompareExchange(ref _claims, claims + 1, claims) != claims)
            {
                if (chunk >= Volatile.Read(ref _chunkCount)) return;
                continue;
            }

            int start = chunk * _chunkSize;
            int count = Math.Min(_chunkSize, _count - start);
            try
            {
                if (_pairs)
                {
                    _inner.HashPairs(
                        new ReadOnlySpan<Hash256>((Hash256*)_input + 2 * start, 2 * count),
                        new Span<Hash256>(_output + start, count));
                }
                else
                {
                    _inner.HashFixed(
                        new ReadOnlySpan<byte>(_input + (long)start * _inputLength, count * _inputLength),
                        _inputLength,
                        new Span<Hash256>(_output + start, count));
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                Interlocked.Increment(ref _completed);
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowConcurrentUse() =>
        throw new InvalidOperationException("ParallelNodeHasher is used by one thread at a time; a second call arrived while one was running");

    /// <summary>The thread-pool side: one object, queued again for every batch (a late run finds nothing to claim).</summary>
    private sealed class Helper(ParallelNodeHasher owner) : IThreadPoolWorkItem
    {
        public void Execute() => owner.Work();
    }
}
