using NexusFast.Engine.Tests.Support;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Tests.Interop;

public class Secp256k1ArgumentTests
{
    private static readonly byte[] s_secret = Secp256k1Math.ToBytes32(12_345);
    private static readonly byte[] s_publicKey = Secp256k1Math.PublicKey(s_secret);

    /// <summary>name -> (call with one wrong-length span, parameter named, length text in the message).</summary>
    private static readonly Dictionary<string, (Action Call, string Parameter, string Expected)> s_cases = new()
    {
        ["IsValidSecretKey with 31 bytes"] = (() => Secp256k1.IsValidSecretKey(new byte[31]), "secret32", "32 bytes"),
        ["TryGetPublicKey into 64 bytes"] = (() => Secp256k1.TryGetPublicKey(s_secret, new byte[64]), "publicKey65", "65 bytes"),
        ["TryGetCompressedPublicKey into 65 bytes"] = (() => Secp256k1.TryGetCompressedPublicKey(s_secret, new byte[65]), "publicKey33", "33 bytes"),
        ["Sign a 31-byte hash"] = (() => Secp256k1.Sign(new byte[31], s_secret, new byte[64]), "hash32", "32 bytes"),
        ["Sign with a 33-byte secret"] = (() => Secp256k1.Sign(new byte[32], new byte[33], new byte[64]), "secret32", "32 bytes"),
        ["Sign into 65 bytes"] = (() => Secp256k1.Sign(new byte[32], s_secret, new byte[65]), "signature64", "64 bytes"),
        ["SignRecoverable into 63 bytes"] = (() => Secp256k1.SignRecoverable(new byte[32], s_secret, new byte[63], out _), "signature64", "64 bytes"),
        ["TryRecover a 65-byte signature"] = (() => Secp256k1.TryRecover(new byte[32], new byte[65], 0, new byte[65]), "signature64", "64 bytes"),
        ["TryRecover a 33-byte hash"] = (() => Secp256k1.TryRecover(new byte[33], new byte[64], 0, new byte[65]), "hash32", "32 bytes"),
        ["TryRecover into 64 bytes"] = (() => Secp256k1.TryRecover(new byte[32], new byte[64], 0, new byte[64]), "publicKey65", "65 bytes"),
        ["TryRecoverXY into 65 bytes"] = (() => Secp256k1.TryRecoverXY(new byte[32], new byte[64], 0, new byte[65]), "publicKeyXY64", "64 bytes"),
        ["Verify with a 64-byte key"] = (() => Secp256k1.Verify(new byte[32], new byte[64], new byte[64]), "publicKey", "33 bytes (compressed) or 65 bytes"),
        ["Verify with an empty key"] = (() => Secp256k1.Verify(new byte[32], new byte[64], []), "publicKey", "33 bytes (compressed) or 65 bytes"),
        ["IsCanonicalSignature of 63 bytes"] = (() => Secp256k1.IsCanonicalSignature(new byte[63]), "signature64", "64 bytes"),
        ["TryEcdh into 31 bytes"] = (() => Secp256k1.TryEcdh(s_secret, s_publicKey, new byte[31]), "shared32", "32 bytes"),
        ["TryEcdhRawX into 33 bytes"] = (() => Secp256k1.TryEcdhRawX(s_secret, s_publicKey, new byte[33]), "sharedX32", "32 bytes"),
        ["TryEcdh with a 32-byte key"] = (() => Secp256k1.TryEcdh(s_secret, new byte[32], new byte[32]), "publicKey", "33 bytes (compressed) or 65 bytes"),
        ["TryTweakAddSecret with a 31-byte tweak"] = (() => Secp256k1.TryTweakAddSecret(new byte[32], new byte[31]), "tweak32", "32 bytes"),
        ["TryTweakAddPublicKey into 64 bytes"] = (() => Secp256k1.TryTweakAddPublicKey(s_publicKey, new byte[32], new byte[64]), "tweakedPublicKey", "33 bytes (compressed) or 65 bytes"),
    };

    public static TheoryData<string> CaseNames => [.. s_cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_span_of_the_wrong_length_throws_naming_the_parameter_and_the_expected_length(string name)
    {
        (Action call, string parameter, string expected) = s_cases[name];
        var error = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public unsafe void An_illegal_argument_reported_by_the_library_becomes_an_exception_instead_of_an_abort()
    {
        // Recovery id 4 fails an ARG_CHECK in secp256k1_ecdsa_recoverable_signature_parse_compact; with the
        // library's default callback this would abort the test host.
        nint context = Secp256k1.Context;
        byte* parsed = stackalloc byte[NativeSecp256k1.RecoverableSignatureStructSize];
        byte* input = stackalloc byte[64];
        input[31] = 1;
        input[63] = 1;
        int result = NativeSecp256k1.RecoverableSignatureParseCompact(context, parsed, input, 4);

        var error = Assert.Throws<InvalidOperationException>(() => Secp256k1.Succeeded(result));
        Assert.Contains("recid", error.Message);
        Assert.Contains("illegal", error.Message);

        // The report is consumed: the next call on this thread is judged on its own.
        Assert.True(Secp256k1.IsValidSecretKey(s_secret));
    }
}
