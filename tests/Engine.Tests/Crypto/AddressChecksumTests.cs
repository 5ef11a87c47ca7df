using System.Security.Cryptography;
using System.Text.Json;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Support;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Crypto;

public class AddressChecksumTests
{
    private static readonly Lazy<Dictionary<string, (string PrivateKey, string Address)>> s_accounts = new(LoadAccounts);

    private readonly ITestOutputHelper _output;

    public AddressChecksumTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> AccountNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in s_accounts.Value.Keys) data.Add(name);
        return data;
    }

    [Fact]
    public void The_accounts_file_holds_the_expected_number_of_vectors()
    {
        _output.WriteLine($"ethers/accounts.json: {s_accounts.Value.Count} accounts");
        Assert.Equal(259, s_accounts.Value.Count);
    }

    // The test cases of EIP-55 (the all-caps and all-lower ones are from its earlier revisions): addresses whose
    // correct checksum happens to be all-caps or all-lower, and four mixed-case ones.
    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Checksum_matches_the_eip55_examples(string checksummed)
    {
        Address address = Address.Parse(checksummed.ToLowerInvariant());
        Assert.Equal(checksummed, address.ToChecksumHex());
        Assert.True(Address.TryParseChecksummed(checksummed, out Address parsed, out string? error), error);
        Assert.Equal(address, parsed);
    }

    [Theory]
    [MemberData(nameof(AccountNames))]
    public void Checksum_matches_the_ethers_account_address(string name)
    {
        string expected = s_accounts.Value[name].Address;
        Assert.Equal(expected, Address.Parse(expected.ToLowerInvariant()).ToChecksumHex());
    }

    // The public key comes from the platform's secp256k1 (OpenSSL), independent of the engine, so this checks the
    // X || Y layout and the Keccak step of address derivation.
    [Theory]
    [MemberData(nameof(AccountNames))]
    public void FromPublicKey_derives_the_ethers_account_address(string name)
    {
        (string privateKey, string expected) = s_accounts.Value[name];
        byte[] publicKey = PublicKeyOf(Convert.FromHexString(privateKey.AsSpan(2)));

        Assert.Equal(expected, Address.FromPublicKey(publicKey).ToChecksumHex());

        byte[] prefixed = [0x04, .. publicKey];
        Assert.Equal(expected, Address.FromPublicKey(prefixed).ToChecksumHex());
    }

    [Fact]
    public void FromPublicKey_refuses_compressed_and_wrongly_prefixed_keys()
    {
        Assert.Throws<ArgumentException>(() => Address.FromPublicKey(new byte[33]));
        Assert.Throws<ArgumentException>(() => Address.FromPublicKey(new byte[63]));
        byte[] wrongPrefix = new byte[65];
        wrongPrefix[0] = 0x02;
        Assert.Throws<ArgumentException>(() => Address.FromPublicKey(wrongPrefix));
    }

    [Fact]
    public void TryParseChecksummed_accepts_all_lower_and_all_upper_hex()
    {
        const string Mixed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        Address expected = Address.Parse(Mixed);
        Assert.True(Address.TryParseChecksummed(Mixed.ToLowerInvariant(), out Address lower, out _));
        Assert.True(Address.TryParseChecksummed("0x" + Mixed.Substring(2).ToUpperInvariant(), out Address upper, out _));
        Assert.Equal(expected, lower);
        Assert.Equal(expected, upper);
    }

    [Theory]
    [MemberData(nameof(AccountNames))]
    public void TryParseChecksummed_rejects_the_account_address_with_one_letter_case_flipped(string name)
    {
        string valid = s_accounts.Value[name].Address;
        Assert.True(Address.TryParseChecksummed(valid, out _, out string? noError), noError);

        // Flip the case of the last letter; the result stays mixed-case only when the address has two or more
        // letters of different case, which is the case EIP-55 must catch.
        int index = valid.AsSpan(2).LastIndexOfAnyInRange('a', 'f') is int lower and >= 0 ? lower : valid.AsSpan(2).LastIndexOfAnyInRange('A', 'F');
        Assert.True(index >= 0, "every ethers test address has a hex letter");
        char[] chars = valid.ToCharArray();
        char c = chars[2 + index];
        chars[2 + index] = char.IsLower(c) ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
        string flipped = new(chars);
        string digits = flipped.Substring(2);
        bool stillMixed = digits.AsSpan().ContainsAnyInRange('a', 'f') && digits.AsSpan().ContainsAnyInRange('A', 'F');

        bool accepted = Address.TryParseChecksummed(flipped, out Address result, out string? error);
        if (stillMixed)
        {
            Assert.False(accepted);
            Assert.Contains("EIP-55", error);
            Assert.Equal(default, result);
        }
        else
        {
            Assert.True(accepted, error);
        }
    }

    [Fact]
    public void TryParseChecksummed_passes_on_the_hex_error_for_malformed_text()
    {
        Assert.False(Address.TryParseChecksummed("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", out _, out string? error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.False(Address.TryParseChecksummed("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeZ", out _, out _));
    }

    private static byte[] PublicKeyOf(byte[] privateKey)
    {
        var parameters = new ECParameters { Curve = ECCurve.CreateFromFriendlyName("secp256k1"), D = privateKey };
        using var ecdsa = ECDsa.Create(parameters);
        ECPoint q = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        return [.. q.X!, .. q.Y!];
    }

    private static Dictionary<string, (string PrivateKey, string Address)> LoadAccounts()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf("vectors", "ethereum", "ethers", "accounts.json")));
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (JsonElement entry in doc.RootElement.EnumerateArray())
        {
            result.Add(entry.GetProperty("name").GetString()!,
                (entry.GetProperty("privateKey").GetString()!, entry.GetProperty("address").GetString()!));
        }

        return result;
    }
}
