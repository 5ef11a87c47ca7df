using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// The number-theoretic transform of FIPS 204 algorithms 41 (NTT) and 42 (NTT^-1) on 256 coefficients, with
/// Montgomery multiplications. Three paths compute the same integers: the scalar reference here, AVX2 in
/// Ntt.Avx2.cs and AVX-512 in Ntt.Avx512.cs. <see cref="Forward"/> and <see cref="Inverse"/> pick the widest the
/// CPU has. All paths are straight-line over public twiddle factors: no branch or index depends on coefficients.
/// </summary>
/// <remarks>
/// Domains: <see cref="Forward"/> maps a to NTT(a) exactly (its twiddles carry the Montgomery factor 2^32), with output
/// coefficients bounded by 9q in absolute value when the input is bounded by q. A pointwise Montgomery product then
/// carries a factor 2^-32, which <see cref="Inverse"/> cancels: it multiplies by 2^32 / 256 at the end
/// ("to Montgomery"). So InvNTT(NTT(a) o_mont NTT(b)) = a * b mod q. The inverse needs its input reduced to
/// |x| &lt;= 6283008 (the <see cref="MlDsaField.Reduce32"/> range): the sum in its first output grows by 2^8, and
/// 256 * 6283008 still fits in 31 bits. Its output is bounded by q.
/// </remarks>
internal static partial class Ntt
{
    /// <summary>zeta = 1753, the 512th root of unity mod q (FIPS 204 section 7.5).</summary>
    private const int Zeta = 1753;

    /// <summary>2^64 / 256 mod q: the last multiply of the inverse (with the Montgomery 2^-32 it leaves 2^32 / 256).</summary>
    private const int InverseScale = 41978;

    /// <summary>
    /// zeta^BitRev8(m) * 2^32 mod q, centred, for m = 0..255 (entry 0 is unused). Computed from zeta at start-up, not
    /// typed in; a test checks the plain powers against FIPS 204 appendix B.
    /// </summary>
    internal static readonly int[] Zetas = BuildZetas();

    public static void Forward(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        if (SimdSupport.Selected == SimdPath.Avx512) ForwardAvx512(a);
        else if (SimdSupport.Selected == SimdPath.Avx2) ForwardAvx2(a);
        else ForwardScalar(a);
    }

    public static void Inverse(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        if (SimdSupport.Selected == SimdPath.Avx512) InverseAvx512(a);
        else if (SimdSupport.Selected == SimdPath.Avx2) InverseAvx2(a);
        else InverseScalar(a);
    }

    /// <summary>FIPS 204 algorithm 41, with every product a Montgomery multiply by a pre-scaled twiddle.</summary>
    internal static void ForwardScalar(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        int m = 0;
        for (int len = 128; len >= 1; len >>= 1)
        {
            for (int start = 0; start < MlDsaField.N; start += 2 * len)
            {
                int zeta = Zetas[++m];
                for (int j = start; j < start + len; j++)
                {
                    int t = MlDsaField.MontgomeryMultiply(zeta, a[j + len]);
                    a[j + len] = a[j] - t;
                    a[j] = a[j] + t;
                }
            }
        }
    }

    /// <summary>FIPS 204 algorithm 42, then the scale by 2^32 / 256 (see the class remarks).</summary>
    internal static void InverseScalar(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        int m = MlDsaField.N;
        for (int len = 1; len < MlDsaField.N; len <<= 1)
        {
            for (int start = 0; start < MlDsaField.N; start += 2 * len)
            {
                int zeta = -Zetas[--m];
                for (int j = start; j < start + len; j++)
                {
                    int t = a[j];
                    a[j] = t + a[j + len];
                    a[j + len] = MlDsaField.MontgomeryMultiply(zeta, t - a[j + len]);
                }
            }
        }
        for (int j = 0; j < MlDsaField.N; j++) a[j] = MlDsaField.MontgomeryMultiply(InverseScale, a[j]);
    }

    /// <summary>The plain powers zeta^BitRev8(m) mod q in [0, q), for the appendix B test.</summary>
    internal static int PlainZeta(int m) => (int)PowMod(Zeta, BitReverse8(m));

    private static int[] BuildZetas()
    {
        var zetas = new int[MlDsaField.N];
        long montgomeryFactor = (1L << 32) % MlDsaField.Q;
        for (int m = 0; m < MlDsaField.N; m++)
        {
            long scaled = PowMod(Zeta, BitReverse8(m)) * montgomeryFactor % MlDsaField.Q;
            zetas[m] = (int)(scaled > MlDsaField.Q / 2 ? scaled - MlDsaField.Q : scaled);
        }
        return zetas;
    }

    private static long PowMod(long value, int exponent)
    {
        long result = 1;
        for (int i = 0; i < exponent; i++) result = result * value % MlDsaField.Q;
        return result;
    }

    private static int BitReverse8(int m)
    {
        int reversed = 0;
        for (int bit = 0; bit < 8; bit++) reversed |= ((m >> bit) & 1) << (7 - bit);
        return reversed;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowWrongLength() => throw new ArgumentException($"a polynomial has {MlDsaField.N} coefficients");
}
