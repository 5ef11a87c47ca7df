using NexusFast.Engine.Crypto.MlDsa;
using Dsa = NexusFast.Engine.Crypto.MlDsa.MlDsa;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>
/// The public API's contract: precise errors for bad arguments without touching the outputs, false (never an exception)
/// from verification for anything malformed, non-malleable hint decoding, and the relations between the interfaces.
/// </summary>
public sealed class MlDsaApiTests
{
    public static TheoryData<string> Sets => new() { "ML-DSA-44", "ML-DSA-65", "ML-DSA-87" };

    private static MlDsaParameters Named(string name) => AcvpVectors.ParametersNamed(name);

    private static (byte[] PublicKey, byte[] SecretKey) Keys(MlDsaParameters p, byte seedByte = 9)
    {
        byte[] seed = Enumerable.Repeat(seedByte, 32).ToArray();
        byte[] publicKey = new byte[p.PublicKeySize], secretKey = new byte[p.SecretKeySize];
        Dsa.GenerateKey(p, seed, publicKey, secretKey);
        return (publicKey, secretKey);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_sizes_are_those_of_FIPS_204_table_2(string set)
    {
        MlDsaParameters p = Named(set);
        (int pk, int sk, int sig) = set switch
        {
            "ML-DSA-44" => (1312, 2560, 2420),
            "ML-DSA-65" => (1952, 4032, 3309),
            _ => (2592, 4896, 4627),
        };
        Assert.Equal((pk, sk, sig), (p.PublicKeySize, p.SecretKeySize, p.SignatureSize));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Bad_arguments_to_signing_throw_and_leave_the_signature_buffer_untouched(string set)
    {
        MlDsaParameters p = Named(set);
        (_, byte[] secretKey) = Keys(p);
        byte[] signature = Enumerable.Repeat((byte)0xAA, p.SignatureSize).ToArray();
        byte[] random = new byte[32];
        Assert.Throws<ArgumentException>(() => Dsa.Sign(p, secretKey, "m"u8, new byte[256], random, signature));
        Assert.Throws<ArgumentException>(() => Dsa.Sign(p, secretKey.AsSpan(1), "m"u8, [], random, signature));
        Assert.Throws<ArgumentException>(() => Dsa.Sign(p, secretKey, "m"u8, [], random.AsSpan(1), signature));
        Assert.Throws<ArgumentException>(() => Dsa.Sign(p, secretKey, "m"u8, [], random, signature.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => Dsa.SignMu(p, secretKey, new byte[63], random, signature));
        Assert.Throws<ArgumentException>(() => Dsa.SignPreHash(p, secretKey, MlDsaPreHash.Sha2_256, new byte[31], [], random, signature));
        Assert.All(signature, b => Assert.Equal(0xAA, b));

        byte[] publicKey = new byte[p.PublicKeySize];
        Assert.Throws<ArgumentException>(() => Dsa.GenerateKey(p, new byte[31], publicKey, secretKey));
        Assert.Throws<ArgumentException>(() => Dsa.GenerateKey(p, new byte[32], publicKey.AsSpan(1), secretKey));
        Assert.All(publicKey, b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void A_secret_key_with_a_coefficient_outside_eta_is_refused(string set)
    {
        MlDsaParameters p = Named(set);
        (_, byte[] secretKey) = Keys(p);
        byte[] corrupted = (byte[])secretKey.Clone();
        // The first s1 field (bits 0..2 for eta = 2, 0..3 for eta = 4) set to its maximum: eta - 7 = -5 or eta - 15 = -11.
        corrupted[128] |= (byte)(p.Eta == 2 ? 0x07 : 0x0F);
        byte[] signature = new byte[p.SignatureSize];
        ArgumentException error = Assert.Throws<ArgumentException>(() => Dsa.SignDeterministic(p, corrupted, "m"u8, [], signature));
        Assert.Contains("eta", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Verification_returns_false_for_malformed_input_and_never_throws(string set)
    {
        MlDsaParameters p = Named(set);
        (byte[] publicKey, byte[] secretKey) = Keys(p);
        byte[] message = "pay 1"u8.ToArray();
        byte[] signature = new byte[p.SignatureSize];
        Dsa.SignDeterministic(p, secretKey, message, [], signature);
        Assert.True(Dsa.Verify(p, publicKey, message, [], signature));

        Assert.False(Dsa.Verify(p, publicKey, message, new byte[256], signature));
        Assert.False(Dsa.Verify(p, publicKey.AsSpan(1), message, [], signature));
        Assert.False(Dsa.Verify(p, publicKey, message, [], signature.AsSpan(1)));
        Assert.False(Dsa.Verify(p, publicKey, message, [], [.. signature, 0]));
        Assert.False(Dsa.Verify(p, publicKey, message, [], []));
        Assert.False(Dsa.VerifyMu(p, publicKey, new byte[63], signature));
        Assert.False(Dsa.VerifyPreHash(p, publicKey, MlDsaPreHash.Sha2_256, new byte[31], [], signature));
        Assert.False(Dsa.VerifyPreHash(p, publicKey, (MlDsaPreHash)0x33, new byte[32], [], signature));

        // z with a coefficient of exactly gamma1 (field value 0): outside the accepted norm.
        byte[] bigZ = (byte[])signature.Clone();
        int zStart = p.CommitmentHashSize;
        bigZ[zStart] = 0;
        bigZ[zStart + 1] = 0;
        bigZ[zStart + 2] &= (byte)(p.Gamma1 == 1 << 17 ? 0xFC : 0xF0);
        Assert.False(Dsa.Verify(p, publicKey, message, [], bigZ));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Every_non_canonical_hint_encoding_is_rejected(string set)
    {
        MlDsaParameters p = Named(set);
        (byte[] publicKey, byte[] secretKey) = Keys(p);
        byte[] message = "hint"u8.ToArray();
        byte[] signature = new byte[p.SignatureSize];
        int hintStart = p.SignatureSize - p.Omega - p.K;
        int total = 0;
        // Find a message whose signature has a row with two hints and spare room, so every tampering below applies.
        for (int attempt = 0; ; attempt++)
        {
            message[0] = (byte)attempt;
            Dsa.SignDeterministic(p, secretKey, message, [], signature);
            total = signature[^1];
            if (total < p.Omega && signature[hintStart + p.Omega] >= 2) break;
        }
        Assert.True(Dsa.Verify(p, publicKey, message, [], signature));

        byte[] countOverOmega = (byte[])signature.Clone();
        countOverOmega[^1] = (byte)(p.Omega + 1);
        byte[] decreasingCounts = (byte[])signature.Clone();
        decreasingCounts[hintStart + p.Omega] = (byte)(total + 1);
        byte[] unorderedPositions = (byte[])signature.Clone();
        (unorderedPositions[hintStart], unorderedPositions[hintStart + 1]) = (unorderedPositions[hintStart + 1], unorderedPositions[hintStart]);
        byte[] repeatedPosition = (byte[])signature.Clone();
        repeatedPosition[hintStart + 1] = repeatedPosition[hintStart];
        byte[] dirtyPadding = (byte[])signature.Clone();
        dirtyPadding[hintStart + total] = 1;
        foreach (byte[] tampered in new[] { countOverOmega, decreasingCounts, unorderedPositions, repeatedPosition, dirtyPadding })
        {
            Assert.False(Dsa.Verify(p, publicKey, message, [], tampered));
        }
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_interfaces_relate_as_FIPS_204_defines_them(string set)
    {
        MlDsaParameters p = Named(set);
        (byte[] publicKey, byte[] secretKey) = Keys(p);
        byte[] message = "relate"u8.ToArray();
        byte[] context = "ctx"u8.ToArray();
        byte[] random = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        byte[] external = new byte[p.SignatureSize];
        Dsa.Sign(p, secretKey, message, context, random, external);

        // Sign(M, ctx) = Sign_internal(0 || |ctx| || ctx || M) = SignMu(mu).
        byte[] messagePrime = [0, (byte)context.Length, .. context, .. message];
        byte[] viaInternal = new byte[p.SignatureSize];
        Dsa.SignInternal(p, secretKey, messagePrime, random, viaInternal);
        Assert.Equal(external, viaInternal);
        byte[] mu = new byte[Dsa.MuSize];
        Dsa.ComputeMu(p, publicKey, message, context, mu);
        byte[] viaMu = new byte[p.SignatureSize];
        Dsa.SignMu(p, secretKey, mu, random, viaMu);
        Assert.Equal(external, viaMu);
        Assert.True(Dsa.VerifyInternal(p, publicKey, messagePrime, external));
        Assert.True(Dsa.VerifyMu(p, publicKey, mu, external));

        // The internal interface adds no prefix, so a signature over M itself does not verify externally.
        byte[] internalOnly = new byte[p.SignatureSize];
        Dsa.SignInternal(p, secretKey, message, random, internalOnly);
        Assert.False(Dsa.Verify(p, publicKey, message, [], internalOnly));

        // HashML-DSA signatures are separated from pure ones by the 0x01 prefix.
        byte[] digest = new byte[32];
        MlDsaPreHashes.ComputeDigest(MlDsaPreHash.Sha2_256, message, digest);
        byte[] preHashed = new byte[p.SignatureSize];
        Dsa.SignPreHash(p, secretKey, MlDsaPreHash.Sha2_256, digest, context, random, preHashed);
        Assert.True(Dsa.VerifyPreHash(p, publicKey, MlDsaPreHash.Sha2_256, digest, context, preHashed));
        Assert.False(Dsa.VerifyPreHash(p, publicKey, MlDsaPreHash.Sha3_256, digest, context, preHashed));
        Assert.False(Dsa.Verify(p, publicKey, message, context, preHashed));

        // Hedged signing differs per call and verifies; deterministic signing repeats.
        byte[] hedged1 = new byte[p.SignatureSize], hedged2 = new byte[p.SignatureSize];
        Dsa.Sign(p, secretKey, message, context, hedged1);
        Dsa.Sign(p, secretKey, message, context, hedged2);
        Assert.NotEqual(hedged1, hedged2);
        Assert.True(Dsa.Verify(p, publicKey, message, context, hedged1) && Dsa.Verify(p, publicKey, message, context, hedged2));
        byte[] deterministic1 = new byte[p.SignatureSize], deterministic2 = new byte[p.SignatureSize];
        Dsa.SignDeterministic(p, secretKey, message, context, deterministic1);
        Dsa.SignDeterministic(p, secretKey, message, context, deterministic2);
        Assert.Equal(deterministic1, deterministic2);
    }
}
