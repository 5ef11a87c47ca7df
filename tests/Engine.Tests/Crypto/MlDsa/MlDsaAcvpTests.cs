using NexusFast.Engine.Crypto.MlDsa;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>Every NIST ACVP ML-DSA vector as its own case (75 keyGen, 360 sigGen, 180 sigVer), plus per-group counts.</summary>
public sealed class MlDsaAcvpTests(ITestOutputHelper output)
{
    public static TheoryData<int> KeyGenIds => AcvpVectors.Ids(AcvpVectors.KeyGen);
    public static TheoryData<int> SigGenIds => AcvpVectors.Ids(AcvpVectors.SigGen);
    public static TheoryData<int> SigVerIds => AcvpVectors.Ids(AcvpVectors.SigVer);

    [Theory]
    [MemberData(nameof(KeyGenIds))]
    public void Key_generation_from_the_seed_gives_the_expected_public_and_secret_keys(int tcId)
    {
        AcvpVectors.Case test = AcvpVectors.KeyGen[tcId];
        MlDsaParameters p = test.Parameters;
        byte[] publicKey = new byte[p.PublicKeySize];
        byte[] secretKey = new byte[p.SecretKeySize];
        NexusFast.Engine.Crypto.MlDsa.MlDsa.GenerateKey(p, test.Bytes("seed"), publicKey, secretKey);
        Assert.Equal(test.Field("pk"), Convert.ToHexString(publicKey));
        Assert.Equal(test.Field("sk"), Convert.ToHexString(secretKey));
    }

    [Theory]
    [MemberData(nameof(KeyGenIds))]
    public void A_secret_key_loaded_from_the_key_generation_vectors_signs_what_its_public_key_verifies(int tcId)
    {
        AcvpVectors.Case test = AcvpVectors.KeyGen[tcId];
        MlDsaParameters p = test.Parameters;
        byte[] message = Convert.FromHexString(test.Field("seed"));
        byte[] signature = new byte[p.SignatureSize];
        NexusFast.Engine.Crypto.MlDsa.MlDsa.SignDeterministic(p, test.Bytes("sk"), message, "acvp"u8, signature);
        Assert.True(NexusFast.Engine.Crypto.MlDsa.MlDsa.Verify(p, test.Bytes("pk"), message, "acvp"u8, signature));
        Assert.False(NexusFast.Engine.Crypto.MlDsa.MlDsa.Verify(p, test.Bytes("pk"), message, "acvq"u8, signature));
    }

    [Theory]
    [MemberData(nameof(SigGenIds))]
    public void Signing_gives_the_expected_signature(int tcId)
    {
        AcvpVectors.Case test = AcvpVectors.SigGen[tcId];
        MlDsaParameters p = test.Parameters;
        byte[] random = test.GroupFlag("deterministic") ? new byte[32] : test.Bytes("rnd");
        byte[] secretKey = test.Bytes("sk");
        byte[] signature = new byte[p.SignatureSize];
        Sign(test, p, secretKey, random, signature);
        Assert.Equal(test.Field("signature"), Convert.ToHexString(signature));
    }

    [Theory]
    [MemberData(nameof(SigVerIds))]
    public void Verification_gives_the_expected_verdict(int tcId)
    {
        AcvpVectors.Case test = AcvpVectors.SigVer[tcId];
        bool expected = test.Test["testPassed"]!.GetValue<bool>();
        Assert.Equal(expected, Verify(test));
    }

    [Fact]
    public void Every_vector_file_has_the_documented_number_of_cases_and_all_pass()
    {
        Report("keyGen", AcvpVectors.KeyGen, AcvpVectors.KeyGenCount, test =>
        {
            byte[] publicKey = new byte[test.Parameters.PublicKeySize];
            byte[] secretKey = new byte[test.Parameters.SecretKeySize];
            NexusFast.Engine.Crypto.MlDsa.MlDsa.GenerateKey(test.Parameters, test.Bytes("seed"), publicKey, secretKey);
            return Convert.ToHexString(publicKey) == test.Field("pk") && Convert.ToHexString(secretKey) == test.Field("sk");
        });
        Report("sigGen", AcvpVectors.SigGen, AcvpVectors.SigGenCount, test =>
        {
            byte[] signature = new byte[test.Parameters.SignatureSize];
            byte[] random = test.GroupFlag("deterministic") ? new byte[32] : test.Bytes("rnd");
            Sign(test, test.Parameters, test.Bytes("sk"), random, signature);
            return Convert.ToHexString(signature) == test.Field("signature");
        });
        Report("sigVer", AcvpVectors.SigVer, AcvpVectors.SigVerCount, test => Verify(test) == test.Test["testPassed"]!.GetValue<bool>());
    }

    private void Report(string mode, IReadOnlyDictionary<int, AcvpVectors.Case> cases, int expectedCount, Func<AcvpVectors.Case, bool> run)
    {
        int passed = 0;
        foreach (IGrouping<int, AcvpVectors.Case> group in cases.Values.GroupBy(c => c.TgId).OrderBy(g => g.Key))
        {
            int groupPassed = group.Count(run);
            passed += groupPassed;
            output.WriteLine($"{mode} tgId {group.Key,2} {group.First().GroupLabel,-45} {groupPassed}/{group.Count()} pass");
        }
        output.WriteLine($"{mode}: {passed}/{cases.Count} pass (expected {expectedCount} cases)");
        Assert.Equal(expectedCount, cases.Count);
        Assert.Equal(expectedCount, passed);
    }

    private static void Sign(AcvpVectors.Case test, MlDsaParameters p, byte[] secretKey, byte[] random, byte[] signature)
    {
        if (test.GroupText("signatureInterface") == "internal")
        {
            if (test.GroupFlag("externalMu")) NexusFast.Engine.Crypto.MlDsa.MlDsa.SignMu(p, secretKey, test.Bytes("mu"), random, signature);
            else NexusFast.Engine.Crypto.MlDsa.MlDsa.SignInternal(p, secretKey, test.Bytes("message"), random, signature);
        }
        else if (test.GroupText("preHash") == "preHash")
        {
            MlDsaPreHash hash = AcvpVectors.PreHashNamed(test.Field("hashAlg"));
            byte[] digest = new byte[MlDsaPreHashes.DigestSize(hash)];
            MlDsaPreHashes.ComputeDigest(hash, test.Bytes("message"), digest);
            NexusFast.Engine.Crypto.MlDsa.MlDsa.SignPreHash(p, secretKey, hash, digest, test.Bytes("context"), random, signature);
        }
        else
        {
            Assert.Equal("pure", test.GroupText("preHash"));
            NexusFast.Engine.Crypto.MlDsa.MlDsa.Sign(p, secretKey, test.Bytes("message"), test.Bytes("context"), random, signature);
        }
    }

    private static bool Verify(AcvpVectors.Case test)
    {
        MlDsaParameters p = test.Parameters;
        byte[] publicKey = test.Bytes("pk");
        byte[] signature = test.Bytes("signature");
        if (test.GroupText("signatureInterface") == "internal")
        {
            return test.GroupFlag("externalMu")
                ? NexusFast.Engine.Crypto.MlDsa.MlDsa.VerifyMu(p, publicKey, test.Bytes("mu"), signature)
                : NexusFast.Engine.Crypto.MlDsa.MlDsa.VerifyInternal(p, publicKey, test.Bytes("message"), signature);
        }
        if (test.GroupText("preHash") == "preHash")
        {
            MlDsaPreHash hash = AcvpVectors.PreHashNamed(test.Field("hashAlg"));
            byte[] digest = new byte[MlDsaPreHashes.DigestSize(hash)];
            MlDsaPreHashes.ComputeDigest(hash, test.Bytes("message"), digest);
            return NexusFast.Engine.Crypto.MlDsa.MlDsa.VerifyPreHash(p, publicKey, hash, digest, test.Bytes("context"), signature);
        }
        Assert.Equal("pure", test.GroupText("preHash"));
        return NexusFast.Engine.Crypto.MlDsa.MlDsa.Verify(p, publicKey, test.Bytes("message"), test.Bytes("context"), signature);
    }
}
