using System.Text;
using System.Text.Json.Nodes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Crypto.Keys;

/// <summary>Keystore files with "scheme": "ml-dsa-65": the encrypted 32 bytes are an ML-DSA-65 key-generation seed.</summary>
public class MlDsaKeystoreTests
{
    private static readonly byte[] s_seed = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();

    private static Address ExpectedAddress()
    {
        var publicKey = new byte[MlDsaParameters.MlDsa65.PublicKeySize];
        var secretKey = new byte[MlDsaParameters.MlDsa65.SecretKeySize];
        NexusFast.Engine.Crypto.MlDsa.MlDsaScheme.GenerateKey(MlDsaParameters.MlDsa65, s_seed, publicKey, secretKey);
        return MlDsaAddress.Of(publicKey);
    }

    [Fact]
    public void An_ml_dsa_keystore_names_its_scheme_and_the_ml_dsa_address_and_decrypts_to_the_seed()
    {
        byte[] json = Keystore.Encrypt(s_seed, "pw", ScryptCost.Light, KeyScheme.MlDsa65);
        JsonNode file = JsonNode.Parse(json)!;
        Assert.Equal("ml-dsa-65", (string?)file["scheme"]);
        Assert.Equal(Convert.ToHexStringLower(ExpectedAddress().Bytes), (string?)file["address"]);

        Assert.True(KeystoreJson.TryParse(json, out KeystoreJson? parsed, out _, out string? message), message);
        Assert.Equal(KeyScheme.MlDsa65, parsed.Scheme);
        var secret = new byte[32];
        Assert.True(Keystore.TryDecrypt(parsed, "pw", secret, out KeystoreError error, out message), message);
        Assert.Equal(KeystoreError.None, error);
        Assert.Equal(s_seed, secret);
    }

    [Fact]
    public void A_secp256k1_keystore_has_no_scheme_field_so_ethereum_tools_read_it_unchanged()
    {
        byte[] json = Keystore.Encrypt(Convert.FromHexString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"), "pw", ScryptCost.Light);
        Assert.Null(JsonNode.Parse(json)!["scheme"]);
        Assert.True(KeystoreJson.TryParse(json, out KeystoreJson? parsed, out _, out _));
        Assert.Equal(KeyScheme.Secp256k1, parsed.Scheme);
    }

    [Fact]
    public void Removing_the_scheme_makes_the_address_check_fail_instead_of_yielding_a_wrong_key()
    {
        JsonNode file = JsonNode.Parse(Keystore.Encrypt(s_seed, "pw", ScryptCost.Light, KeyScheme.MlDsa65))!;
        file.AsObject().Remove("scheme");
        var secret = new byte[32];
        Assert.False(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(file.ToJsonString()), "pw", secret, out KeystoreError error, out string? message));
        Assert.Equal(KeystoreError.AddressMismatch, error);
        Assert.Contains("does not match the key's address", message);
        Assert.All(secret, b => Assert.Equal(0, b));
    }

    [Fact]
    public void An_unknown_scheme_is_refused_by_name()
    {
        JsonNode file = JsonNode.Parse(Keystore.Encrypt(s_seed, "pw", ScryptCost.Light, KeyScheme.MlDsa65))!;
        file["scheme"] = "ml-dsa-87";
        Assert.False(KeystoreJson.TryParse(Encoding.UTF8.GetBytes(file.ToJsonString()), out _, out KeystoreError error, out string? message));
        Assert.Equal(KeystoreError.Unsupported, error);
        Assert.Equal("scheme 'ml-dsa-87' is not supported; only 'secp256k1' and 'ml-dsa-65'", message);
    }
}
