using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// Coefficient-wise operations on polynomials (spans of 256 coefficients): Montgomery products, reductions, the
/// rounding functions of FIPS 204 section 7.4 and the infinity-norm check. The scalar reference is here; the AVX2 and
/// AVX-512 paths (PolyMath.Avx2.cs, PolyMath.Avx512.cs) compute the same integers. The dispatching entry points pick the
/// path chosen by <see cref="SimdSupport"/>.
/// </summary>
/// <remarks>
/// Constant time: none of these functions branches on or indexes by a coefficient. Comparisons become sign masks
/// (x >> 31), and the norm check folds all coefficients into one mask that the caller turns into the single
/// accept/reject decision FIPS 204 allows to leak (section 3.6.3 / the rejection loop of algorithm 7).
/// </remarks>
internal static partial class PolyMath
{
    // Decompose divides by 2 gamma2 with a multiply and shifts instead of a division: 2 gamma2 = 2^9 * 1023 for
    // gamma2 = (q-1)/32 and 2^11 * 93 for gamma2 = (q-1)/88, and floor(y / 1023) = (y * 16401) >> 24 for all
    // y <= 16879, floor(y / 93) = (y * 2819) >> 18 for all y <= 4138 (the largest y that occur; checked exhaustively
    // by the tests against the definition in FIPS 204 algorithm 36).
    internal const int Gamma2Wide = (MlDsaField.Q - 1) / 32;
    internal const int Gamma2Narrow = (MlDsaField.Q - 1) / 88;

    public static void PointwiseMontgomery(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        CheckLengths(a.Length, b.Length, result.Length);
        if (SimdSupport.Selected == SimdPath.Avx512) PointwiseMontgomeryAvx512(a, b, result);
        else if (SimdSupport.Selected == SimdPath.Avx2) PointwiseMontgomeryAvx2(a, b, result);
        else PointwiseMontgomeryScalar(a, b, result);
    }

    /// <summary>result += a o b (Montgomery); result must hold fewer than 2^31 - q in magnitude afterwards.</summary>
    public static void PointwiseAccumulate(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        CheckLengths(a.Length, b.Length, result.Length);
        if (SimdSupport.Selected == SimdPath.Avx512) PointwiseAccumulateAvx512(a, b, result);
        else if (SimdSupport.Selected == SimdPath.Avx2) PointwiseAccumulateAvx2(a, b, result);
        else PointwiseAccumulateScalar(a, b, result);
    }

    /// <summary>Reduce32 of every coefficient.</summary>
    public static void Reduce(Span<int> a)
    {
        CheckLength(a.Length);
        if (SimdSupport.Selected == SimdPath.Avx512) ReduceAvx512(a);
        else if (SimdSupport.Selected == SimdPath.Avx2) ReduceAvx2(a);
        else ReduceScalar(a);
    }

    /// <summary>Reduce32 then add q to negatives: every coefficient into [0, q).</summary>
    public static void Freeze(Span<int> a)
    {
        CheckLength(a.Length);
        if (SimdSupport.Selected == SimdPath.Avx512) FreezeAvx512(a);
        else if (SimdSupport.Selected == SimdPath.Avx2) FreezeAvx2(a);
        else FreezeScalar(a);
    }

    /// <summary>
    /// A mask that is -1 when some |a_i| >= bound and 0 otherwise (a centred, |a_i| &lt; 2^31). The caller branches on
    /// it once: that is the rejection decision, the only secret-dependent branch signing has.
    /// </summary>
    public static int ExceedsBound(ReadOnlySpan<int> a, int bound)
    {
        CheckLength(a.Length);
        if (SimdSupport.Selected == SimdPath.Avx512) return ExceedsBoundAvx512(a, bound);
        if (SimdSupport.Selected == SimdPath.Avx2) return ExceedsBoundAvx2(a, bound);
        return ExceedsBoundScalar(a, bound);
    }

    /// <summary>
    /// FIPS 204 algorithm 36 on canonical coefficients a_i in [0, q): a = r1 * 2 gamma2 + r0 with r0 in (-gamma2, gamma2],
    /// and the wrap-around case r1 = (q-1) / (2 gamma2) folded to r1 = 0, r0 - 1.
    /// </summary>
    public static void Decompose(ReadOnlySpan<int> a, Span<int> high, Span<int> low, int gamma2)
    {
        CheckLengths(a.Length, high.Length, low.Length);
        CheckGamma2(gamma2);
        if (SimdSupport.Selected == SimdPath.Avx512) DecomposeAvx512(a, high, low, gamma2);
        else if (SimdSupport.Selected == SimdPath.Avx2) DecomposeAvx2(a, high, low, gamma2);
        else DecomposeScalar(a, high, low, gamma2);
    }

    /// <summary>
    /// FIPS 204 algorithm 40 (UseHint) on canonical a_i and hint bits h_i in {0, 1}: writes the corrected high bits into
    /// <paramref name="high"/>. Used by verification only, but branch-free all the same.
    /// </summary>
    public static void UseHint(ReadOnlySpan<int> a, ReadOnlySpan<int> hint, Span<int> high, int gamma2)
    {
        CheckLengths(a.Length, hint.Length, high.Length);
        CheckGamma2(gamma2);
        if (SimdSupport.Selected == SimdPath.Avx512) UseHintAvx512(a, hint, high, gamma2);
        else if (SimdSupport.Selected == SimdPath.Avx2) UseHintAvx2(a, hint, high, gamma2);
        else UseHintScalar(a, hint, high, gamma2);
    }

    // ---- scalar reference ----

    internal static void PointwiseMontgomeryScalar(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        for (int i = 0; i < MlDsaField.N; i++) result[i] = MlDsaField.MontgomeryMultiply(a[i], b[i]);
    }

    internal static void PointwiseAccumulateScalar(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        for (int i = 0; i < MlDsaField.N; i++) result[i] += MlDsaField.MontgomeryMultiply(a[i], b[i]);
    }

    internal static void ReduceScalar(Span<int> a)
    {
        for (int i = 0; i < MlDsaField.N; i++) a[i] = MlDsaField.Reduce32(a[i]);
    }

    internal static void FreezeScalar(Span<int> a)
    {
        for (int i = 0; i < MlDsaField.N; i++) a[i] = MlDsaField.Freeze(a[i]);
    }

    internal static int ExceedsBoundScalar(ReadOnlySpan<int> a, int bound)
    {
        int mask = 0;
        for (int i = 0; i < MlDsaField.N; i++) mask |= (bound - 1 - MlDsaField.Abs(a[i])) >> 31;
        return mask;
    }

    internal static void DecomposeScalar(ReadOnlySpan<int> a, Span<int> high, Span<int> low, int gamma2)
    {
        for (int i = 0; i < MlDsaField.N; i++) high[i] = DecomposeOne(a[i], gamma2, out low[i]);
    }

    internal static void UseHintScalar(ReadOnlySpan<int> a, ReadOnlySpan<int> hint, Span<int> high, int gamma2)
    {
        for (int i = 0; i < MlDsaField.N; i++) high[i] = UseHintOne(a[i], hint[i], gamma2);
    }

    /// <summary>One coefficient of <see cref="Decompose"/>; the vector paths mirror these steps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int DecomposeOne(int a, int gamma2, out int low)
    {
        int high;
        int wrap;
        if (gamma2 == Gamma2Wide)
        {
            high = (((a + Gamma2Wide - 1) >> 9) * 16401) >> 24;
            wrap = 15 - high; // negative exactly when high = 16 = (q-1) / (2 gamma2)
        }
        else
        {
            high = (((a + Gamma2Narrow - 1) >> 11) * 2819) >> 18;
            wrap = 43 - high; // negative exactly when high = 44
        }
        int wrapMask = wrap >> 31;
        low = a - high * 2 * gamma2 + wrapMask; // the wrap case subtracts one more (FIPS 204 algorithm 36, line 5)
        return high & ~wrapMask;
    }

    /// <summary>One coefficient of <see cref="UseHint"/>: high + 1 when low > 0, high - 1 otherwise, modulo m.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int UseHintOne(int a, int hint, int gamma2)
    {
        int high = DecomposeOne(a, gamma2, out int low);
        int positive = (-low) >> 31; // -1 when low > 0
        int step = -(positive | 1) & -hint; // +1 when low > 0, -1 otherwise, 0 without a hint
        int moved = high + step;
        if (gamma2 == Gamma2Wide) return moved & 15;
        // m = 44: -1 wraps to 43, 44 wraps to 0.
        moved += (moved >> 31) & 44;
        return moved - (((43 - moved) >> 31) & 44);
    }

    private static void CheckLength(int length)
    {
        if (length != MlDsaField.N) ThrowWrongLength();
    }

    private static void CheckLengths(int a, int b, int c)
    {
        if (a != MlDsaField.N || b != MlDsaField.N || c != MlDsaField.N) ThrowWrongLength();
    }

    private static void CheckGamma2(int gamma2)
    {
        if (gamma2 != Gamma2Wide && gamma2 != Gamma2Narrow) ThrowBadGamma2(gamma2);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongLength() => throw new ArgumentException($"a polynomial has {MlDsaField.N} coefficients");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadGamma2(int gamma2) => throw new ArgumentOutOfRangeException(nameof(gamma2), gamma2, "gamma2 must be (q-1)/32 or (q-1)/88");
}
