using System.Security.Cryptography;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Crypto;

public class Keccak256Tests
{
    private readonly ITestOutputHelper _output;

    public Keccak256Tests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> EthersNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in KeccakVectors.Ethers.Keys) data.Add(name);
        return data;
    }

    public static TheoryData<int> MoneroLines()
    {
        var data = new TheoryData<int>();
        foreach (int line in KeccakVectors.Monero.Keys) data.Add(line);
        return data;
    }

    [Fact]
    public void The_vector_files_hold_the_expected_number_of_vectors()
    {
        _output.WriteLine($"ethers/hashes.json: {KeccakVectors.Ethers.Count} vectors");
        _output.WriteLine($"monero/tests-fast.txt: {KeccakVectors.Monero.Count} vectors");
        Assert.Equal(257, KeccakVectors.Ethers.Count);
        Assert.Equal(321, KeccakVectors.Monero.Count);
    }

    [Fact]
    public void The_empty_input_hashes_to_the_keccak_digest_not_the_sha3_digest()
    {
        Span<byte> digest = stackalloc byte[32];
        Keccak256.Hash([], digest);
        Assert.Equal("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Convert.ToHexStringLower(digest));
    }

    [Theory]
    [MemberData(nameof(EthersNames))]
    public void Hash_matches_the_ethers_keccak256_vector(string name)
    {
        KeccakVectors.EthersHash vector = KeccakVectors.Ethers[name];
        byte[] digest = new byte[32];
        Keccak256.Hash(vector.Data, digest);
        Assert.Equal(Convert.ToHexStringLower(vector.Keccak256), Convert.ToHexStringLower(digest));
    }

    // Checks the harness (hex decoding, the data field) against an independent hash, so that a Keccak failure
    // above cannot be blamed on reading the file wrongly.
    [Theory]
    [MemberData(nameof(EthersNames))]
    public void The_ethers_sha256_field_matches_the_platform_sha256(string name)
    {
        KeccakVectors.EthersHash vector = KeccakVectors.Ethers[name];
        Assert.Equal(Convert.ToHexStringLower(vector.Sha256), Convert.ToHexStringLower(SHA256.HashData(vector.Data)));
    }

    [Theory]
    [MemberData(nameof(MoneroLines))]
    public void Hash_matches_the_monero_vector(int line)
    {
        KeccakVectors.MoneroHash vector = KeccakVectors.Monero[line];
        byte[] digest = new byte[32];
        Keccak256.Hash(vector.Message, digest);
        Assert.Equal(Convert.ToHexStringLower(vector.Digest), Convert.ToHexStringLower(digest));
    }

    [Theory]
    [MemberData(nameof(MoneroLines))]
    public void The_incremental_hasher_fed_in_random_chunks_matches_the_monero_vector(int line)
    {
        KeccakVectors.MoneroHash vector = KeccakVectors.Monero[line];
        var random = new Random(line);
        var hasher = new Keccak256Hasher();
        FeedInRandomChunks(ref hasher, vector.Message, random);
        byte[] digest = new byte[32];
        hasher.Finish(digest);
        Assert.Equal(Convert.ToHexStringLower(vector.Digest), Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void The_incremental_hasher_equals_one_shot_around_every_rate_boundary()
    {
        const int Seed = 20250611;
        var random = new Random(Seed);
        byte[] message = new byte[5 * Keccak256.RateBytes + 3];
        random.NextBytes(message);
        byte[] expected = new byte[32];
        byte[] actual = new byte[32];
        int cases = 0;

        for (int length = 0; length <= message.Length; length++)
        {
            Keccak256.Hash(message.AsSpan(0, length), expected);
            for (int trial = 0; trial < 4; trial++)
            {
                var hasher = new Keccak256Hasher();
                FeedInRandomChunks(ref hasher, message.AsSpan(0, length), random);
                hasher.Finish(actual);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"length {length}, trial {trial}, seed {Seed}");
                cases++;
            }
        }

        _output.WriteLine($"{cases} chunked hashes compared with one-shot (seed {Seed})");
    }

    [Fact]
    public void Finish_resets_the_hasher_so_it_can_hash_again()
    {
        byte[] first = new byte[200];
        byte[] second = new byte[70];
        new Random(7).NextBytes(first);
        new Random(8).NextBytes(second);

        var hasher = new Keccak256Hasher();
        hasher.Update(first);
        byte[] firstDigest = new byte[32];
        hasher.Finish(firstDigest);
        hasher.Update(second);
        byte[] secondDigest = new byte[32];
        hasher.Finish(secondDigest);

        byte[] expected = new byte[32];
        Keccak256.Hash(first, expected);
        Assert.Equal(expected, firstDigest);
        Keccak256.Hash(second, expected);
        Assert.Equal(expected, secondDigest);
    }

    [Theory]
    [MemberData(nameof(MoneroLines))]
    public void Compute_and_the_hasher_return_the_monero_digest_as_a_hash256(int line)
    {
        KeccakVectors.MoneroHash vector = KeccakVectors.Monero[line];
        var expected = new Hash256(vector.Digest);
        Assert.Equal(expected, Keccak256.Compute(vector.Message));

        var hasher = new Keccak256Hasher();
        hasher.Update(vector.Message);
        Assert.Equal(expected, hasher.Finish());
    }

    [Fact]
    public void Hashing_into_a_short_output_span_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Keccak256.Hash([1, 2, 3], new byte[31]));
        Assert.Throws<ArgumentException>(() => new Keccak256Hasher().Finish(new byte[31]));
    }

    private static void FeedInRandomChunks(ref Keccak256Hasher hasher, ReadOnlySpan<byte> message, Random random)
    {
        while (!message.IsEmpty)
        {
            // Mostly small pieces, sometimes empty ones and sometimes several blocks at once.
            int size = random.Next(8) switch
            {
                0 => 0,
                1 => random.Next(Keccak256.RateBytes, 3 * Keccak256.RateBytes),
                _ => random.Next(1, 40),
            };
            size = Math.Min(size, message.Length);
            hasher.Update(message.Slice(0, size));
            message = message.Slice(size);
        }
    }
}
