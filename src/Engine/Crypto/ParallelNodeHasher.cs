using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Spreads large batches of an inner <see cref="INodeHasher"/> over the cores: the calling thread hashes the first
/// chunk, thread-pool workers the others, and the call returns when all are done. Small batches stay on the calling
/// thread (handing a chunk to a worker costs a few microseconds, about ten hashes).
/// </summary>
/// <remarks>
/// One caller at a time (the state thread); a second concurrent call fails fast. Work items are allocated once, so a
/// call allocates nothing.
/// </remarks>
public sealed unsafe class ParallelNodeHasher : INodeHasher, IDisposable
{
    /// <summary>Below this many outputs per chunk the hand-off costs more than it saves.</summary>
    public const int MinChunkOutputs = 64;

    private readonly INodeHasher _inner;
    private readonly Chunk[] _helpers;
    private readonly ManualResetEventSlim _done = new(false, spinCount: 2000);
    private int _pending;
    private int _busy;

    public ParallelNodeHasher(INodeHasher inner, int workerCount = 0)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (workerCount <= 0) workerCount = Environment.ProcessorCount;
        _inner = inner;
        _helpers = new Chunk[workerCount - 1];
        for (int i = 0; i < _helpers.Length; i++) _helpers[i] = new Chunk(this);
    }

    public int WorkerCount => _helpers.Length + 1;

    public void HashPairs(ReadOnlySpan<Hash256> pairs, Span<Hash256> parents)
    {
        Sha256NodeHasher.CheckPairs(pairs.Length, parents.Length);
        int chunks = ChunkCount(parents.Length);
        if (chunks == 1)
        {
            _inner.HashPairs(pairs, parents);
            return;
        }

        Enter();
        try
        {
            // SAFETY: both spans stay pinned until every helper has signalled completion (Wait below), and each helper
            // touches only its own disjoint [start, start + count) range of outputs and the matching inputs.
            fixed (Hash256* input = pairs)
            fixed (Hash256* output = parents)
            {
                int per = parents.Length / chunks;
                Start(chunks);
                for (int c = 1; c < chunks; c++)
                {
                    int start = c * per;
                    int count = c == chunks - 1 ? parents.Length - start : per;
                    _helpers[c - 1].SetPairs(input + 2 * start, output + start, count);
                    ThreadPool.UnsafeQueueUserWorkItem(_helpers[c - 1], preferLocal: false);
                }
                Exception? own = null;
                try
                {
                    _inner.HashPairs(new ReadOnlySpan<Hash256>(input, 2 * per), new Span<Hash256>(output, per));
                }
                catch (Exception e)
                {
                    own = e;
                }
                Wait(own);
            }
        }
        finally
        {
            Exit();
        }
    }

    public void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs)
    {
        Sha256NodeHasher.CheckFixed(inputs.Length, inputLength, outputs.Length);
        int chunks = ChunkCount(outputs.Length);
        if (chunks == 1)
        {
            _inner.HashFixed(inputs, inputLength, outputs);
            return;
        }

        Enter();
        try
        {
            // SAFETY: as in HashPairs: pinned until Wait returns, disjoint ranges per helper.
            fixed (byte* input = inputs)
            fixed (Hash256* output = outputs)
            {
                int per = outputs.Length / chunks;
                Start(chunks);
                for (int c = 1; c < chunks; c++)
                {
                    int start = c * per;
                    int count = c == chunks - 1 ? outputs.Length - start : per;
                    _helpers[c - 1].SetFixed(input + (long)start * inputLength, inputLength, output + start, count);
                    ThreadPool.UnsafeQueueUserWorkItem(_helpers[c - 1], preferLocal: false);
                }
                Exception? own = null;
                try
                {
                    _inner.HashFixed(new ReadOnlySpan<byte>(input, per * inputLength), inputLength, new Span<Hash256>(output, per));
                }
                catch (Exception e)
                {
                    own = e;
                }
                Wait(own);
            }
        }
        finally
        {
            Exit();
        }
    }

    public void Dispose() => _done.Dispose();

    private int ChunkCount(int outputs) => Math.Max(1, Math.Min(WorkerCount, outputs / MinChunkOutputs));

    private void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0) ThrowConcurrentUse();
    }

    private void Exit() => Volatile.Write(ref _busy, 0);

    private void Start(int chunks)
    {
        _done.Reset();
        Volatile.Write(ref _pending, chunks - 1);
    }

    /// <summary>Always waits for every helper (the inputs are pinned only until this returns), then reports failures.</summary>
    private void Wait(Exception? own)
    {
        _done.Wait();
        Exception? failure = own;
        foreach (Chunk helper in _helpers)
        {
            Exception? error = helper.TakeError();
            failure ??= error;
        }
        if (failure is not null) throw new AggregateException("a parallel hashing chunk failed", failure);
    }

    private void Signal()
    {
        if (Interlocked.Decrement(ref _pending) == 0) _done.Set();
    }

    [DoesNotReturn]
    private static void ThrowConcurrentUse() =>
        throw new InvalidOperationException("ParallelNodeHasher is used by one thread at a time; a second call arrived while one was running");

    private sealed class Chunk(ParallelNodeHasher owner) : IThreadPoolWorkItem
    {
        private bool _pairs;
        private byte* _input;
        private int _inputLength;
        private Hash256* _output;
        private int _count;
        private Exception? _error;

        public void SetPairs(Hash256* input, Hash256* output, int count)
        {
            _pairs = true;
            _input = (byte*)input;
            _output = output;
            _count = count;
        }

        public void SetFixed(byte* input, int inputLength, Hash256* output, int count)
        {
            _pairs = false;
            _input = input;
            _inputLength = inputLength;
            _output = output;
            _count = count;
        }

        public Exception? TakeError()
        {
            Exception? error = _error;
            _error = null;
            return error;
        }

        public void Execute()
        {
            try
            {
                if (_pairs)
                {
                    owner._inner.HashPairs(new ReadOnlySpan<Hash256>(_input, 2 * _count), new Span<Hash256>(_output, _count));
                }
                else
                {
                    owner._inner.HashFixed(new ReadOnlySpan<byte>(_input, _count * _inputLength), _inputLength, new Span<Hash256>(_output, _count));
                }
            }
            catch (Exception e)
            {
                _error = e;
            }
            finally
            {
                owner.Signal();
            }
        }
    }
}
