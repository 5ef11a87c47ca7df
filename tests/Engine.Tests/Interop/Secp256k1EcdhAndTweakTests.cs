using System.Numerics;
using System.Security.Cryptography;
using NexusFast.Interop.Secp256k1;
using static NexusFast.Engine.Tests.Support.Secp256k1Math;

namespace NexusFast.Engine.Tests.Interop;

public class Secp256k1EcdhAndTweakTests
{
    private const int Seed = 7_919;

    // ---- ECDH ----------------------------------------------------------------------------------------------

    [Fact]
    public void Ecdh_is_symmetric_and_equals_sha256_of_the_compressed_product_point()
    {
        var random = new Random(Seed);
        var compressedA = new byte[33];
        var compressedB = new byte[33];
        var compressedProduct = new byte[33];
        var abHashed = new byte[32];
        var baHashed = new byte[32];
        var baHashedFromCompressed = new byte[32];
        var abRaw = new byte[32];
        var baRaw = new byte[32];
        for (int i = 0; i < 50; i++)
        {
            byte[] a = RandomSecret(random);
            byte[] b = RandomSecret(random);
            Assert.True(Secp256k1.TryGetCompressedPublicKey(a, compressedA));
            Assert.True(Secp256k1.TryGetCompressedPublicKey(b, compressedB));

            Assert.True(Secp256k1.TryEcdh(a, PublicKey(b), abHashed));
            Assert.True(Secp256k1.TryEcdh(b, PublicKey(a), baHashed));
            Assert.True(Secp256k1.TryEcdh(b, compressedA, baHashedFromCompressed));
            Assert.Equal(abHashed, baHashed);
            Assert.Equal(abHashed, baHashedFromCompressed);

            // a·(b·G) = (a·b mod n)·G, computed through key generation instead of ECDH.
            byte[] product = ToBytes32(FromBytes(a) * FromBytes(b) % N);
            Assert.True(Secp256k1.TryGetCompressedPublicKey(product, compressedProduct));
            Assert.Equal(SHA256.HashData(compressedProduct), abHashed);

            Assert.True(Secp256k1.TryEcdhRawX(a, compressedB, abRaw));
            Assert.True(Secp256k1.TryEcdhRawX(b, PublicKey(a), baRaw));
            Assert.Equal(abRaw, baRaw);
            Assert.Equal(compressedProduct.AsSpan(1).ToArray(), abRaw);
        }
    }

    [Fact]
    public void Ecdh_with_an_invalid_secret_or_peer_key_fails_and_leaves_the_output_untouched()
    {
        var random = new Random(Seed + 1);
        byte[] peer = PublicKey(RandomSecret(random));
        byte[] output = Enumerable.Repeat((byte)0xAA, 32).ToArray();

        Assert.False(Secp256k1.TryEcdh(new byte[32], peer, output));
        Assert.False(Secp256k1.TryEcdh(ToBytes32(N), peer, output));
        Assert.False(Secp256k1.TryEcdhRawX(new byte[32], peer, output));
        Assert.False(Secp256k1.TryEcdhRawX(ToBytes32(N), peer, output));

        byte[] offCurve = (byte[])peer.Clone();
        offCurve[64] ^= 1;
        Assert.False(Secp256k1.TryEcdh(RandomSecret(random), offCurve, output));
        Assert.All(output, b => Assert.Equal(0xAA, b));
    }

    // ---- tweak-add (BIP-32) --------------------------------------------------------------------------------

    [Fact]
    public void Tweak_add_gives_the_sum_mod_n_and_matches_the_public_key_tweak()
    {
        var random = new Random(Seed + 2);
        var tweakedPublic = new byte[65];
        var tweakedPublicCompressed = new byte[33];
        var expectedCompressed = new byte[33];
        for (int i = 0; i < 100; i++)
        {
            byte[] secret = RandomSecret(random);
            // Every fourth tweak is close to n so that the sum wraps around.
            byte[] tweak = i % 4 == 0 ? ToBytes32(N - 1 - random.Next(1000)) : RandomSecret(random);
            byte[] publicKey = PublicKey(secret);
            BigInteger expected = (FromBytes(secret) + FromBytes(tweak)) % N;

            byte[] tweaked = (byte[])secret.Clone();
            Assert.True(Secp256k1.TryTweakAddSecret(tweaked, tweak));
            Assert.Equal(ToBytes32(expected), tweaked);

            // pub(a + t) == pub(a) + t·G
            Assert.True(Secp256k1.TryTweakAddPublicKey(publicKey, tweak, tweakedPublic));
            Assert.Equal(PublicKey(tweaked), tweakedPublic);
            Assert.True(Secp256k1.TryGetCompressedPublicKey(tweaked, expectedCompressed));
            Assert.True(Secp256k1.TryTweakAddPublicKey(publicKey, tweak, tweakedPublicCompressed));
            Assert.Equal(expectedCompressed, tweakedPublicCompressed);
        }
    }

    [Fact]
    public void Tweak_add_refuses_a_zero_sum_an_out_of_range_tweak_and_an_invalid_secret_without_changing_the_secret()
    {
        var random = new Random(Seed + 3);
        byte[] secret = RandomSecret(random);
        byte[] original = (byte[])secret.Clone();

        Assert.False(Secp256k1.TryTweakAddSecret(secret, ToBytes32(N - FromBytes(secret))));
        Assert.Equal(original, secret);
        Assert.False(Secp256k1.TryTweakAddSecret(secret, ToBytes32(N)));
        Assert.Equal(original, secret);
        Assert.False(Secp256k1.TryTweakAddSecret(secret, Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(original, secret);

        byte[] zero = new byte[32];
        Assert.False(Secp256k1.TryTweakAddSecret(zero, ToBytes32(5)));
        Assert.Equal(new byte[32], zero);

        // A zero tweak is allowed (BIP-32 only refuses IL >= n) and changes nothing.
        Assert.True(Secp256k1.TryTweakAddSecret(secret, new byte[32]));
        Assert.Equal(original, secret);
    }
}
