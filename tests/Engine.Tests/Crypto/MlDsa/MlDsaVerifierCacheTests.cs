using NexusFast.Engine.Crypto.MlDsa;
using Dsa = NexusFast.Engine.Crypto.MlDsa.MlDsa;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>The caching verifier gives the same verdicts as the plain one, stays within its capacity and evicts the least recently used key.</summary>
public sealed class MlDsaVerifierCacheTests
{
    private static (byte[] PublicKey, byte[] SecretKey) Keys(MlDsaParameters p, byte seedByte)
    {
        byte[] seed = new byte[32];
        seed[0] = seedByte;
        byte[] publicKey = new byte[p.PublicKeySize], secretKey = new byte[p.SecretKeySize];
        Dsa.GenerateKey(p, seed, publicKey, secretKey);
        return (publicKey, secretKey);
    }

    [Fact]
    public void Cached_verification_agrees_with_plain_verification_for_good_and_bad_signatures()
    {
        var cache = new MlDsaVerifierCache(capacity: 4);
        foreach (MlDsaParameters p in new[] { MlDsaParameters.MlDsa44, MlDsaParameters.MlDsa65, MlDsaParameters.MlDsa87 })
        {
            (byte[] publicKey, byte[] secretKey) = Keys(p, 1);
            byte[] message = "transfer 5 to 0xabc"u8.ToArray();
            byte[] signature = new byte[p.SignatureSize];
            Dsa.SignDeterministic(p, secretKey, message, "nexus"u8, signature);
            for (int round = 0; round < 3; round++)
            {
                Assert.True(cache.Verify(p, publicKey, message, "nexus"u8, signature));
                Assert.False(cache.Verify(p, publicKey, message, "nexuz"u8, signature));
                byte[] tampered = (byte[])signature.Clone();
                tampered[round * 100 + 40] ^= 0x10;
                Assert.Equal(Dsa.Verify(p, publicKey, message, "nexus"u8, tampered), cache.Verify(p, publicKey, message, "nexus"u8, tampered));
                Assert.False(cache.Verify(p, publicKey, message, "nexus"u8, signature.AsSpan(1)));
                Assert.False(cache.Verify(p, publicKey.AsSpan(1), message, "nexus"u8, signature));
                Assert.False(cache.Verify(p, publicKey, message, new byte[256], signature));
            }

            byte[] mu = new byte[Dsa.MuSize];
            Dsa.ComputeMu(p, publicKey, message, "nexus"u8, mu);
            Assert.True(cache.VerifyMu(p, publicKey, mu, signature));
            mu[0] ^= 1;
            Assert.False(cache.VerifyMu(p, publicKey, mu, signature));
        }
        Assert.Equal(3, cache.Misses); // one expansion per key; every other call hit
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void The_cache_never_holds_more_than_its_capacity_and_evicts_the_least_recently_used_key()
    {
        MlDsaParameters p = MlDsaParameters.MlDsa44;
        var cache = new MlDsaVerifierCache(capacity: 2);
        byte[] a = Keys(p, 1).PublicKey, b = Keys(p, 2).PublicKey, c = Keys(p, 3).PublicKey;
        cache.GetOrAdd(p, a);
        cache.GetOrAdd(p, b);
        cache.GetOrAdd(p, a); // a is now the most recent
        cache.GetOrAdd(p, c); // evicts b
        Assert.Equal(2, cache.Count);
        long misses = cache.Misses;
        cache.GetOrAdd(p, a);
        Assert.Equal(misses, cache.Misses);
        cache.GetOrAdd(p, b);
        Assert.Equal(misses + 1, cache.Misses);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Many_threads_verifying_through_one_small_cache_all_get_the_right_verdicts()
    {
        MlDsaParameters p = MlDsaParameters.MlDsa44;
        var cache = new MlDsaVerifierCache(capacity: 3);
        var signers = Enumerable.Range(1, 5).Select(i =>
        {
            (byte[] publicKey, byte[] secretKey) = Keys(p, (byte)i);
            byte[] signature = new byte[p.SignatureSize];
            Dsa.SignDeterministic(p, secretKey, [(byte)i], [], signature);
            return (publicKey, signature, message: new[] { (byte)i });
        }).ToArray();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var signer = signers[i % signers.Length];
            var other = signers[(i + 1) % signers.Length];
            Assert.True(cache.Verify(p, signer.publicKey, signer.message, [], signer.signature));
            Assert.False(cache.Verify(p, signer.publicKey, other.message, [], signer.signature));
        });
        Assert.True(cache.Count <= 3);
    }
}
