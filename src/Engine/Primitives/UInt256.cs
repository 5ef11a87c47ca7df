using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Primitives;

/// <summary>
/// Unsigned 256-bit integer (balances, values, fee caps). Four 64-bit limbs, least significant first.
/// The arithmetic operators wrap modulo 2^256 like the EVM; consensus code that must not wrap uses the
/// overflow-reporting forms (<see cref="AddOverflow"/>, <see cref="SubtractUnderflow"/>, <see cref="MultiplyOverflow"/>).
/// </summary>
public readonly struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>
{
    public static readonly UInt256 Zero;
    public static readonly UInt256 One = new(1);
    public static readonly UInt256 MaxValue = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    public readonly ulong U0;
    public readonly ulong U1;
    public readonly ulong U2;
    public readonly ulong U3;

    public UInt256(ulong value)
    {
        U0 = value;
    }

    public UInt256(ulong u0, ulong u1, ulong u2, ulong u3)
    {
        U0 = u0;
        U1 = u1;
        U2 = u2;
        U3 = u3;
    }

    public bool IsZero => (U0 | U1 | U2 | U3) == 0;

    /// <summary>True when the value fits in 64 bits.</summary>
    public bool IsUInt64 => (U1 | U2 | U3) == 0;

    /// <summary>Number of significant bits (0 for zero).</summary>
    public int BitLength =>
        U3 != 0 ? 256 - BitOperations.LeadingZeroCount(U3) :
        U2 != 0 ? 192 - BitOperations.LeadingZeroCount(U2) :
        U1 != 0 ? 128 - BitOperations.LeadingZeroCount(U1) :
        64 - BitOperations.LeadingZeroCount(U0);

    /// <summary>Length of the minimal big-endian encoding (RLP integers): 0 for zero.</summary>
    public int ByteLength => (BitLength + 7) >> 3;

    // ---- conversions -------------------------------------------------------------------------------

    public static implicit operator UInt256(ulong value) => new(value);

    public static explicit operator ulong(in UInt256 value) => value.U0;

    /// <summary>Reads exactly 32 big-endian bytes.</summary>
    public static UInt256 FromBigEndian32(ReadOnlySpan<byte> bytes32) => new(
        BinaryPrimitives.ReadUInt64BigEndian(bytes32[24..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes32[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes32[8..]),
        BinaryPrimitives.ReadUInt64BigEndian(bytes32));

    /// <summary>Reads up to 32 big-endian bytes (leading zeros allowed here; RLP strictness is the reader's job).</summary>
    public static bool TryFromBigEndian(ReadOnlySpan<byte> bytes, out UInt256 value)
    {
        if (bytes.Length > 32)
        {
            value = default;
            return false;
        }
        Span<byte> padded = stackalloc byte[32];
        padded.Clear();
        bytes.CopyTo(padded[(32 - bytes.Length)..]);
        value = FromBigEndian32(padded);
        return true;
    }

    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (!TryFromBigEndian(bytes, out UInt256 value))
            throw new ArgumentException($"a 256-bit number has at most 32 bytes, got {bytes.Length}", nameof(bytes));
        return value;
    }

    /// <summary>Writes 32 big-endian bytes.</summary>
    public void WriteBigEndian(Span<byte> destination32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination32, U3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[8..], U2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[16..], U1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[24..], U0);
    }

    /// <summary>Writes the minimal big-endian form (<see cref="ByteLength"/> bytes) and returns its length.</summary>
    public int WriteBigEndianTrimmed(Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[32];
        WriteBigEndian(full);
        int length = ByteLength;
        full[(32 - length)..].CopyTo(destination);
        return length;
    }

    public byte[] ToBigEndianTrimmed()
    {
        var result = new byte[ByteLength];
        WriteBigEndianTrimmed(result);
        return result;
    }

    public BigInteger ToBigInteger()
    {
        Span<byte> buffer = stackalloc byte[32];
        WriteBigEndian(buffer);
        return new BigInteger(buffer, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Converts a BigInteger in [0, 2^256); anything else is an error, never silently truncated.</summary>
    public static UInt256 FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > 32)
            throw new OverflowException($"{value} is outside the 256-bit unsigned range");
        Span<byte> buffer = stackalloc byte[32];
        buffer.Clear();
        int count = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(buffer[(32 - count)..], out _, isUnsigned: true, isBigEndian: true);
        return FromBigEndian32(buffer);
    }

    public static UInt256 Parse(string decimalText) =>
        BigInteger.TryParse(decimalText, NumberStyles.None, CultureInfo.InvariantCulture, out BigInteger value)
            ? FromBigInteger(value)
            : throw new FormatException($"'{decimalText}' is not an unsigned decimal number");

    public override string ToString() =>
        IsUInt64 ? U0.ToString(CultureInfo.InvariantCulture) : ToBigInteger().ToString(CultureInfo.InvariantCulture);

    // ---- addition and subtraction -----------------------------------------------------------------

    /// <summary>a + b mod 2^256; returns true when the true sum does not fit.</summary>
    public static bool AddOverflow(in UInt256 a, in UInt256 b, out UInt256 sum)
    {
        ulong carry = 0;
        ulong r0 = AddWithCarry(a.U0, b.U0, ref carry);
        ulong r1 = AddWithCarry(a.U1, b.U1, ref carry);
        ulong r2 = AddWithCarry(a.U2, b.U2, ref carry);
        ulong r3 = AddWithCarry(a.U3, b.U3, ref carry);
        sum = new UInt256(r0, r1, r2, r3);
        return carry != 0;
    }

    /// <summary>a - b mod 2^256; returns true when b &gt; a.</summary>
    public static bool SubtractUnderflow(in UInt256 a, in UInt256 b, out UInt256 difference)
    {
        ulong borrow = 0;
        ulong r0 = SubtractWithBorrow(a.U0, b.U0, ref borrow);
        ulong r1 = SubtractWithBorrow(a.U1, b.U1, ref borrow);
        ulong r2 = SubtractWithBorrow(a.U2, b.U2, ref borrow);
        ulong r3 = SubtractWithBorrow(a.U3, b.U3, ref borrow);
        difference = new UInt256(r0, r1, r2, r3);
        return borrow != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddWithCarry(ulong x, ulong y, ref ulong carry)
    {
        ulong sum = x + y;
        ulong carryOut = sum < x ? 1UL : 0UL;
        ulong result = sum + carry;
        carryOut += result < sum ? 1UL : 0UL;
        carry = carryOut;
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractWithBorrow(ulong x, ulong y, ref ulong borrow)
    {
        ulong difference = x - y;
        ulong borrowOut = x < y ? 1UL : 0UL;
        ulong result = difference - borrow;
        borrowOut += difference < borrow ? 1UL : 0UL;
        borrow = borrowOut;
        return result;
    }

    // ---- multiplication ---------------------------------------------------------------------------

    /// <summary>a * b mod 2^256; returns true when the full product needs more than 256 bits.</summary>
    public static bool MultiplyOverflow(in UInt256 a, in UInt256 b, out UInt256 product)
    {
        Span<ulong> x = stackalloc ulong[4] { a.U0, a.U1, a.U2, a.U3 };
        Span<ulong> y = stackalloc ulong[4] { b.U0, b.U1, b.U2, b.U3 };
        Span<ulong> r = stackalloc ulong[8];
        r.Clear();
        // Schoolbook 4x4 limbs into 8 limbs (Knuth, TAOCP 4.3.1 Algorithm M).
        for (int i = 0; i < 4; i++)
        {
            if (x[i] == 0) continue;
            ulong carry = 0;
            for (int j = 0; j < 4; j++)
            {
                ulong high = Math.BigMul(x[i], y[j], out ulong low);
                low += carry;
                high += low < carry ? 1UL : 0UL;
                ulong t = r[i + j] + low;
                high += t < low ? 1UL : 0UL;
                r[i + j] = t;
                carry = high;
            }
            r[i + 4] = carry;
        }
        product = new UInt256(r[0], r[1], r[2], r[3]);
        return (r[4] | r[5] | r[6] | r[7]) != 0;
    }

    private static UInt256 MultiplyTruncated(in UInt256 a, in UInt256 b)
    {
        // Only the limbs that land below 2^256 are computed.
        ulong h00 = Math.BigMul(a.U0, b.U0, out ulong r0);
        ulong h01 = Math.BigMul(a.U0, b.U1, out ulong l01);
        ulong h10 = Math.BigMul(a.U1, b.U0, out ulong l10);
        ulong h02 = Math.BigMul(a.U0, b.U2, out ulong l02);
        ulong h11 = Math.BigMul(a.U1, b.U1, out ulong l11);
        ulong h20 = Math.BigMul(a.U2, b.U0, out ulong l20);

        // limb 1 = h00 + l01 + l10
        UInt128 c1 = (UInt128)h00 + l01 + l10;
        ulong r1 = (ulong)c1;
        // limb 2 = carry + h01 + h10 + l02 + l11 + l20
        UInt128 c2 = (c1 >> 64) + h01 + h10 + l02 + l11 + l20;
        ulong r2 = (ulong)c2;
        // limb 3 = carry + h02 + h11 + h20 + low parts of a0b3, a1b2, a2b1, a3b0
        ulong r3 = (ulong)(c2 >> 64) + h02 + h11 + h20
            + (a.U0 * b.U3) + (a.U1 * b.U2) + (a.U2 * b.U1) + (a.U3 * b.U0);
        return new UInt256(r0, r1, r2, r3);
    }

    // ---- division ---------------------------------------------------------------------------------

    /// <summary>Quotient and remainder; division by zero throws (callers validate divisors).</summary>
    public static void DivRem(in UInt256 dividend, in UInt256 divisor, out UInt256 quotient, out UInt256 remainder)
    {
        if (divisor.IsZero) throw new DivideByZeroException();
        if (dividend < divisor)
        {
            quotient = Zero;
            remainder = dividend;
            return;
        }
        if (divisor.IsUInt64)
        {
            DivRemSmall(dividend, divisor.U0, out quotient, out ulong small);
            remainder = new UInt256(small);
            return;
        }

        // Binary long division over the bits where the quotient can be non-zero: at most 193 steps because
        // the divisor has at least 65 significant bits here.
        int shift = dividend.BitLength - divisor.BitLength;
        UInt256 d = divisor << shift;
        UInt256 r = dividend;
        UInt256 q = Zero;
        for (int i = shift; i >= 0; i--)
        {
            q <<= 1;
            if (r >= d)
            {
                SubtractUnderflow(r, d, out r);
                q |= One;
            }
            d >>= 1;
        }
        quotient = q;
        remainder = r;
    }

    private static void DivRemSmall(in UInt256 dividend, ulong divisor, out UInt256 quotient, out ulong remainder)
    {
        ulong rem = 0;
        ulong q3 = DivideLimb(dividend.U3, divisor, ref rem);
        ulong q2 = DivideLimb(dividend.U2, divisor, ref rem);
        ulong q1 = DivideLimb(dividend.U1, divisor, ref rem);
        ulong q0 = DivideLimb(dividend.U0, divisor, ref rem);
        quotient = new UInt256(q0, q1, q2, q3);
        remainder = rem;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong DivideLimb(ulong limb, ulong divisor, ref ulong remainder)
    {
        // remainder < divisor, so (remainder:limb) / divisor fits in 64 bits.
        UInt128 value = ((UInt128)remainder << 64) | limb;
        ulong q = (ulong)(value / divisor);
        remainder = (ulong)(value - ((UInt128)q * divisor));
        return q;
    }

    // ---- operators --------------------------------------------------------------------------------

    public static UInt256 operator +(in UInt256 a, in UInt256 b)
    {
        AddOverflow(a, b, out UInt256 sum);
        return sum;
    }

    public static UInt256 operator -(in UInt256 a, in UInt256 b)
    {
        SubtractUnderflow(a, b, out UInt256 difference);
        return difference;
    }

    public static UInt256 operator *(in UInt256 a, in UInt256 b) => MultiplyTruncated(a, b);

    public static UInt256 operator /(in UInt256 a, in UInt256 b)
    {
        DivRem(a, b, out UInt256 q, out _);
        return q;
    }

    public static UInt256 operator %(in UInt256 a, in UInt256 b)
    {
        DivRem(a, b, out _, out UInt256 r);
        return r;
    }

    public static UInt256 operator &(in UInt256 a, in UInt256 b) => new(a.U0 & b.U0, a.U1 & b.U1, a.U2 & b.U2, a.U3 & b.U3);

    public static UInt256 operator |(in UInt256 a, in UInt256 b) => new(a.U0 | b.U0, a.U1 | b.U1, a.U2 | b.U2, a.U3 | b.U3);

    public static UInt256 operator ^(in UInt256 a, in UInt256 b) => new(a.U0 ^ b.U0, a.U1 ^ b.U1, a.U2 ^ b.U2, a.U3 ^ b.U3);

    public static UInt256 operator ~(in UInt256 a) => new(~a.U0, ~a.U1, ~a.U2, ~a.U3);

    public static UInt256 operator <<(in UInt256 a, int shift)
    {
        if ((uint)shift >= 256) return Zero;
        int limbs = shift >> 6, bits = shift & 63;
        Span<ulong> src = stackalloc ulong[4] { a.U0, a.U1, a.U2, a.U3 };
        Span<ulong> dst = stackalloc ulong[4];
        dst.Clear();
        for (int i = 3; i >= limbs; i--)
        {
            ulong v = src[i - limbs] << bits;
            if (bits != 0 && i - limbs - 1 >= 0) v |= src[i - limbs - 1] >> (64 - bits);
            dst[i] = v;
        }
        return new UInt256(dst[0], dst[1], dst[2], dst[3]);
    }

    public static UInt256 operator >>(in UInt256 a, int shift)
    {
        if ((uint)shift >= 256) return Zero;
        int limbs = shift >> 6, bits = shift & 63;
        Span<ulong> src = stackalloc ulong[4] { a.U0, a.U1, a.U2, a.U3 };
        Span<ulong> dst = stackalloc ulong[4];
        dst.Clear();
        for (int i = 0; i + limbs < 4; i++)
        {
            ulong v = src[i + limbs] >> bits;
            if (bits != 0 && i + limbs + 1 < 4) v |= src[i + limbs + 1] << (64 - bits);
            dst[i] = v;
        }
        return new UInt256(dst[0], dst[1], dst[2], dst[3]);
    }

    public static bool operator ==(in UInt256 a, in UInt256 b) => a.Equals(b);

    public static bool operator !=(in UInt256 a, in UInt256 b) => !a.Equals(b);

    public static bool operator <(in UInt256 a, in UInt256 b) => Compare(a, b) < 0;

    public static bool operator >(in UInt256 a, in UInt256 b) => Compare(a, b) > 0;

    public static bool operator <=(in UInt256 a, in UInt256 b) => Compare(a, b) <= 0;

    public static bool operator >=(in UInt256 a, in UInt256 b) => Compare(a, b) >= 0;

    public static UInt256 Min(in UInt256 a, in UInt256 b) => a <= b ? a : b;

    public static UInt256 Max(in UInt256 a, in UInt256 b) => a >= b ? a : b;

    public static int Compare(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3) return a.U3 < b.U3 ? -1 : 1;
        if (a.U2 != b.U2) return a.U2 < b.U2 ? -1 : 1;
        if (a.U1 != b.U1) return a.U1 < b.U1 ? -1 : 1;
        if (a.U0 != b.U0) return a.U0 < b.U0 ? -1 : 1;
        return 0;
    }

    public int CompareTo(UInt256 other) => Compare(this, other);

    public bool Equals(UInt256 other) => U0 == other.U0 && U1 == other.U1 && U2 == other.U2 && U3 == other.U3;

    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(U0, U1, U2, U3);
}
