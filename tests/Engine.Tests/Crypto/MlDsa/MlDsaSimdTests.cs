using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NexusFast.Engine.Crypto.MlDsa;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>
/// The AVX2 and AVX-512 paths of the NTT and the coefficient arithmetic against the scalar reference, called directly,
/// on seeded random and boundary inputs; the scalar reference itself against schoolbook multiplication and the FIPS 204
/// definitions (Decompose exhaustively over all of Z_q). A path the CPU lacks is reported, not run.
/// </summary>
public sealed class MlDsaSimdTests(ITestOutputHelper output)
{
    private const int N = 256;
    private const int Q = MlDsaField.Q;
    private const int Rounds = 300;

    private static bool Avx2Usable => Avx2.IsSupported;
    private static bool Avx512Usable => Avx512F.IsSupported && Avx512BW.IsSupported;

    private delegate void Transform(Span<int> a);

    [Fact]
    public void The_twiddle_table_holds_the_powers_of_zeta_listed_in_FIPS_204_appendix_B()
    {
        int[] appendixB = [1, 4808194, 3765607, 3761513, 5178923, 5496691, 5234739, 5178987];
        for (int m = 0; m < appendixB.Length; m++) Assert.Equal(appendixB[m], Ntt.PlainZeta(m));
        // The Montgomery table is the plain one times 2^32, centred.
        for (int m = 0; m < N; m++)
        {
            long expected = (long)Ntt.PlainZeta(m) * ((1L << 32) % Q) % Q;
            Assert.Equal(expected, ((long)Ntt.Zetas[m] + Q) % Q);
            Assert.InRange(Ntt.Zetas[m], -Q / 2, Q / 2);
        }
    }

    [Fact]
    public void Forward_and_inverse_NTT_multiply_polynomials_like_the_schoolbook_negacyclic_product()
    {
        var random = new Random(204);
        for (int round = 0; round < 20; round++)
        {
            int[] a = RandomPoly(random, -Q + 1, Q - 1);
            int[] b = RandomPoly(random, -Q + 1, Q - 1);
            long[] expected = new long[N];
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    long product = (long)a[i] * b[j] % Q;
                    if (i + j < N) expected[i + j] += product;
                    else expected[i + j - N] -= product;
                }
            }
            int[] aHat = (int[])a.Clone(), bHat = (int[])b.Clone(), c = new int[N];
            Ntt.ForwardScalar(aHat);
            Ntt.ForwardScalar(bHat);
            PolyMath.PointwiseMontgomeryScalar(aHat, bHat, c);
            PolyMath.ReduceScalar(c);
            Ntt.InverseScalar(c);
            for (int i = 0; i < N; i++) Assert.Equal(((expected[i] % Q) + Q) % Q, ((long)c[i] % Q + Q) % Q);
        }
    }

    [Fact]
    public void Every_NTT_path_gives_the_scalar_result_for_random_and_extreme_inputs()
    {
        CompareTransforms("forward", Ntt.ForwardScalar, Ntt.ForwardAvx2, Ntt.ForwardAvx512, -Q + 1, Q - 1);
        CompareTransforms("inverse", Ntt.InverseScalar, Ntt.InverseAvx2, Ntt.InverseAvx512, -6283008, 6283008);
    }

    [Fact]
    public void Every_arithmetic_path_gives_the_scalar_result()
    {
        var random = new Random(4096);
        int compared = 0;
        for (int round = 0; round < Rounds; round++)
        {
            int[] a = RandomPoly(random, -9 * Q, 9 * Q);
            int[] b = RandomPoly(random, 0, Q - 1);
            int[] accumulator = RandomPoly(random, -7 * Q, 7 * Q);
            int[] wide = RandomPoly(random, int.MinValue / 2, int.MaxValue / 2);
            int[] canonical = RandomPoly(random, 0, Q - 1);
            int[] hint = RandomPoly(random, 0, 1);
            int bound = random.Next(1, Q);
            int[] centred = RandomPoly(random, -bound - 2, bound + 2);

            foreach ((string name, Action<int[], int[], int[]> scalar, Action<int[], int[], int[]>? avx2, Action<int[], int[], int[]>? avx512) in Binary())
            {
                int[] expected = (int[])accumulator.Clone();
                scalar(a, b, expected);
                foreach ((string path, Action<int[], int[], int[]>? op) in new[] { ("AVX2", avx2), ("AVX-512", avx512) })
                {
                    if (op is null) continue;
                    int[] actual = (int[])accumulator.Clone();
                    op(a, b, actual);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} {path} differs in round {round}");
                    compared++;
                }
            }

            CompareUnary("reduce", wide, PolyMath.ReduceScalar, PolyMath.ReduceAvx2, PolyMath.ReduceAvx512, round);
            CompareUnary("freeze", wide, PolyMath.FreezeScalar, PolyMath.FreezeAvx2, PolyMath.FreezeAvx512, round);
            int expectedMask = PolyMath.ExceedsBoundScalar(centred, bound);
            if (Avx2Usable) Assert.Equal(expectedMask, PolyMath.ExceedsBoundAvx2(centred, bound));
            if (Avx512Usable) Assert.Equal(expectedMask, PolyMath.ExceedsBoundAvx512(centred, bound));

            foreach (int gamma2 in new[] { PolyMath.Gamma2Wide, PolyMath.Gamma2Narrow })
            {
                int[] highScalar = new int[N], lowScalar = new int[N], useScalar = new int[N];
                PolyMath.DecomposeScalar(canonical, highScalar, lowScalar, gamma2);
                PolyMath.UseHintScalar(canonical, hint, useScalar, gamma2);
                if (Avx2Usable) CompareDecompose(PolyMath.DecomposeAvx2, PolyMath.UseHintAvx2, canonical, hint, gamma2, highScalar, lowScalar, useScalar);
                if (Avx512Usable) CompareDecompose(PolyMath.DecomposeAvx512, PolyMath.UseHintAvx512, canonical, hint, gamma2, highScalar, lowScalar, useScalar);
            }
        }
        output.WriteLine($"{Rounds} rounds, {compared} binary comparisons; AVX2 {(Avx2Usable ? "compared" : "not on this CPU")}, AVX-512 {(Avx512Usable ? "compared" : "not on this CPU")}");
    }

    [Fact]
    public void The_norm_check_flags_a_coefficient_exactly_at_the_bound_on_every_path()
    {
        foreach (int sign in new[] { 1, -1 })
        {
            for (int position = 0; position < N; position += 37)
            {
                int[] poly = new int[N];
                Array.Fill(poly, 99 * sign);
                poly[position] = 100 * sign;
                Assert.Equal(-1, PolyMath.ExceedsBoundScalar(poly, 100));
                Assert.Equal(0, PolyMath.ExceedsBoundScalar(poly, 101));
                if (Avx2Usable) Assert.Equal((-1, 0), (PolyMath.ExceedsBoundAvx2(poly, 100), PolyMath.ExceedsBoundAvx2(poly, 101)));
                if (Avx512Usable) Assert.Equal((-1, 0), (PolyMath.ExceedsBoundAvx512(poly, 100), PolyMath.ExceedsBoundAvx512(poly, 101)));
            }
        }
    }

    [Fact]
    public void Decompose_matches_the_FIPS_204_definition_for_every_element_of_Z_q_on_every_path()
    {
        int[] input = new int[N], high = new int[N], low = new int[N], vectorHigh = new int[N], vectorLow = new int[N];
        foreach (int gamma2 in new[] { PolyMath.Gamma2Wide, PolyMath.Gamma2Narrow })
        {
            int alpha = 2 * gamma2;
            for (int start = 0; start < Q; start += N)
            {
                for (int i = 0; i < N; i++) input[i] = Math.Min(start + i, Q - 1);
                PolyMath.DecomposeScalar(input, high, low, gamma2);
                for (int i = 0; i < N; i++)
                {
                    // Algorithm 36: r0 = r mod+- 2 gamma2; if r - r0 = q - 1 then (0, r0 - 1) else ((r - r0) / (2 gamma2), r0).
                    int r = input[i];
                    int r0 = r % alpha;
                    if (r0 > gamma2) r0 -= alpha;
                    (int h, int l) = r - r0 == Q - 1 ? (0, r0 - 1) : ((r - r0) / alpha, r0);
                    if (high[i] != h || low[i] != l) Assert.Fail($"Decompose({r}) with gamma2 {gamma2}: got ({high[i]}, {low[i]}), FIPS 204 gives ({h}, {l})");
                }
                if (Avx2Usable)
                {
                    PolyMath.DecomposeAvx2(input, vectorHigh, vectorLow, gamma2);
                    if (!vectorHigh.AsSpan().SequenceEqual(high) || !vectorLow.AsSpan().SequenceEqual(low)) Assert.Fail($"AVX2 Decompose differs near {start}");
                }
                if (Avx512Usable)
                {
                    PolyMath.DecomposeAvx512(input, vectorHigh, vectorLow, gamma2);
                    if (!vectorHigh.AsSpan().SequenceEqual(high) || !vectorLow.AsSpan().SequenceEqual(low)) Assert.Fail($"AVX-512 Decompose differs near {start}");
                }
            }
        }
    }

    [Fact]
    public void UseHint_matches_the_FIPS_204_definition()
    {
        var random = new Random(40);
        foreach (int gamma2 in new[] { PolyMath.Gamma2Wide, PolyMath.Gamma2Narrow })
        {
            int m = (Q - 1) / (2 * gamma2);
            for (int trial = 0; trial < 200_000; trial++)
            {
                int r = trial < 1000 ? Q - 1 - trial : random.Next(Q);
                int hint = trial & 1;
                int high = PolyMath.DecomposeOne(r, gamma2, out int low);
                int expected = hint == 0 ? high : low > 0 ? (high + 1) % m : (high - 1 + m) % m;
                Assert.Equal(expected, PolyMath.UseHintOne(r, hint, gamma2));
            }
        }
    }

    [Fact]
    public void The_dispatcher_picks_the_widest_path_the_CPU_and_runtime_accelerate()
    {
        Assert.Equal(SimdPath.Avx512, SimdSupport.Choose(avx512Usable: true, avx2Usable: true));
        Assert.Equal(SimdPath.Avx2, SimdSupport.Choose(avx512Usable: false, avx2Usable: true));
        Assert.Equal(SimdPath.Scalar, SimdSupport.Choose(avx512Usable: false, avx2Usable: false));
        SimdPath expected = SimdSupport.Choose(
            Avx512F.IsSupported && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated,
            Avx2.IsSupported && Vector256.IsHardwareAccelerated);
        Assert.Equal(expected, SimdSupport.Selected);
        output.WriteLine($"selected {SimdSupport.Selected} (Avx512F {Avx512F.IsSupported}, Vector512 accelerated {Vector512.IsHardwareAccelerated}, Avx2 {Avx2.IsSupported})");

        // The dispatching entry points give the scalar result whatever they chose.
        var random = new Random(7);
        int[] a = RandomPoly(random, -Q + 1, Q - 1);
        int[] viaDispatch = (int[])a.Clone(), viaScalar = (int[])a.Clone();
        Ntt.Forward(viaDispatch);
        Ntt.ForwardScalar(viaScalar);
        Assert.Equal(viaScalar, viaDispatch);
    }

    private void CompareTransforms(string name, Transform scalar, Transform avx2, Transform avx512, int min, int max)
    {
        var random = new Random(name.Length * 1000 + 17);
        var inputs = new List<int[]>();
        for (int round = 0; round < Rounds; round++) inputs.Add(RandomPoly(random, min, max));
        inputs.Add(Filled(max));
        inputs.Add(Filled(min));
        inputs.Add(Filled(0));
        int[] alternating = new int[N];
        for (int i = 0; i < N; i++) alternating[i] = (i & 1) == 0 ? max : min;
        inputs.Add(alternating);
        int[] impulse = new int[N];
        impulse[N - 1] = max;
        inputs.Add(impulse);

        foreach (int[] input in inputs)
        {
            int[] expected = (int[])input.Clone();
            scalar(expected);
            if (Avx2Usable)
            {
                int[] actual = (int[])input.Clone();
                avx2(actual);
                Assert.Equal(expected, actual);
            }
            if (Avx512Usable)
            {
                int[] actual = (int[])input.Clone();
                avx512(actual);
                Assert.Equal(expected, actual);
            }
        }
        output.WriteLine($"{name} NTT: {inputs.Count} inputs compared");
    }

    private static IEnumerable<(string, Action<int[], int[], int[]>, Action<int[], int[], int[]>?, Action<int[], int[], int[]>?)> Binary()
    {
        yield return ("pointwise", (a, b, r) => PolyMath.PointwiseMontgomeryScalar(a, b, r),
            Avx2Usable ? (a, b, r) => PolyMath.PointwiseMontgomeryAvx2(a, b, r) : null,
            Avx512Usable ? (a, b, r) => PolyMath.PointwiseMontgomeryAvx512(a, b, r) : null);
        yield return ("accumulate", (a, b, r) => PolyMath.PointwiseAccumulateScalar(a, b, r),
            Avx2Usable ? (a, b, r) => PolyMath.PointwiseAccumulateAvx2(a, b, r) : null,
            Avx512Usable ? (a, b, r) => PolyMath.PointwiseAccumulateAvx512(a, b, r) : null);
    }

    private static void CompareUnary(string name, int[] input, Transform scalar, Transform avx2, Transform avx512, int round)
    {
        int[] expected = (int[])input.Clone();
        scalar(expected);
        if (Avx2Usable)
        {
            int[] actual = (int[])input.Clone();
            avx2(actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} AVX2 differs in round {round}");
        }
        if (Avx512Usable)
        {
            int[] actual = (int[])input.Clone();
            avx512(actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{name} AVX-512 differs in round {round}");
        }
    }

    private delegate void DecomposeFunction(ReadOnlySpan<int> a, Span<int> high, Span<int> low, int gamma2);

    private delegate void UseHintFunction(ReadOnlySpan<int> a, ReadOnlySpan<int> hint, Span<int> high, int gamma2);

    private static void CompareDecompose(DecomposeFunction decompose, UseHintFunction useHint, int[] input, int[] hint, int gamma2,
        int[] expectedHigh, int[] expectedLow, int[] expectedUse)
    {
        int[] high = new int[N], low = new int[N], used = new int[N];
        decompose(input, high, low, gamma2);
        useHint(input, hint, used, gamma2);
        Assert.Equal(expectedHigh, high);
        Assert.Equal(expectedLow, low);
        Assert.Equal(expectedUse, used);
    }

    private static int[] RandomPoly(Random random, int min, int max)
    {
        int[] poly = new int[N];
        for (int i = 0; i < N; i++) poly[i] = (int)random.NextInt64(min, (long)max + 1);
        return poly;
    }

    private static int[] Filled(int value)
    {
        int[] poly = new int[N];
        Array.Fill(poly, value);
        return poly;
    }
}
