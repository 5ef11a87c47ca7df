using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Crypto.Lanes;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Crypto.Lanes;

public class Sha256LanesTests
{
    // Every boundary of SHA-256 padding: empty, one byte, the last length whose padding fits its block (55), the first
    // that needs a second block (56), one block exactly (63/64/65), and the same around two and three blocks; 20, 32,
    // 65 and 137 are the state commitment's key and leaf inputs.
    private static readonly int[] s_lengths = [0, 1, 20, 31, 32, 55, 56, 57, 63, 64, 65, 100, 119, 120, 127, 128, 129, 137, 183, 184, 191, 192, 193, 1000];

    public static TheoryData<LanePath> Paths() => new(LaneTestData.SupportedPaths());

    [Theory]
    [MemberData(nameof(Paths))]
    public void Fixed_length_batches_equal_sha256_of_each_input_at_every_padding_boundary(LanePath path)
    {
        foreach (int length in s_lengths)
        {
            foreach (int count in LaneTestData.Counts)
            {
                byte[] inputs = LaneTestData.Bytes(length * count, seed: length * 1000 + count);
                var outputs = new Hash256[count];
                Sha256Lanes.HashFixed(path, inputs, length, outputs);
                for (int i = 0; i < count; i++)
                {
                    Hash256 expected = new(SHA256.HashData(inputs.AsSpan(i * length, length)));
                    Assert.True(expected == outputs[i], $"{path}: input {i} of {count}, {length} bytes");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Pair_batches_equal_sha256_of_the_two_children(LanePath path)
    {
        foreach (int count in LaneTestData.Counts.Append(0).Append(1000))
        {
            byte[] bytes = LaneTestData.Bytes(64 * count, seed: count);
            var pairs = new Hash256[2 * count];
            for (int i = 0; i < pairs.Length; i++) pairs[i] = new Hash256(bytes.AsSpan(32 * i, 32));
            var parents = new Hash256[count];
            Sha256Lanes.HashPairs(path, pairs, parents);
            for (int i = 0; i < count; i++) Assert.Equal(new Hash256(SHA256.HashData(bytes.AsSpan(64 * i, 64))), parents[i]);
        }
    }

    [Fact]
    public void Every_path_agrees_with_the_platform_on_random_lengths_and_counts()
    {
        LanePath[] paths = LaneTestData.SupportedPaths().ToArray();
        Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (length, count, seed) =>
        {
            byte[] inputs = LaneTestData.Bytes(length * count, seed);
            var expected = new Hash256[count];
            for (int i = 0; i < count; i++) expected[i] = new Hash256(SHA256.HashData(inputs.AsSpan(i * length, length)));
            foreach (LanePath path in paths)
            {
                var outputs = new Hash256[count];
                Sha256Lanes.HashFixed(path, inputs, length, outputs);
                if (!outputs.AsSpan().SequenceEqual(expected)) return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_default_entry_points_use_the_best_path()
    {
        byte[] inputs = LaneTestData.Bytes(45 * 64, seed: 9);
        var best = new Hash256[45];
        var chosen = new Hash256[45];
        Sha256Lanes.HashFixed(inputs, 64, best);
        Sha256Lanes.HashFixed(LaneSelection.Best, inputs, 64, chosen);
        Assert.Equal(chosen, best);
    }

    [Fact]
    public void Mismatched_spans_are_rejected_before_anything_is_written()
    {
        var outputs = new Hash256[3];
        var error = Assert.Throws<ArgumentException>(() => Sha256Lanes.HashFixed(new byte[10], 3, outputs));
        Assert.Contains("3 inputs of 3 bytes, got 10 bytes", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Sha256Lanes.HashFixed(new byte[0], -1, Span<Hash256>.Empty));
        Assert.Throws<ArgumentException>(() => Sha256Lanes.HashPairs(new Hash256[5], outputs));
        Assert.All(outputs, o => Assert.True(o.IsZero));
    }
}
