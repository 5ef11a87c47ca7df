using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.MlDsa;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>The 4- and 8-lane Keccak-f[1600] against the scalar permutation, and the lane-parallel ExpandA against the scalar one.</summary>
public sealed class KeccakLanesTests
{
    [Fact]
    public void Four_and_eight_lane_permutations_equal_the_scalar_permutation_of_each_state()
    {
        var random = new Random(1600);
        for (int round = 0; round < 50; round++)
        {
            if (Avx2.IsSupported) CheckLanes(random, 4, states => KeccakF1600x4.Permute(MemoryMarshal.Cast<ulong, Vector256<ulong>>(states.AsSpan())));
            if (Avx512F.IsSupported) CheckLanes(random, 8, states => KeccakF1600x8.Permute(MemoryMarshal.Cast<ulong, Vector512<ulong>>(states.AsSpan())));
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
