using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Lanes;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Crypto.Lanes;

/// <summary>The lanes behind <see cref="INodeHasher"/>: Merkle roots and parallel batches against the platform hasher.</summary>
public class Sha256LaneHasherTests
{
    public static TheoryData<LanePath> Paths() => new(LaneTestData.SupportedPaths());

    private static Hash256[] Leaves(int count, int seed)
    {
        byte[] bytes = LaneTestData.Bytes(32 * count, seed);
        var leaves = new Hash256[count];
        for (int i = 0; i < count; i++) leaves[i] = new Hash256(bytes.AsSpan(32 * i, 32));
        return leaves;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Merkle_roots_on_every_path_equal_the_platform_hashers_root(LanePath path)
    {
        foreach (int count in new[] { 0, 1, 2, 3, 15, 16, 17, 31, 33, 255, 256, 257, 1000, 4097 })
        {
            Hash256[] leaves = Leaves(count, seed: count);
            Hash256 expected = MerkleRoot.Compute(leaves, new Sha256NodeHasher());
            Assert.Equal(expected, MerkleRoot.Compute(leaves, new Sha256LaneHasher(path)));
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Parallel_lane_batches_equal_the_platform_hasher(LanePath path)
    {
        // Chunks of 48 outputs: a multiple of neither 16 nor 32, so the helpers' chunks end in partial passes too.
        var parallel = new ParallelNodeHasher(new Sha256LaneHasher(path), workerCount: 3, chunkSize: 48);
        foreach (int count in new[] { 95, 96, 97, 1000, 3001 })
        {
            Hash256[] pairs = Leaves(2 * count, seed: count);
            var expected = new Hash256[count];
            new Sha256NodeHasher().HashPairs(pairs, expected);
            var parents = new Hash256[count];
            parallel.HashPairs(pairs, parents);
            Assert.Equal(expected, parents);

            byte[] inputs = LaneTestData.Bytes(count * 137, seed: count);
            var leafExpected = new Hash256[count];
            new Sha256NodeHasher().HashFixed(inputs, 137, leafExpected);
            var leafHashes = new Hash256[count];
            parallel.HashFixed(inputs, 137, leafHashes);
            Assert.Equal(leafExpected, leafHashes);
        }
    }

    [Fact]
    public void The_default_hasher_uses_the_best_path_and_the_state_default_spreads_it_over_the_cores()
    {
        Assert.Equal(LaneSelection.Best, default(Sha256LaneHasher).Path);
        Assert.Equal(LaneSelection.Best, new Sha256LaneHasher().Path);
        ParallelNodeHasher state = ParallelNodeHasher.ForLanes(workerCount: 2);
        Assert.Equal(ParallelNodeHasher.LaneChunkOutputs, state.ChunkSize);
        Assert.Equal(0, ParallelNodeHasher.LaneChunkOutputs % 16);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelNodeHasher(new Sha256NodeHasher(), chunkSize: 0));
    }

    [Fact]
    public void An_unsupported_path_is_refused_when_the_hasher_is_made()
    {
        foreach (LanePath path in Enum.GetValues<LanePath>().Where(p => !LaneSelection.IsSupported(p)))
        {
            var error = Assert.Throws<PlatformNotSupportedException>(() => new Sha256LaneHasher(path));
            Assert.Contains(path.ToString(), error.Message, StringComparison.Ordinal);
        }
        Assert.Throws<PlatformNotSupportedException>(() => new Sha256LaneHasher((LanePath)99));
    }
}
