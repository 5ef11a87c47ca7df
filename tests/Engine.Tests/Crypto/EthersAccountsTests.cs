using System.Text.Json;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Support;
using NexusFast.Interop.Secp256k1;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Crypto;

/// <summary>
/// ethers/accounts.json (README section 3): private key -> uncompressed public key (libsecp256k1) -> Keccak-256 ->
/// last 20 bytes -> EIP-55, compared as strings with ethers' checksummed address. A differential test of our
/// secp256k1 binding, Keccak and checksum against ethers (AddressChecksumTests derives the same keys with .NET's
/// ECDsa instead, which checks the Keccak and checksum steps independently of libsecp256k1).
/// </summary>
public class EthersAccountsTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, (byte[] PrivateKey, string Address)>> s_accounts = new(Load);

    private readonly ITestOutputHelper _output;

    public EthersAccountsTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Names() => [.. s_accounts.Value.Keys];

    [Fact]
    public void The_vector_file_has_259_accounts()
    {
        _output.WriteLine($"ethers accounts.json: {s_accounts.Value.Count} accounts");
        Assert.Equal(259, s_accounts.Value.Count);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_private_key_gives_the_checksummed_address_ethers_gives(string name)
    {
        (byte[] privateKey, string expected) = s_accounts.Value[name];
        var publicKey = new byte[Secp256k1.PublicKeyLength];

        Assert.True(Secp256k1.TryGetPublicKey(privateKey, publicKey));

        Assert.Equal(expected, Address.FromPublicKey(publicKey).ToChecksumHex());
    }

    private static Dictionary<string, (byte[], string)> Load()
    {
        string path = SharedData.PathOf("vectors", "ethereum", "ethers", "accounts.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var result = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (JsonElement entry in doc.RootElement.EnumerateArray())
        {
            string key = entry.GetProperty("privateKey").GetString()!;
            result.Add(entry.GetProperty("name").GetString()!, (Convert.FromHexString(key.AsSpan(2)), entry.GetProperty("address").GetString()!));
        }
        return result;
    }
}
