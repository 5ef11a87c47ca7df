using System.Numerics;
using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Vm;

/// <summary>
/// Division by a constant as a multiplication by its reciprocal, for the interpreter's strength-reduced
/// <c>div</c>/<c>mod</c> by an immediate: a 64-bit hardware divide takes tens of cycles, a multiply-high a few.
/// Every function here gives exactly the quotient or remainder of the plain division for every dividend, which
/// VmDivisionByConstantTests checks on edge values and seeded random ones; the gas of a division does not change.
/// <para>
/// 64-bit: the round-up method of Granlund and Montgomery (PLDI 1994) as libdivide's <c>libdivide_u64_gen</c> states it:
/// for a divisor d that is not a power of two, with l = floor(log2 d), magic = floor(2^(64+l) / d) + 1 and
/// q = mulhi(magic, n) >> l; when that magic does not fit (the error test below fails) one more bit is needed, and the
/// quotient is ((n - mulhi) / 2 + mulhi) >> l, the "add" form. 32-bit: Lemire, Kaser and Kurz, "Faster Remainder by
/// Direct Computation" (2019): with M = floor((2^64 - 1) / d) + 1, n / d = mulhi(M, n) and n % d = mulhi(M * n, d) for
/// every 32-bit n and every d &gt;= 2.
/// </para>
/// </summary>
internal static class VmDivisionByConstant
{
    /// <summary>Set in the shift byte when the 64-bit quotient needs the add form.</summary>
    public const byte AddFlag = 0x80;

    /// <summary>The reciprocal of a 64-bit divisor that is neither 0 nor a power of two.</summary>
    public static (ulong Magic, byte ShiftAndFlag) Reciprocal64(ulong divisor)
    {
        if (divisor == 0 || BitOperations.IsPow2(divisor))
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "a power of two or zero has no reciprocal here");
        int log = BitOperations.Log2(divisor);
        UInt128 numerator = UInt128.One << (64 + log);
        ulong proposed = (ulong)(numerator / divisor);
        ulong remainder = (ulong)(numerator % divisor);
        // The magic floor(2^(64+l)/d) + 1 is exact when its error d - remainder stays below 2^l.
        if (divisor - remainder < 1UL << log) return (proposed + 1, (byte)log);
        // Otherwise use 2^(64+l+1)/d, a 65-bit magic whose top bit the add form supplies.
        proposed += proposed;
        ulong twiceRemainder = remainder + remainder;
        if (twiceRemainder >= divisor || twiceRemainder < remainder) proposed++;
        return (proposed + 1, (byte)(log | AddFlag));
    }

    /// <summary>The 32-bit multiplier M for a divisor of at least 2.</summary>
    public static ulong Reciprocal32(uint divisor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(divisor, 2u);
        return ulong.MaxValue / divisor + 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Divide64(ulong dividend, ulong magic, byte shiftAndFlag)
    {
        ulong high = Math.BigMul(magic, dividend, out _);
        if ((shiftAndFlag & AddFlag) != 0) high = ((dividend - high) >> 1) + high;
        return high >> (shiftAndFlag & 63);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Divide32(uint dividend, ulong magic) => (uint)Math.BigMul(magic, dividend, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Remainder32(uint dividend, ulong magic, uint divisor) =>
        (uint)Math.BigMul(magic * dividend, divisor, out _);

    /// <summary>
    /// Signed 64-bit division truncating toward zero (RFC 9669 section 4.1), by a divisor whose magnitude is neither
    /// 0, 1 nor a power of two: the magnitudes are divided unsigned and the sign applied after, without branches.
    /// <paramref name="divisorSign"/> is 0 for a positive divisor and all ones for a negative one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SignedDivide64(ulong dividend, ulong magic, byte shiftAndFlag, ulong divisorSign)
    {
        ulong sign = (ulong)((long)dividend >> 63);
        ulong quotient = Divide64((dividend ^ sign) - sign, magic, shiftAndFlag);
        sign ^= divisorSign;
        return (quotient ^ sign) - sign;
    }

    /// <summary>Signed 64-bit remainder, which takes the dividend's sign (RFC 9669 section 4.1, like C's %).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SignedRemainder64(ulong dividend, ulong magic, byte shiftAndFlag, ulong divisorMagnitude)
    {
        ulong sign = (ulong)((long)dividend >> 63);
        ulong magnitude = (dividend ^ sign) - sign;
        ulong remainder = magnitude - Divide64(magnitude, magic, shiftAndFlag) * divisorMagnitude;
        return (remainder ^ sign) - sign;
    }

    /// <summary>Signed 32-bit division by a divisor whose magnitude is at least 2, zero-extended like every ALU32 result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SignedDivide32(uint dividend, ulong magic, uint divisorSign)
    {
        uint sign = (uint)((int)dividend >> 31);
        uint quotient = Divide32((dividend ^ sign) - sign, magic);
        sign ^= divisorSign;
        return (quotient ^ sign) - sign;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SignedRemainder32(uint dividend, ulong magic, uint divisorMagnitude)
    {
        uint sign = (uint)((int)dividend >> 31);
        uint remainder = Remainder32((dividend ^ sign) - sign, magic, divisorMagnitude);
        return (remainder ^ sign) - sign;
    }
}
