using System.Security.Cryptography;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Crypto;

public class NodeHasherTests
{
    public static TheoryData<int> Sizes() => new() { 0, 1, 2, 63, 64, 127, 128, 129, 255, 256, 257, 1000 };

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

        using var parallel = new ParallelNodeHasher(new Sha256NodeHasher(), workerCount: 3);
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

        using var parallel = new ParallelNodeHasher(new Sha256NodeHasher(), workerCount: 2);
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
}
