using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// Arithmetic modulo q = 2^23 - 2^13 + 1 (FIPS 204 section 2.3) on 32-bit signed coefficients. Every function here is
/// branch-free and table-free, so it may be applied to secret coefficients; the SIMD files compute exactly the same
/// integer functions lane by lane, which is why all paths agree bit for bit.
/// </summary>
internal static class MlDsaField
{
    public const int Q = 8380417;
    public const int N = 256;

    /// <summary>Bits dropped from t (FIPS 204 table 1).</summary>
    public const int D = 13;

    /// <summary>q^-1 mod 2^32, for Montgomery reduction.</summary>
    public const int QInverse = 58728449;

    /// <summary>
    /// Montgomery reduction: for |a| &lt; 2^31 q returns r = a * 2^-32 mod q with |r| &lt; q. Written as the difference
    /// of two high halves (the low halves of a and t*q are equal by construction), which is how the SIMD paths compute it
    /// with 32x32->64 multiplies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MontgomeryReduce(long a)
    {
        int t = (int)a * QInverse;
        return (int)((a - (long)t * Q) >> 32);
    }

    /// <summary>a * b * 2^-32 mod q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int MontgomeryMultiply(int a, int b) => MontgomeryReduce((long)a * b);

    /// <summary>For a &lt;= 2^31 - 2^22 - 1 returns r = a mod q with -6283008 &lt;= r &lt;= 6283008 (round(a / 2^23) * q subtracted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Reduce32(int a)
    {
        int t = (a + (1 << 22)) >> 23;
        return a - t * Q;
    }

    /// <summary>Adds q when a is negative (sign mask, no branch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ConditionalAddQ(int a) => a + ((a >> 31) & Q);

    /// <summary>The canonical representative in [0, q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Freeze(int a) => ConditionalAddQ(Reduce32(a));

    /// <summary>|a| without a branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Abs(int a)
    {
        int sign = a >> 31;
        return (a ^ sign) - sign;
    }
}
