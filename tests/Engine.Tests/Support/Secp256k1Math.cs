using System.Globalization;
using System.Numerics;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Tests.Support;

/// <summary>
/// Independent secp256k1 arithmetic for tests (BigInteger, no libsecp256k1), and seeded key and signature
/// generation. Constants from SEC 2 (v2), section 2.4.1.
/// </summary>
internal static class Secp256k1Math
{
    public static readonly BigInteger P = Parse("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F");
    public static readonly BigInteger N = Parse("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
    public static readonly BigInteger HalfN = N / 2;
    public static readonly BigInteger Gx = Parse("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798");
    public static readonly BigInteger Gy = Parse("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8");

    public static BigInteger Parse(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static BigInteger FromBytes(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    public static byte[] ToBytes32(BigInteger value)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > 32) throw new ArgumentOutOfRangeException(nameof(value));
        var bytes = new byte[32];
        int length = value.GetByteCount(isUnsigned: true);
        if (!value.TryWriteBytes(bytes.AsSpan(32 - length), out _, isUnsigned: true, isBigEndian: true)) throw new InvalidOperationException();
        return bytes;
    }

    /// <summary>True when some curve point has this X: x³ + 7 is a square mod p (Euler's criterion).</summary>
    public static bool IsXOnCurve(BigInteger x)
    {
        BigInteger rhs = (BigInteger.ModPow(x, 3, P) + 7) % P;
        return rhs.IsZero || BigInteger.ModPow(rhs, (P - 1) / 2, P).IsOne;
    }

    public static byte[] RandomSecret(Random random)
    {
        var secret = new byte[32];
        while (true)
        {
            random.NextBytes(secret);
            BigInteger value = FromBytes(secret);
            if (!value.IsZero && value < N) return secret;
        }
    }

    public static byte[] RandomHash(Random random)
    {
        var hash = new byte[32];
        random.NextBytes(hash);
        return hash;
    }

    public static byte[] PublicKey(ReadOnlySpan<byte> secret)
    {
        var publicKey = new byte[Secp256k1.PublicKeyLength];
        if (!Secp256k1.TryGetPublicKey(secret, publicKey)) throw new InvalidOperationException("test secret is invalid");
        return publicKey;
    }

    /// <summary>The same signature with s replaced by n − s (and the recovery id's parity flipped).</summary>
    public static byte[] WithHighS(ReadOnlySpan<byte> signature64)
    {
        byte[] result = signature64.ToArray();
        ToBytes32(N - FromBytes(signature64[32..])).CopyTo(result, 32);
        return result;
    }

    public static byte[] Signature(BigInteger r, BigInteger s)
    {
        var signature = new byte[64];
        ToBytes32(r).CopyTo(signature, 0);
        ToBytes32(s).CopyTo(signature, 32);
        return signature;
    }
}
