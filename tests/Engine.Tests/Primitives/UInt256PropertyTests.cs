using System.Globalization;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Primitives;

/// <summary>UInt256 against System.Numerics.BigInteger reduced modulo 2^256, the reference for every operator.</summary>
public class UInt256PropertyTests
{
    private static readonly BigInteger s_modulus = BigInteger.One << 256;
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(3000);
    private static readonly Arbitrary<(UInt256, UInt256)> s_pairs =
        Gen.Zip(PrimitiveGenerators.UInt256Value, PrimitiveGenerators.UInt256Value).ToArbitrary();

    [Fact]
    public void Addition_wraps_modulo_2_pow_256_and_reports_overflow()
    {
        Check.One(s_config, Prop.ForAll(s_pairs, p =>
        {
            (UInt256 a, UInt256 b) = p;
            BigInteger exact = a.ToBigInteger() + b.ToBigInteger();
            bool overflow = UInt256.AddOverflow(a, b, out UInt256 sum);
            Assert.Equal(exact % s_modulus, sum.ToBigInteger());
            Assert.Equal(exact >= s_modulus, overflow);
            Assert.Equal(sum, a + b);
        }));
    }

    [Fact]
    public void Subtraction_wraps_modulo_2_pow_256_and_reports_underflow()
    {
        Check.One(s_config, Prop.ForAll(s_pairs, p =>
        {
            (UInt256 a, UInt256 b) = p;
            BigInteger exact = a.ToBigInteger() - b.ToBigInteger();
            bool underflow = UInt256.SubtractUnderflow(a, b, out UInt256 difference);
            Assert.Equal(Mod(exact), difference.ToBigInteger());
            Assert.Equal(exact.Sign < 0, underflow);
            Assert.Equal(difference, a - b);
        }));
    }

    [Fact]
    public void Multiplication_wraps_modulo_2_pow_256_and_reports_overflow()
    {
        Check.One(s_config, Prop.ForAll(s_pairs, p =>
        {
            (UInt256 a, UInt256 b) = p;
            BigInteger exact = a.ToBigInteger() * b.ToBigInteger();
            Assert.Equal(exact % s_modulus, (a * b).ToBigInteger());
            bool overflow = UInt256.MultiplyOverflow(a, b, out UInt256 product);
            Assert.Equal(exact % s_modulus, product.ToBigInteger());
            Assert.Equal(exact >= s_modulus, overflow);
        }));
    }

    [Fact]
    public void Division_and_remainder_match_BigInteger()
    {
        Check.One(s_config, Prop.ForAll(s_pairs, p =>
        {
            (UInt256 a, UInt256 b) = p;
            if (b.IsZero)
            {
                Assert.Throws<DivideByZeroException>(() => a / b);
                Assert.Throws<DivideByZeroException>(() => a % b);
                return;
            }

            BigInteger quotient = BigInteger.DivRem(a.ToBigInteger(), b.ToBigInteger(), out BigInteger remainder);
            Assert.Equal(quotient, (a / b).ToBigInteger());
            Assert.Equal(remainder, (a % b).ToBigInteger());
            UInt256.DivRem(a, b, out UInt256 q, out UInt256 r);
            Assert.Equal((quotient, remainder), (q.ToBigInteger(), r.ToBigInteger()));
        }));
    }

    [Fact]
    public void Shifts_match_BigInteger_for_every_distance_including_256_and_beyond()
    {
        var cases = Gen.Zip(PrimitiveGenerators.UInt256Value, Gen.Choose(0, 300)).ToArbitrary();
        Check.One(s_config, Prop.ForAll(cases, c =>
        {
            (UInt256 a, int shift) = c;
            Assert.Equal((a.ToBigInteger() << shift) % s_modulus, (a << shift).ToBigInteger());
            Assert.Equal(a.ToBigInteger() >> shift, (a >> shift).ToBigInteger());
        }));
    }

    [Fact]
    public void Comparisons_and_equality_match_BigInteger()
    {
        Check.One(s_config, Prop.ForAll(s_pairs, p =>
        {
            (UInt256 a, UInt256 b) = p;
            int expected = a.ToBigInteger().CompareTo(b.ToBigInteger());
            Assert.Equal(Math.Sign(expected), Math.Sign(a.CompareTo(b)));
            Assert.Equal(Math.Sign(expected), Math.Sign(UInt256.Compare(a, b)));
            Assert.Equal(expected < 0, a < b);
            Assert.Equal(expected <= 0, a <= b);
            Assert.Equal(expected > 0, a > b);
            Assert.Equal(expected >= 0, a >= b);
            Assert.Equal(expected == 0, a == b);
            Assert.Equal(expected != 0, a != b);
            Assert.Equal(expected == 0, a.Equals(b));
            Assert.Equal(expected <= 0 ? a : b, UInt256.Min(a, b));
            Assert.Equal(expected >= 0 ? a : b, UInt256.Max(a, b));

            // Equal values from different paths (a copy through bytes) compare equal and hash equal.
            UInt256 copy = UInt256.FromBigEndian(a.ToBigEndianTrimmed());
            Assert.True(copy == a);
            Assert.Equal(a.GetHashCode(), copy.GetHashCode());
        }));
    }

    [Fact]
    public void Bitwise_operators_match_BigInteger()
    {
        Check.One(s_config, Prop.ForAll(s_pairs, p =>
        {
            (UInt256 a, UInt256 b) = p;
            BigInteger x = a.ToBigInteger(), y = b.ToBigInteger();
            Assert.Equal(x & y, (a & b).ToBigInteger());
            Assert.Equal(x | y, (a | b).ToBigInteger());
            Assert.Equal(x ^ y, (a ^ b).ToBigInteger());
            Assert.Equal(s_modulus - 1 - x, (~a).ToBigInteger());
        }));
    }

    [Fact]
    public void Conversions_and_lengths_match_BigInteger()
    {
        Check.One(s_config, Prop.ForAll(PrimitiveGenerators.UInt256Value.ToArbitrary(), a =>
        {
            BigInteger x = a.ToBigInteger();
            Assert.Equal(a, UInt256.FromBigInteger(x));
            Assert.Equal(x.IsZero ? 0 : (int)x.GetBitLength(), a.BitLength);
            Assert.Equal(x.GetByteCount(isUnsigned: true) - (x.IsZero ? 1 : 0), a.ByteLength);
            Assert.Equal(x <= ulong.MaxValue, a.IsUInt64);
            Assert.Equal(x.ToString(CultureInfo.InvariantCulture), a.ToString());
            Assert.Equal(a, UInt256.Parse(x.ToString(CultureInfo.InvariantCulture)));

            byte[] full = new byte[32];
            a.WriteBigEndian(full);
            Assert.Equal(a, UInt256.FromBigEndian32(full));
            Assert.True(UInt256.TryFromBigEndian(a.ToBigEndianTrimmed(), out UInt256 trimmed));
            Assert.Equal(a, trimmed);
            Assert.Equal(x.IsZero ? [] : x.ToByteArray(isUnsigned: true, isBigEndian: true), a.ToBigEndianTrimmed());
        }));
    }

    [Fact]
    public void Out_of_range_BigIntegers_and_oversized_byte_strings_are_refused()
    {
        Assert.Throws<OverflowException>(() => UInt256.FromBigInteger(s_modulus));
        Assert.Throws<OverflowException>(() => UInt256.FromBigInteger(BigInteger.MinusOne));
        Assert.False(UInt256.TryFromBigEndian(new byte[33], out _));
    }

    private static BigInteger Mod(BigInteger value)
    {
        BigInteger r = value % s_modulus;
        return r.Sign < 0 ? r + s_modulus : r;
    }
}
