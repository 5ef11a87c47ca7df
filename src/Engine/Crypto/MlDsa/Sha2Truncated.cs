using System.Buffers.Binary;
using System.Numerics;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// SHA-224, SHA-512/224 and SHA-512/256 (FIPS 180-4), which HashML-DSA allows as pre-hashes but .NET does not offer.
/// Only for pre-hashing messages, so written for clarity over speed. The round constants and initial values are
/// computed from their definitions (fractional bits of square and cube roots of primes, and the SHA-512/t IV
/// generation function of section 5.3.6) rather than typed in; tests check the digests against the NIST ACVP
/// HashML-DSA vectors and known answers.
/// </summary>
internal static class Sha2Truncated
{
    private static readonly uint[] s_k256 = RootBits32(CubeRootFraction, 64, 0);
    private static readonly ulong[] s_k512 = RootBits64(CubeRootFraction, 80, 0);
    private static readonly ulong[] s_iv512 = RootBits64(SquareRootFraction, 8, 0);
    private static readonly uint[] s_iv224 = Low32(RootBits64(SquareRootFraction, 8, 8));
    private static readonly ulong[] s_iv512t224 = Sha512TIv(224);
    private static readonly ulong[] s_iv512t256 = Sha512TIv(256);

    public static void Sha224(ReadOnlySpan<byte> message, Span<byte> digest28)
    {
        uint[] state = (uint[])s_iv224.Clone();
        Span<byte> full = stackalloc byte[32];
        Hash256(state, message, full);
        full[..28].CopyTo(digest28);
    }

    public static void Sha512T(int bits, ReadOnlySpan<byte> message, Span<byte> digest)
    {
        ulong[] state = (ulong[])(bits == 224 ? s_iv512t224 : bits == 256 ? s_iv512t256 : throw new ArgumentOutOfRangeException(nameof(bits))).Clone();
        Span<byte> full = stackalloc byte[64];
        Hash512(state, message, full);
        full[..(bits / 8)].CopyTo(digest);
    }

    private static void Hash256(uint[] state, ReadOnlySpan<byte> message, Span<byte> output32)
    {
        Span<byte> block = stackalloc byte[64];
        int full = message.Length / 64;
        for (int b = 0; b < full; b++) Compress256(state, message.Slice(b * 64, 64));
        int rest = message.Length - full * 64;
        block.Clear();
        message[(full * 64)..].CopyTo(block);
        block[rest] = 0x80;
        if (rest >= 56)
        {
            Compress256(state, block);
            block.Clear();
        }
        BinaryPrimitives.WriteUInt64BigEndian(block[56..], (ulong)message.Length * 8);
        Compress256(state, block);
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(output32[(4 * i)..], state[i]);
    }

    private static void Hash512(ulong[] state, ReadOnlySpan<byte> message, Span<byte> output64)
    {
        Span<byte> block = stackalloc byte[128];
        int full = message.Length / 128;
        for (int b = 0; b < full; b++) Compress512(state, message.Slice(b * 128, 128));
        int rest = message.Length - full * 128;
        block.Clear();
        message[(full * 128)..].CopyTo(block);
        block[rest] = 0x80;
        if (rest >= 112)
        {
            Compress512(state, block);
            block.Clear();
        }
        BinaryPrimitives.WriteUInt64BigEndian(block[120..], (ulong)message.Length * 8); // messages below 2^61 bytes
        Compress512(state, block);
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64BigEndian(output64[(8 * i)..], state[i]);
    }

    /// <summary>FIPS 180-4 section 6.2.2.</summary>
    private static void Compress256(uint[] h, ReadOnlySpan<byte> block)
    {
        Span<uint> w = stackalloc uint[64];
        for (int t = 0; t < 16; t++) w[t] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * t)..]);
        for (int t = 16; t < 64; t++)
        {
            uint s0 = BitOperations.RotateRight(w[t - 15], 7) ^ BitOperations.RotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int t = 0; t < 64; t++)
        {
            uint sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            uint choose = (e & f) ^ (~e & g);
            uint t1 = hh + sum1 + choose + s_k256[t] + w[t];
            uint sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            uint majority = (a & b) ^ (a & c) ^ (b & c);
            uint t2 = sum0 + majority;
            hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }

    /// <summary>FIPS 180-4 section 6.4.2.</summary>
    private static void Compress512(ulong[] h, ReadOnlySpan<byte> block)
    {
        Span<ulong> w = stackalloc ulong[80];
        for (int t = 0; t < 16; t++) w[t] = BinaryPrimitives.ReadUInt64BigEndian(block[(8 * t)..]);
        for (int t = 16; t < 80; t++)
        {
            ulong s0 = BitOperations.RotateRight(w[t - 15], 1) ^ BitOperations.RotateRight(w[t - 15], 8) ^ (w[t - 15] >> 7);
            ulong s1 = BitOperations.RotateRight(w[t - 2], 19) ^ BitOperations.RotateRight(w[t - 2], 61) ^ (w[t - 2] >> 6);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        ulong a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int t = 0; t < 80; t++)
        {
            ulong sum1 = BitOperations.RotateRight(e, 14) ^ BitOperations.RotateRight(e, 18) ^ BitOperations.RotateRight(e, 41);
            ulong choose = (e & f) ^ (~e & g);
            ulong t1 = hh + sum1 + choose + s_k512[t] + w[t];
            ulong sum0 = BitOperations.RotateRight(a, 28) ^ BitOperations.RotateRight(a, 34) ^ BitOperations.RotateRight(a, 39);
            ulong majority = (a & b) ^ (a & c) ^ (b & c);
            ulong t2 = sum0 + majority;
            hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }

    /// <summary>SHA-512/t IV (FIPS 180-4 section 5.3.6): SHA-512 of "SHA-512/t" from the SHA-512 IV xor 0xa5a5...</summary>
    private static ulong[] Sha512TIv(int bits)
    {
        ulong[] state = new ulong[8];
        for (int i = 0; i < 8; i++) state[i] = s_iv512[i] ^ 0xa5a5a5a5a5a5a5a5UL;
        byte[] name = System.Text.Encoding.ASCII.GetBytes($"SHA-512/{bits}");
        Span<byte> output = stackalloc byte[64];
        Hash512(state, name, output);
        var iv = new ulong[8];
        for (int i = 0; i < 8; i++) iv[i] = BinaryPrimitives.ReadUInt64BigEndian(output[(8 * i)..]);
        return iv;
    }

    /// <summary>The first 64 fractional bits of p^(1/3): floor(cbrt(p * 2^192)) mod 2^64.</summary>
    private static ulong CubeRootFraction(int prime) => (ulong)(IntegerRoot(new BigInteger(prime) << 192, 3) & ulong.MaxValue);

    /// <summary>The first 64 fractional bits of sqrt(p).</summary>
    private static ulong SquareRootFraction(int prime) => (ulong)(IntegerRoot(new BigInteger(prime) << 128, 2) & ulong.MaxValue);

    private static ulong[] RootBits64(Func<int, ulong> fraction, int count, int skipPrimes)
    {
        var values = new ulong[count];
        int found = 0;
        for (int candidate = 2; found < skipPrimes + count; candidate++)
        {
            if (!IsPrime(candidate)) continue;
            if (found >= skipPrimes) values[found - skipPrimes] = fraction(candidate);
            found++;
        }
        return values;
    }

    /// <summary>SHA-256's constants are the first 32 fractional bits: the high half of the 64-bit fraction.</summary>
    private static uint[] RootBits32(Func<int, ulong> fraction, int count, int skipPrimes)
    {
        ulong[] wide = RootBits64(fraction, count, skipPrimes);
        var values = new uint[count];
        for (int i = 0; i < count; i++) values[i] = (uint)(wide[i] >> 32);
        return values;
    }

    /// <summary>SHA-224's IV is the second 32 bits of the fractions of the 9th to 16th primes' square roots.</summary>
    private static uint[] Low32(ulong[] wide)
    {
        var values = new uint[wide.Length];
        for (int i = 0; i < wide.Length; i++) values[i] = (uint)wide[i];
        return values;
    }

    private static bool IsPrime(int n)
    {
        for (int d = 2; d * d <= n; d++)
        {
            if (n % d == 0) return false;
        }
        return true;
    }

    /// <summary>floor(value^(1/degree)) by Newton's method on integers.</summary>
    private static BigInteger IntegerRoot(BigInteger value, int degree)
    {
        BigInteger x = BigInteger.One << (int)((value.GetBitLength() + degree - 1) / degree + 1);
        while (true)
        {
            BigInteger next = ((degree - 1) * x + value / BigInteger.Pow(x, degree - 1)) / degree;
            if (next >= x) return x;
            x = next;
        }
    }
}
