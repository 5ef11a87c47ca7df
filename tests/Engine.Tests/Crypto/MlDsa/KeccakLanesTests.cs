using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.MlDsa;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>The 4- and 8-lane Keccak-f[1600] against the scalar permutation, and the lane-parallel ExpandA, ExpandS and ExpandMask against the scalar ones.</summary>
public sealed class KeccakLanesTests
{
    [Fact]
    public void Four_and_eight_lane_permutations_equal_the_scalar_permutation_of_each_state()
    {
        var random = new Random(1600);
        for (int round = 0; round < 50; round++)
        {
            if (Avx2.IsSupported) CheckLanes(random, 4, states => KeccakLanes4.Permute(states.AsSpan()));
            if (Avx512F.IsSupported) CheckLanes(random, 8, states => KeccakLanes8.Permute(states.AsSpan()));
        }
    }

    [Theory]
    [InlineData(44)]
    [InlineData(65)]
    [InlineData(87)]
    public void Lane_parallel_matrix_expansion_equals_the_scalar_expansion(int set)
    {
        MlDsaParameters p = set == 44 ? MlDsaParameters.MlDsa44 : set == 65 ? MlDsaParameters.MlDsa65 : MlDsaParameters.MlDsa87;
        var random = new Random(set);
        int size = p.K * p.L * 256;
        for (int round = 0; round < 5; round++)
        {
            byte[] rho = new byte[32];
            random.NextBytes(rho);
            int[] expected = new int[size];
            MatrixExpansion.ExpandScalar(p, rho, expected);
            // initialBlocks below 5 forces the extra-block loop, which real seeds practically never reach.
            foreach (int initialBlocks in new[] { Sampling.UniformBlocks, 1, 4 })
            {
                if (Avx2.IsSupported)
                {
                    int[] actual = new int[size];
                    MatrixExpansion.ExpandLanes<KeccakLanes4>(p, rho, actual, initialBlocks);
                    Assert.Equal(expected, actual);
                }
                if (Avx512F.IsSupported)
                {
                    int[] actual = new int[size];
                    MatrixExpansion.ExpandLanes<KeccakLanes8>(p, rho, actual, initialBlocks);
                    Assert.Equal(expected, actual);
                }
            }
            int[] dispatched = new int[size];
            MatrixExpansion.Expand(p, rho, dispatched);
            Assert.Equal(expected, dispatched);
        }
    }

    [Theory]
    [InlineData(44)]
    [InlineData(65)]
    [InlineData(87)]
    public void Lane_parallel_ExpandMask_and_ExpandS_equal_the_scalar_ones(int set)
    {
        MlDsaParameters p = set == 44 ? MlDsaParameters.MlDsa44 : set == 65 ? MlDsaParameters.MlDsa65 : MlDsaParameters.MlDsa87;
        var random = new Random(set * 3);
        for (int round = 0; round < 20; round++)
        {
            byte[] seed = new byte[64];
            random.NextBytes(seed);
            int kappa = random.Next(0, 1000) * p.L;
            int[] expectedMask = new int[p.L * 256];
            Sampling.ExpandMaskScalar(seed, kappa, p, expectedMask);
            int[] expectedS1 = new int[p.L * 256], expectedS2 = new int[p.K * 256];
            Sampling.ExpandSecretsScalar(seed, p, expectedS1, expectedS2);
            if (Avx2.IsSupported)
            {
                int[] mask = new int[p.L * 256], s1 = new int[p.L * 256], s2 = new int[p.K * 256];
                Sampling.ExpandMaskLanes<KeccakLanes4>(seed, kappa, p, mask);
                Sampling.ExpandSecretsLanes<KeccakLanes4>(seed, p, s1, s2);
                Assert.Equal(expectedMask, mask);
                Assert.Equal(expectedS1, s1);
                Assert.Equal(expectedS2, s2);
            }
            if (Avx512F.IsSupported)
            {
                int[] mask = new int[p.L * 256], s1 = new int[p.L * 256], s2 = new int[p.K * 256];
                Sampling.ExpandMaskLanes<KeccakLanes8>(seed, kappa, p, mask);
                Sampling.ExpandSecretsLanes<KeccakLanes8>(seed, p, s1, s2);
                Assert.Equal(expectedMask, mask);
                Assert.Equal(expectedS1, s1);
                Assert.Equal(expectedS2, s2);
            }
        }
    }

    [Fact]
    public void The_masked_challenge_sampler_gives_the_same_challenge_as_the_branching_one()
    {
        var random = new Random(29);
        foreach (int tau in new[] { 39, 49, 60 })
        {
            for (int round = 0; round < 200; round++)
            {
                byte[] commitmentHash = new byte[tau == 39 ? 32 : tau == 49 ? 48 : 64];
                random.NextBytes(commitmentHash);
                int[] expected = new int[256], actual = new int[256];
                Sampling.Challenge(commitmentHash, tau, expected);
                Sampling.ChallengeMasked(commitmentHash, tau, actual);
                Assert.Equal(expected, actual);
                Assert.Equal(tau, actual.Count(v => v != 0));
            }
        }
    }

    private static void CheckLanes(Random random, int width, Action<ulong[]> permute)
    {
        ulong[] interleaved = new ulong[25 * width];
        ulong[][] separate = new ulong[width][];
        for (int i = 0; i < width; i++)
        {
            separate[i] = new ulong[25];
            for (int lane = 0; lane < 25; lane++)
            {
                ulong value = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
                separate[i][lane] = value;
                interleaved[lane * width + i] = value;
            }
            KeccakF1600.Permute(separate[i]);
        }
        permute(interleaved);
        for (int i = 0; i < width; i++)
        {
            for (int lane = 0; lane < 25; lane++) Assert.Equal(separate[i][lane], interleaved[lane * width + i]);
        }
    }
}
