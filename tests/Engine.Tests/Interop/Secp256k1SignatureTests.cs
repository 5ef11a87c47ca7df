using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using NexusFast.Engine.Tests.Support;
using NexusFast.Interop.Secp256k1;
using static NexusFast.Engine.Tests.Support.Secp256k1Math;

namespace NexusFast.Engine.Tests.Interop;

public class Secp256k1SignatureTests
{
    private const int Seed = 20_260_521;

    // ---- keys ----------------------------------------------------------------------------------------------

    [Fact]
    public void Public_key_of_secret_one_is_the_generator()
    {
        byte[] one = ToBytes32(BigInteger.One);

        var uncompressed = new byte[65];
        Assert.True(Secp256k1.TryGetPublicKey(one, uncompressed));
        Assert.Equal([0x04, .. ToBytes32(Gx), .. ToBytes32(Gy)], uncompressed);

        var compressed = new byte[33];
        Assert.True(Secp256k1.TryGetCompressedPublicKey(one, compressed));
        Assert.Equal([0x02, .. ToBytes32(Gx)], compressed); // Gy is even
    }

    [Fact]
    public void Public_key_of_n_minus_one_is_the_negated_generator()
    {
        byte[] publicKey = PublicKey(ToBytes32(N - 1));
        Assert.Equal([0x04, .. ToBytes32(Gx), .. ToBytes32(P - Gy)], publicKey);

        var compressed = new byte[33];
        Assert.True(Secp256k1.TryGetCompressedPublicKey(ToBytes32(N - 1), compressed));
        Assert.Equal(0x03, compressed[0]);
    }

    public static TheoryData<string> InvalidSecrets => ["zero", "n", "n+1", "2^256-1"];

    [Theory]
    [MemberData(nameof(InvalidSecrets))]
    public void Secret_keys_outside_1_to_n_minus_1_are_rejected_and_outputs_stay_untouched(string name)
    {
        byte[] secret = InvalidSecret(name);
        Assert.False(Secp256k1.IsValidSecretKey(secret));

        byte[] publicKey = Enumerable.Repeat((byte)0xAA, 65).ToArray();
        Assert.False(Secp256k1.TryGetPublicKey(secret, publicKey));
        Assert.All(publicKey, b => Assert.Equal(0xAA, b));

        var hash = new byte[32];
        var signature = new byte[64];
        var error = Assert.Throws<ArgumentException>(() => Secp256k1.Sign(hash, secret, signature));
        Assert.Equal("secret32", error.ParamName);
        Assert.Throws<ArgumentException>(() => Secp256k1.SignRecoverable(hash, secret, signature, out _));
    }

    [Fact]
    public void Secret_keys_one_and_n_minus_one_are_valid()
    {
        Assert.True(Secp256k1.IsValidSecretKey(ToBytes32(BigInteger.One)));
        Assert.True(Secp256k1.IsValidSecretKey(ToBytes32(N - 1)));
    }

    // ---- RFC 6979 known answers ----------------------------------------------------------------------------

    /// <summary>
    /// "Test Vectors for RFC 6979 ECDSA, secp256k1, SHA-256" by fpgaminer, bitcointalk.org topic 285142
    /// (msg3299061), in the low-s form that libsecp256k1 and Ethereum use, as carried by bitcoinjs-lib and
    /// python-bitcoinlib in their RFC 6979 tests. The signed hash is SHA-256 of the message's UTF-8 bytes.
    /// </summary>
    private static readonly Dictionary<string, (string Secret, string Message, string Signature)> s_rfc6979Vectors = new()
    {
        ["key 1, Satoshi Nakamoto"] = (
            "0000000000000000000000000000000000000000000000000000000000000001",
            "Satoshi Nakamoto",
            "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d82442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"),
        ["key 1, tears in rain"] = (
            "0000000000000000000000000000000000000000000000000000000000000001",
            "All those moments will be lost in time, like tears in rain. Time to die...",
            "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"),
        ["key n-1, Satoshi Nakamoto"] = (
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
            "Satoshi Nakamoto",
            "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d06b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"),
        ["random key, Alan Turing"] = (
            "f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181",
            "Alan Turing",
            "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea"),
        ["key n-1, not only is the Universe stranger"] = (
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
            "Not only is the Universe stranger than we think, it is stranger than we can think.",
            "ff466a9f1b7b273e2f4c3ffe032eb2e814121ed18ef84665d0f515360dab3dd06fc95f5132e5ecfdc8e5e6e616cc77151455d46ed48f5589b7db7771a332b283"),
    };

    public static TheoryData<string> Rfc6979VectorNames => [.. s_rfc6979Vectors.Keys];

    [Theory]
    [MemberData(nameof(Rfc6979VectorNames))]
    public void Signing_reproduces_the_rfc6979_vector(string name)
    {
        (string secretHex, string message, string signatureHex) = s_rfc6979Vectors[name];
        byte[] secret = Convert.FromHexString(secretHex);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(message));
        byte[] expected = Convert.FromHexString(signatureHex);

        var signature = new byte[64];
        Secp256k1.Sign(hash, secret, signature);
        Assert.Equal(expected, signature);

        var recoverable = new byte[64];
        Secp256k1.SignRecoverable(hash, secret, recoverable, out byte recoveryId);
        Assert.Equal(expected, recoverable);

        var recovered = new byte[65];
        Assert.True(Secp256k1.TryRecover(hash, signature, recoveryId, recovered));
        Assert.Equal(PublicKey(secret), recovered);
        Assert.True(Secp256k1.Verify(hash, signature, recovered));
    }

    // ---- signing, recovery, verification on seeded random keys ---------------------------------------------

    [Fact]
    public void Signing_is_deterministic_low_s_and_the_same_with_or_without_recovery_id()
    {
        var random = new Random(Seed);
        var first = new byte[64];
        var second = new byte[64];
        var recoverable = new byte[64];
        for (int i = 0; i < 200; i++)
        {
            byte[] secret = RandomSecret(random);
            byte[] hash = RandomHash(random);
            Secp256k1.Sign(hash, secret, first);
            Secp256k1.Sign(hash, secret, second);
            Secp256k1.SignRecoverable(hash, secret, recoverable, out byte recoveryId);
            Assert.Equal(first, second);
            Assert.Equal(first, recoverable);
            Assert.True(FromBytes(first.AsSpan(32)) <= HalfN, $"high s at item {i}");
            Assert.True(recoveryId <= 1, $"recovery id {recoveryId} at item {i}");
        }
    }

    [Fact]
    public void Recovery_returns_the_signers_key_and_verify_accepts_both_key_encodings()
    {
        var random = new Random(Seed + 1);
        var signature = new byte[64];
        var recovered = new byte[65];
        var recoveredXY = new byte[64];
        var compressed = new byte[33];
        for (int i = 0; i < 200; i++)
        {
            byte[] secret = RandomSecret(random);
            byte[] hash = RandomHash(random);
            byte[] publicKey = PublicKey(secret);
            Assert.True(Secp256k1.TryGetCompressedPublicKey(secret, compressed));
            Secp256k1.SignRecoverable(hash, secret, signature, out byte recoveryId);

            Assert.True(Secp256k1.TryRecover(hash, signature, recoveryId, recovered));
            Assert.Equal(publicKey, recovered);
            Assert.True(Secp256k1.TryRecoverXY(hash, signature, recoveryId, recoveredXY));
            Assert.Equal(publicKey.AsSpan(1).ToArray(), recoveredXY);

            Assert.True(Secp256k1.Verify(hash, signature, publicKey));
            Assert.True(Secp256k1.Verify(hash, signature, compressed));

            // The other parity recovers a different key: recovery depends on the id.
            Assert.True(Secp256k1.TryRecover(hash, signature, (byte)(recoveryId ^ 1), recovered));
            Assert.NotEqual(publicKey, recovered);
        }
    }

    [Fact]
    public void Verify_rejects_a_wrong_hash_a_wrong_key_and_a_changed_signature()
    {
        var random = new Random(Seed + 2);
        byte[] secret = RandomSecret(random);
        byte[] hash = RandomHash(random);
        byte[] publicKey = PublicKey(secret);
        var signature = new byte[64];
        Secp256k1.Sign(hash, secret, signature);
        Assert.True(Secp256k1.Verify(hash, signature, publicKey));

        byte[] otherHash = (byte[])hash.Clone();
        otherHash[31] ^= 1;
        Assert.False(Secp256k1.Verify(otherHash, signature, publicKey));

        Assert.False(Secp256k1.Verify(hash, signature, PublicKey(RandomSecret(random))));

        for (int bit = 0; bit < 512; bit += 37)
        {
            byte[] changed = (byte[])signature.Clone();
            changed[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Secp256k1.Verify(hash, changed, publicKey), $"bit {bit}");
        }
    }

    [Fact]
    public void Verify_refuses_hybrid_keys_and_points_off_the_curve()
    {
        var random = new Random(Seed + 3);
        byte[] secret = RandomSecret(random);
        byte[] hash = RandomHash(random);
        byte[] publicKey = PublicKey(secret);
        var signature = new byte[64];
        Secp256k1.Sign(hash, secret, signature);

        // Hybrid encoding (0x06 even Y / 0x07 odd Y), which libsecp256k1 itself would parse.
        byte[] hybrid = (byte[])publicKey.Clone();
        hybrid[0] = (byte)(0x06 | (publicKey[64] & 1));
        Assert.False(Secp256k1.Verify(hash, signature, hybrid));

        byte[] offCurve = (byte[])publicKey.Clone();
        offCurve[64] ^= 1; // same X, Y off by one: not on the curve
        Assert.False(Secp256k1.Verify(hash, signature, offCurve));

        byte[] compressedWithWrongPrefix = [0x04, .. publicKey.AsSpan(1, 32)];
        Assert.False(Secp256k1.Verify(hash, signature, compressedWithWrongPrefix));
    }

    // ---- signature value rules (EIP-2 and yellow paper appendix F) -----------------------------------------

    [Fact]
    public void High_s_signatures_are_rejected_although_libsecp256k1_recovery_alone_accepts_them()
    {
        var random = new Random(Seed + 4);
        var signature = new byte[64];
        var recovered = new byte[65];
        for (int i = 0; i < 50; i++)
        {
            byte[] secret = RandomSecret(random);
            byte[] hash = RandomHash(random);
            byte[] publicKey = PublicKey(secret);
            Secp256k1.SignRecoverable(hash, secret, signature, out byte recoveryId);
            byte[] highS = WithHighS(signature);
            byte flipped = (byte)(recoveryId ^ 1);

            Assert.False(Secp256k1.IsCanonicalSignature(highS));
            Assert.False(Secp256k1.Verify(hash, highS, publicKey));
            Assert.False(Secp256k1.TryRecover(hash, highS, flipped, recovered));
            Assert.False(Secp256k1.TryRecover(hash, highS, recoveryId, recovered));

            // (r, n - s) with the flipped id is the malleated twin: the bare library recovers the same key,
            // so the rejection above is the wrapper's EIP-2 rule, not an accident of the library.
            Assert.Equal(publicKey, RawLibraryRecover(hash, highS, flipped));
        }
    }

    [Fact]
    public void S_equal_to_half_n_is_canonical_and_one_more_is_not()
    {
        Assert.True(Secp256k1.IsCanonicalSignature(Signature(BigInteger.One, HalfN)));
        Assert.False(Secp256k1.IsCanonicalSignature(Signature(BigInteger.One, HalfN + 1)));
        Assert.True(Secp256k1.IsCanonicalSignature(Signature(N - 1, BigInteger.One)));
        Assert.False(Secp256k1.IsCanonicalSignature(Signature(N, BigInteger.One)));
    }

    public static TheoryData<string> OutOfRangeSignatureValues => ["r=0", "s=0", "r=n", "s=n", "r=n+1", "r=2^256-1", "s=2^256-1"];

    [Theory]
    [MemberData(nameof(OutOfRangeSignatureValues))]
    public void Signature_values_out_of_range_are_rejected_by_recovery_and_verify(string name)
    {
        var random = new Random(Seed + 5);
        byte[] secret = RandomSecret(random);
        byte[] hash = RandomHash(random);
        var signature = new byte[64];
        Secp256k1.Sign(hash, secret, signature);
        BigInteger r = FromBytes(signature.AsSpan(0, 32));
        BigInteger s = FromBytes(signature.AsSpan(32));
        BigInteger max = (BigInteger.One << 256) - 1;
        byte[] bad = name switch
        {
            "r=0" => Signature(BigInteger.Zero, s),
            "s=0" => Signature(r, BigInteger.Zero),
            "r=n" => Signature(N, s),
            "s=n" => Signature(r, N),
            "r=n+1" => Signature(N + 1, s),
            "r=2^256-1" => Signature(max, s),
            "s=2^256-1" => Signature(r, max),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        Assert.False(Secp256k1.IsCanonicalSignature(bad));
        Assert.False(Secp256k1.Verify(hash, bad, PublicKey(secret)));
        byte[] output = Enumerable.Repeat((byte)0xAA, 65).ToArray();
        for (byte recoveryId = 0; recoveryId <= 3; recoveryId++)
        {
            Assert.False(Secp256k1.TryRecover(hash, bad, recoveryId, output));
        }
        Assert.All(output, b => Assert.Equal(0xAA, b));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(27)]
    [InlineData(255)]
    public void Recovery_ids_above_3_are_rejected_without_an_exception(byte recoveryId)
    {
        var random = new Random(Seed + 6);
        byte[] hash = RandomHash(random);
        var signature = new byte[64];
        Secp256k1.Sign(hash, RandomSecret(random), signature);
        Assert.False(Secp256k1.TryRecover(hash, signature, recoveryId, new byte[65]));
        Assert.False(Secp256k1.TryRecoverXY(hash, signature, recoveryId, new byte[64]));
    }

    [Fact]
    public void An_r_that_is_no_points_x_coordinate_does_not_recover()
    {
        BigInteger offCurve = 1;
        while (IsXOnCurve(offCurve)) offCurve++;
        BigInteger onCurve = 1;
        while (!IsXOnCurve(onCurve)) onCurve++;
        var hash = RandomHash(new Random(Seed + 7));
        var output = new byte[65];

        Assert.False(Secp256k1.TryRecover(hash, Signature(offCurve, 12345), 0, output));
        Assert.False(Secp256k1.TryRecover(hash, Signature(offCurve, 12345), 1, output));
        // Control: the same shape with an r that is on the curve does recover (some key).
        Assert.True(Secp256k1.TryRecover(hash, Signature(onCurve, 12345), 0, output));
        Assert.True(Secp256k1.TryRecover(hash, Signature(onCurve, 12345), 1, output));
    }

    [Fact]
    public void Recovery_ids_2_and_3_use_r_plus_n_and_fail_when_that_is_not_below_p()
    {
        BigInteger smallR = 1;
        while (!IsXOnCurve(smallR + N)) smallR++;
        var hash = RandomHash(new Random(Seed + 8));
        var output = new byte[65];
        Assert.True(Secp256k1.TryRecover(hash, Signature(smallR, 777), 2, output));
        Assert.True(Secp256k1.TryRecover(hash, Signature(smallR, 777), 3, output));

        BigInteger largeR = P - N; // r + n = p: not a field element
        Assert.False(Secp256k1.TryRecover(hash, Signature(largeR, 777), 2, output));
        Assert.False(Secp256k1.TryRecover(hash, Signature(largeR, 777), 3, output));
    }

    private static byte[] InvalidSecret(string name) => name switch
    {
        "zero" => new byte[32],
        "n" => ToBytes32(N),
        "n+1" => ToBytes32(N + 1),
        "2^256-1" => Enumerable.Repeat((byte)0xFF, 32).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>secp256k1_ecdsa_recover without the wrapper's signature value rules.</summary>
    private static unsafe byte[] RawLibraryRecover(byte[] hash, byte[] signature, byte recoveryId)
    {
        nint context = Secp256k1.Context;
        byte* parsedSignature = stackalloc byte[NativeSecp256k1.RecoverableSignatureStructSize];
        byte* parsedKey = stackalloc byte[NativeSecp256k1.PublicKeyStructSize];
        var output = new byte[65];
        nuint length = 65;
        fixed (byte* input = signature)
        fixed (byte* message = hash)
        fixed (byte* serialized = output)
        {
            Assert.Equal(1, NativeSecp256k1.RecoverableSignatureParseCompact(context, parsedSignature, input, recoveryId));
            Assert.Equal(1, NativeSecp256k1.Recover(context, parsedKey, parsedSignature, message));
            Assert.Equal(1, NativeSecp256k1.PublicKeySerialize(context, serialized, &length, parsedKey, NativeSecp256k1.EcUncompressed));
        }
        return output;
    }
}
