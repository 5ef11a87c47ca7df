using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Lanes;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Crypto.Lanes;

public class Keccak256LanesTests
{
    // Both sides of every rate boundary (136 bytes): the empty message, a tail that leaves one free byte for both pad
    // bits (135), exactly one block (136, padding in a block of its own), and the same around two and three blocks;
    // 20, 32 and 64 are addresses, keys and public keys.
    private static readonly int[] s_lengths = [0, 1, 8, 20, 31, 32, 63, 64, 65, 100, 134, 135, 136, 137, 200, 271, 272, 273, 407, 408, 409, 1000];

    public static TheoryData<LanePath> Paths() => new(LaneTestData.SupportedPaths());

    [Theory]
    [MemberData(nameof(Paths))]
    public void Fixed_length_batches_equal_the_scalar_keccak_at_every_rate_boundary(LanePath path)
    {
        foreach (int length in s_lengths)
        {
            foreach (int count in LaneTestData.Counts)
            {
                byte[] inputs = LaneTestData.Bytes(length * count, seed: length * 1000 + count);
                var outputs = new Hash256[count];
                Keccak256Lanes.HashFixed(path, inputs, length, outputs);
                for (int i = 0; i < count; i++)
                {
                    Assert.True(Keccak256.Compute(inputs.AsSpan(i * length, length)) == outputs[i], $"{path}: input {i} of {count}, {length} bytes");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Known_vectors_come_out_of_every_lane(LanePath path)
    {
        // Keccak-256("") and Keccak-256("abc") (Ethereum's Keccak, not SHA3-256), each repeated in 17 lanes.
        Hash256 empty = Hash256.Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        Hash256 abc = Hash256.Parse("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
        var outputs = new Hash256[17];
        Keccak256Lanes.HashFixed(path, ReadOnlySpan<byte>.Empty, 0, outputs);
        Assert.All(outputs, o => Assert.Equal(empty, o));
        byte[] abcs = [.. Enumerable.Repeat("abc"u8.ToArray(), 17).SelectMany(b => b)];
        Keccak256Lanes.HashFixed(path, abcs, 3, outputs);
        Assert.All(outputs, o => Assert.Equal(abc, o));
    }

    [Fact]
    public void Every_path_agrees_with_the_scalar_keccak_on_random_lengths_and_counts()
    {
        LanePath[] paths = LaneTestData.SupportedPaths().ToArray();
        Prop.ForAll(Gen.Choose(0, 600).ToArbitrary(), Gen.Choose(0, 20).ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (length, count, seed) =>
        {
            byte[] inputs = LaneTestData.Bytes(length * count, seed);
            var expected = new Hash256[count];
            for (int i = 0; i < count; i++) expected[i] = Keccak256.Compute(inputs.AsSpan(i * length, length));
            foreach (LanePath path in paths)
            {
                var outputs = new Hash256[count];
                Keccak256Lanes.HashFixed(path, inputs, length, outputs);
                if (!outputs.AsSpan().SequenceEqual(expected)) return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Mismatched_spans_are_rejected_before_anything_is_written()
    {
        var outputs = new Hash256[2];
        Assert.Throws<ArgumentException>(() => Keccak256Lanes.HashFixed(new byte[7], 4, outputs));
        Assert.All(outputs, o => Assert.True(o.IsZero));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Messages_of_mixed_lengths_each_get_their_own_hash(LanePath path)
    {
        // Lengths spread over four permutation counts and interleaved, so passes fill out of batch order, plus runs of
        // one length (transfers) and slices that overlap or repeat.
        var random = new Random(5);
        byte[] data = LaneTestData.Bytes(4000, seed: 5);
        foreach (int count in new[] { 0, 1, 3, 9, 17, 64, 301 })
        {
            int[] offsets = new int[count];
            int[] lengths = new int[count];
            for (int i = 0; i < count; i++)
            {
                lengths[i] = i % 5 == 0 ? 110 : random.Next(0, 560);
                offsets[i] = random.Next(0, data.Length - lengths[i] + 1);
            }
            var outputs = new Hash256[count];
            Keccak256Lanes.HashMany(path, data, offsets, lengths, outputs);
            for (int i = 0; i < count; i++)
            {
                Assert.True(Keccak256.Compute(data.AsSpan(offsets[i], lengths[i])) == outputs[i], $"{path}: message {i} of {count}, {lengths[i]} bytes");
            }
        }
    }

    [Fact]
    public void Slices_outside_the_data_or_miscounted_are_rejected_before_anything_is_written()
    {
        var outputs = new Hash256[2];
        var error = Assert.Throws<ArgumentException>(() => Keccak256Lanes.HashMany(new byte[100], [0, 60], [50, 41], outputs));
        Assert.Contains("message 1 (offset 60, length 41) does not lie inside the 100-byte data", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Keccak256Lanes.HashMany(new byte[100], [0, -1], [5, 5], outputs));
        Assert.Throws<ArgumentException>(() => Keccak256Lanes.HashMany(new byte[100], [0, int.MaxValue], [5, 5], outputs));
        Assert.Throws<ArgumentException>(() => Keccak256Lanes.HashMany(new byte[100], [0], [5, 5], outputs));
        Assert.All(outputs, o => Assert.True(o.IsZero));
    }
}
