using System.Security.Cryptography;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Crypto;

public class NodeHasherTests
{
    public static TheoryData<int> Sizes() => new() { 0, 1, 2, 63, 64, 127, 128, 129, 191, 192, 193, 255, 256, 257, 1000, 4099 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Pair_hashing_is_sha256_of_the_64_bytes_on_every_path(int count)
    {
        var random = new Random(count);
        var pairs = new Hash256[2 * count];
        byte[] bytes = new byte[32];
        for (int i = 0; i < pairs.Length; i++)
        {
            random.NextBytes(bytes);
            pairs[i] = new Hash256(bytes);
        }

        var expected = new Hash256[count];
        for (int i = 0; i < count; i++) expected[i] = new Hash256(SHA256.HashData([.. pairs[2 * i].ToArray(), .. pairs[2 * i + 1].ToArray()]));

        var scalar = new Hash256[count];
        new Sha256NodeHasher().HashPairs(pairs, scalar);
        Assert.Equal(expected, scalar);

        var parallel = new ParallelNodeHasher(new Sha256NodeHasher(), workerCount: 3);
        var spread = new Hash256[count];
        parallel.HashPairs(pairs, spread);
        Assert.Equal(expected, spread);
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(1, 32)]
    [InlineData(200, 20)]
    [InlineData(200, 65)]
    [InlineData(777, 137)]
    public void Fixed_length_hashing_is_sha256_of_each_input_on_every_path(int count, int length)
    {
        byte[] inputs = new byte[count * length];
        new Random(length).NextBytes(inputs);
        var expected = new Hash256[count];
        for (int i = 0; i < count; i++) expected[i] = new Hash256(SHA256.HashData(inputs.AsSpan(i * length, length)));

        var scalar = new Hash256[count];
        new Sha256NodeHasher().HashFixed(inputs, length, scalar);
        Assert.Equal(expected, scalar);

        var parallel = new ParallelNodeHasher(new Sha256NodeHasher(), workerCount: 2);
        var spread = new Hash256[count];
        parallel.HashFixed(inputs, length, spread);
        Assert.Equal(expected, spread);
    }

    [Fact]
    public void Mismatched_lengths_are_refused_with_the_counts()
    {
        var error = Assert.Throws<ArgumentException>(() => new Sha256NodeHasher().HashPairs(new Hash256[3], new Hash256[2]));
        Assert.Contains("got 3 inputs for 2 parents", error.Message);
        error = Assert.Throws<ArgumentException>(() => new Sha256NodeHasher().HashFixed(new byte[10], 3, new Hash256[3]));
        Assert.Contains("needs 3 inputs of 3 bytes, got 10 bytes", error.Message);
    }

    [Fact]
    public void A_failure_in_any_chunk_reaches_the_caller_after_every_chunk_is_done()
    {
        var faulty = new FaultyHasher(failOnCall: 3);
        var parallel = new ParallelNodeHasher(faulty, workerCount: 2);
        var error = Assert.Throws<InvalidOperationException>(() => parallel.HashPairs(new Hash256[2 * 1000], new Hash256[1000]));
        Assert.Equal("injected fault", error.Message);
        Assert.Equal((1000 + ParallelNodeHasher.ChunkOutputs - 1) / ParallelNodeHasher.ChunkOutputs, faulty.Calls);

        // The hasher is usable again afterwards.
        var outputs = new Hash256[500];
        new ParallelNodeHasher(new Sha256NodeHasher(), workerCount: 2).HashPairs(new Hash256[1000], outputs);
        Assert.Equal(new Hash256(SHA256.HashData(new byte[64])), outputs[499]);
    }

    [Fact]
    public void A_second_caller_during_a_batch_is_refused()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocking = new BlockingHasher(entered, release);
        var parallel = new ParallelNodeHasher(blocking, workerCount: 2);
        var first = new Thread(() => parallel.HashPairs(new Hash256[2 * 256], new Hash256[256]));
        first.Start();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        var error = Assert.Throws<InvalidOperationException>(() => parallel.HashPairs(new Hash256[2 * 256], new Hash256[256]));
        Assert.Contains("one thread at a time", error.Message);
        release.Set();
        first.Join();
    }

    /// <summary>Fault injection: SHA-256, except that the n-th call throws.</summary>
    private sealed class FaultyHasher(int failOnCall) : INodeHasher
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void HashPairs(ReadOnlySpan<Hash256> pairs, Span<Hash256> parents)
        {
            if (Interlocked.Increment(ref _calls) == failOnCall) throw new InvalidOperationException("injected fault");
            new Sha256NodeHasher().HashPairs(pairs, parents);
        }

        public void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs) =>
            new Sha256NodeHasher().HashFixed(inputs, inputLength, outputs);
    }

    /// <summary>SHA-256 that holds its first call until released (to have a batch in flight).</summary>
    private sealed class BlockingHasher(ManualResetEventSlim entered, ManualResetEventSlim release) : INodeHasher
    {
        public void HashPairs(ReadOnlySpan<Hash256> pairs, Span<Hash256> parents)
        {
            entered.Set();
            release.Wait();
            new Sha256NodeHasher().HashPairs(pairs, parents);
        }

        public void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs) =>
            new Sha256NodeHasher().HashFixed(inputs, inputLength, outputs);
    }
}
