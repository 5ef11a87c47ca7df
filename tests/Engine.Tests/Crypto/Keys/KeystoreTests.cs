using System.Text;
using System.Text.Json.Nodes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Support;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Crypto.Keys;

public class KeystoreTests
{
    private const string AnvilKey0 = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private const string AnvilAddress0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    // Web3 Secret Storage Definition, "Test Vectors" (the same files as geth's
    // accounts/keystore/testdata/v3_test_vector.json, with its two short-key files): keystore, passphrase, key.
    private static readonly Dictionary<string, (string Json, string Passphrase, string Key)> s_vectors = new()
    {
        ["definition scrypt"] = (
            """{"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"83dbcc02d8ccb40e466191a123791e0e"},"ciphertext":"d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c","kdf":"scrypt","kdfparams":{"dklen":32,"n":262144,"r":1,"p":8,"salt":"ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},"mac":"2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"},"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}""",
            "testpassword",
            "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"),
        ["definition pbkdf2"] = (
            """{"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},"ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2","kdfparams":{"c":262144,"dklen":32,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},"mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},"id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}""",
            "testpassword",
            "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"),
        ["geth 31-byte key"] = (
            """{"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"e0c41130a323adc1446fc82f724bca2f"},"ciphertext":"9517cd5bdbe69076f9bf5057248c6c050141e970efa36ce53692d5d59a3984","kdf":"scrypt","kdfparams":{"dklen":32,"n":2,"r":8,"p":1,"salt":"711f816911c92d649fb4c84b047915679933555030b3552c1212609b38208c63"},"mac":"d5e116151c6aa71470e67a7d42c9620c75c4d23229847dcc127794f0732b0db5"},"id":"fecfc4ce-e956-48fd-953b-30f8b52ed66c","version":3}""",
            "foo",
            "00fa7b3db73dc7dfdf8c5fbdb796d741e4488628c41fc4febd9160a866ba0f35"),
        ["geth 30-byte key"] = (
            """{"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"3ca92af36ad7c2cd92454c59cea5ef00"},"ciphertext":"108b7d34f3442fc26ab1ab90ca91476ba6bfa8c00975a49ef9051dc675aa","kdf":"scrypt","kdfparams":{"dklen":32,"n":2,"r":8,"p":1,"salt":"d0769e608fb86cda848065642a9c6fa046845c928175662b8e356c77f914cd3b"},"mac":"75d0e6759f7b3cefa319c3be41680ab6beea7d8328653474bd06706d4cc67420"},"id":"a37e1559-5955-450d-8075-7b8931b392b2","version":3}""",
            "foo",
            "000081c29e8142bb6a81bef5a92bda7a8328a5c85bb2f9542e76f9b0f94fc018"),
    };

    private static readonly Lazy<byte[]> s_light = new(() => Keystore.Encrypt(Convert.FromHexString(AnvilKey0), "correct horse", ScryptCost.Light));

    private readonly ITestOutputHelper _output;

    public KeystoreTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> VectorNames() => [.. s_vectors.Keys];

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Published_keystore_decrypts_to_the_published_key(string name)
    {
        (string json, string passphrase, string key) = s_vectors[name];
        var secret = new byte[32];

        Assert.True(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(json), passphrase, secret, out KeystoreError error, out string? message), message);

        Assert.Equal(KeystoreError.None, error);
        Assert.Equal(key, Convert.ToHexStringLower(secret));
    }

    [Fact]
    public void A_written_keystore_decrypts_with_its_passphrase()
    {
        var secret = new byte[32];

        Assert.True(Keystore.TryDecrypt(s_light.Value, "correct horse", secret, out _, out string? message), message);

        Assert.Equal(AnvilKey0, Convert.ToHexStringLower(secret));
    }

    [Fact]
    public void A_wrong_passphrase_is_reported_as_a_mac_mismatch_and_leaves_the_key_buffer_alone()
    {
        var secret = new byte[32];
        secret.AsSpan().Fill(0xAA);

        Assert.False(Keystore.TryDecrypt(s_light.Value, "correct hors", secret, out KeystoreError error, out string? message));

        Assert.Equal(KeystoreError.WrongPassphrase, error);
        Assert.Equal("wrong passphrase: MAC mismatch", message);
        Assert.All(secret, b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void The_written_json_has_the_fields_geth_writes()
    {
        JsonObject json = JsonNode.Parse(s_light.Value)!.AsObject();

        Assert.Equal("f39fd6e51aad88f6f4ce6ab8827279cfffb92266", json["address"]!.GetValue<string>());
        Assert.Equal(3, json["version"]!.GetValue<int>());
        JsonObject crypto = json["crypto"]!.AsObject();
        Assert.Equal("aes-128-ctr", crypto["cipher"]!.GetValue<string>());
        Assert.Equal("scrypt", crypto["kdf"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", crypto["ciphertext"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", crypto["cipherparams"]!["iv"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", crypto["mac"]!.GetValue<string>());
        JsonObject kdf = crypto["kdfparams"]!.AsObject();
        Assert.Equal(32, kdf["dklen"]!.GetValue<int>());
        Assert.Equal(4096, kdf["n"]!.GetValue<int>());
        Assert.Equal(8, kdf["r"]!.GetValue<int>());
        Assert.Equal(1, kdf["p"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{64}$", kdf["salt"]!.GetValue<string>());
        // RFC 9562 version 4: version nibble 4, variant bits 10.
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", json["id"]!.GetValue<string>());
    }

    [Fact]
    public void Each_keystore_gets_its_own_salt_iv_and_id()
    {
        byte[] again = Keystore.Encrypt(Convert.FromHexString(AnvilKey0), "correct horse", ScryptCost.Light);
        JsonNode first = JsonNode.Parse(s_light.Value)!;
        JsonNode second = JsonNode.Parse(again)!;

        Assert.NotEqual(first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>());
        Assert.NotEqual(first["crypto"]!["kdfparams"]!["salt"]!.GetValue<string>(), second["crypto"]!["kdfparams"]!["salt"]!.GetValue<string>());
        Assert.NotEqual(first["crypto"]!["cipherparams"]!["iv"]!.GetValue<string>(), second["crypto"]!["cipherparams"]!["iv"]!.GetValue<string>());
    }

    [Fact]
    public void The_parsed_file_gives_address_and_cost_without_the_passphrase()
    {
        Assert.True(KeystoreJson.TryParse(s_light.Value, out KeystoreJson? keystore, out _, out string? message), message);

        Assert.Equal(AnvilAddress0, keystore.Address!.Value.ToChecksumHex());
        Assert.Equal(KeystoreKdf.Scrypt, keystore.Kdf);
        Assert.Equal(ScryptCost.Light, keystore.ScryptCost);
        Assert.Equal(s_light.Value, keystore.ToUtf8Json());
    }

    [Fact]
    public void Property_names_match_without_regard_to_case_as_in_geth_and_ethers()
    {
        string json = Encoding.UTF8.GetString(s_light.Value).Replace("\"crypto\"", "\"Crypto\"", StringComparison.Ordinal)
            .Replace("\"mac\"", "\"MAC\"", StringComparison.Ordinal);
        var secret = new byte[32];

        Assert.True(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(json), "correct horse", secret, out _, out string? message), message);

        Assert.Equal(AnvilKey0, Convert.ToHexStringLower(secret));
    }

    [Fact]
    public void Hex_with_a_0x_prefix_or_upper_case_and_unknown_fields_are_accepted()
    {
        JsonObject json = JsonNode.Parse(s_light.Value)!.AsObject();
        json["address"] = "0x" + json["address"]!.GetValue<string>().ToUpperInvariant();
        json["crypto"]!["mac"] = "0x" + json["crypto"]!["mac"]!.GetValue<string>();
        json["x-ethers"] = new JsonObject { ["client"] = "ethers", ["nested"] = new JsonArray(1, 2, new JsonObject()) };
        var secret = new byte[32];

        Assert.True(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(json.ToJsonString()), "correct horse", secret, out _, out string? message), message);

        Assert.Equal(AnvilKey0, Convert.ToHexStringLower(secret));
    }

    [Fact]
    public void A_keystore_without_an_address_field_still_decrypts()
    {
        JsonObject json = JsonNode.Parse(s_light.Value)!.AsObject();
        json.Remove("address");
        var secret = new byte[32];

        Assert.True(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(json.ToJsonString()), "correct horse", secret, out _, out string? message), message);
    }

    public static TheoryData<string> DefectNames() => [.. s_defects.Keys];

    // One change to a valid light keystore each, with the error kind and message it must give.
    private static readonly Dictionary<string, (Func<JsonObject, string> Mutate, KeystoreError Error, string Message)> s_defects = new()
    {
        ["not json"] = (_ => "{\"version\": 3,", KeystoreError.Malformed, "keystore is not valid JSON: "),
        ["array"] = (_ => "[]", KeystoreError.Malformed, "keystore must be a JSON object"),
        ["trailing"] = (j => j.ToJsonString() + " {}", KeystoreError.Malformed, "keystore is not valid JSON: "),
        ["no version"] = (j => Remove(j, "version"), KeystoreError.Malformed, "keystore has no version field"),
        ["version 1"] = (j => Set(j, "version", 1), KeystoreError.Unsupported, "keystore version 1 is not supported; only version 3 (Web3 Secret Storage)"),
        ["version string"] = (j => Set(j, "version", "3"), KeystoreError.Malformed, "version must be an integer, got a string"),
        ["version fraction"] = (j => Set(j, "version", 3.5), KeystoreError.Malformed, "version must be an integer that fits in 64 bits, got 3.5"),
        ["no crypto"] = (j => Remove(j, "crypto"), KeystoreError.Malformed, "keystore has no crypto field"),
        ["crypto array"] = (j => Set(j, "crypto", new JsonArray()), KeystoreError.Malformed, "crypto must be an object, got an array"),
        ["two crypto"] = (j => j.ToJsonString().Replace("\"crypto\":", "\"Crypto\":{},\"crypto\":", StringComparison.Ordinal), KeystoreError.Malformed, "keystore has the field crypto twice"),
        ["cbc"] = (j => SetCrypto(j, "cipher", "aes-128-cbc"), KeystoreError.Unsupported, "crypto.cipher 'aes-128-cbc' is not supported; only 'aes-128-ctr'"),
        ["no mac"] = (j => RemoveCrypto(j, "mac"), KeystoreError.Malformed, "keystore has no crypto.mac field"),
        ["short mac"] = (j => SetCrypto(j, "mac", "abcd"), KeystoreError.Malformed, "crypto.mac has 2 bytes; want 32"),
        ["odd hex"] = (j => SetCrypto(j, "mac", "abc"), KeystoreError.Malformed, "crypto.mac has an odd number of hex digits (3)"),
        ["bad hex"] = (j => SetCrypto(j, "ciphertext", new string('0', 62) + "zz"), KeystoreError.Malformed, "crypto.ciphertext has a character that is not a hex digit ('z' at position 63)"),
        ["long ciphertext"] = (j => SetCrypto(j, "ciphertext", new string('0', 66)), KeystoreError.Malformed, "crypto.ciphertext has 33 bytes; want 1 to 32"),
        ["no iv"] = (j => { j["crypto"]!["cipherparams"]!.AsObject().Remove("iv"); return j.ToJsonString(); }, KeystoreError.Malformed, "keystore has no crypto.cipherparams.iv field"),
        ["short iv"] = (j => { j["crypto"]!["cipherparams"]!["iv"] = "00"; return j.ToJsonString(); }, KeystoreError.Malformed, "crypto.cipherparams.iv has 1 bytes; want 16"),
        ["argon2"] = (j => SetCrypto(j, "kdf", "argon2id"), KeystoreError.Unsupported, "crypto.kdf 'argon2id' is not supported; only 'scrypt' and 'pbkdf2'"),
        ["no kdfparams"] = (j => RemoveCrypto(j, "kdfparams"), KeystoreError.Malformed, "keystore has no crypto.kdfparams field"),
        ["no n"] = (j => RemoveKdf(j, "n"), KeystoreError.Malformed, "keystore has no crypto.kdfparams.n field"),
        ["n string"] = (j => SetKdf(j, "n", "4096"), KeystoreError.Malformed, "crypto.kdfparams.n must be an integer, got a string"),
        ["n not power of two"] = (j => SetKdf(j, "n", 4000), KeystoreError.Malformed, "crypto.kdfparams: scrypt N must be a power of two greater than 1, got 4000"),
        ["n huge"] = (j => SetKdf(j, "n", 1L << 20), KeystoreError.TooExpensive, "crypto.kdfparams: scrypt N = 1048576, r = 8, p = 1 needs 1024 MiB of memory, above the limit of 256 MiB"),
        ["p huge"] = (j => SetKdf(j, "p", 100_000), KeystoreError.TooExpensive, "crypto.kdfparams: scrypt N·r·p = 4096·8·100000 is above the work limit"),
        ["dklen 16"] = (j => SetKdf(j, "dklen", 16), KeystoreError.Unsupported, "crypto.kdfparams.dklen is 16; only 32 is supported"),
        ["no salt"] = (j => RemoveKdf(j, "salt"), KeystoreError.Malformed, "keystore has no crypto.kdfparams.salt field"),
        ["empty salt"] = (j => SetKdf(j, "salt", ""), KeystoreError.Malformed, "crypto.kdfparams.salt has 0 bytes; want 1 to 1024"),
        ["duplicate n"] = (j => j.ToJsonString().Replace("\"n\":4096", "\"n\":4096,\"N\":2", StringComparison.Ordinal), KeystoreError.Malformed, "keystore has the field crypto.kdfparams.n twice"),
        ["wrong address"] = (j => Set(j, "address", "70997970c51812dc3a010c7d01b50e0d17dc79c8"), KeystoreError.AddressMismatch,
            "the address field 0x70997970c51812dc3a010c7d01b50e0d17dc79c8 does not match the key's address 0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
        ["short address"] = (j => Set(j, "address", "f39fd6"), KeystoreError.Malformed, "address has 3 bytes; want 20"),
        ["changed ciphertext"] = (j => SetCrypto(j, "ciphertext", new string('1', 64)), KeystoreError.WrongPassphrase, "wrong passphrase: MAC mismatch"),
        ["too large"] = (j => Set(j, "padding", new string(' ', 70_000)), KeystoreError.Malformed, "keystore is "),
    };

    [Theory]
    [MemberData(nameof(DefectNames))]
    public void A_defective_keystore_is_refused_with_an_error_naming_the_field(string name)
    {
        (Func<JsonObject, string> mutate, KeystoreError kind, string expected) = s_defects[name];
        string json = mutate(JsonNode.Parse(s_light.Value)!.AsObject());
        var secret = new byte[32];

        Assert.False(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(json), "correct horse", secret, out KeystoreError error, out string? message));

        Assert.Equal(kind, error);
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
        Assert.All(secret, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("hmac-sha512", KeystoreError.Unsupported, "crypto.kdfparams.prf 'hmac-sha512' is not supported; only 'hmac-sha256'")]
    [InlineData("c=0", KeystoreError.Malformed, "crypto.kdfparams.c must be at least 1, got 0")]
    [InlineData("c=huge", KeystoreError.TooExpensive, "crypto.kdfparams.c is 10000000; at most 4194304 PBKDF2 iterations are accepted")]
    [InlineData("no c", KeystoreError.Malformed, "keystore has no crypto.kdfparams.c field")]
    public void A_defective_pbkdf2_keystore_is_refused_with_the_reason(string defect, KeystoreError kind, string expected)
    {
        JsonObject json = JsonNode.Parse(s_vectors["definition pbkdf2"].Json)!.AsObject();
        JsonObject kdf = json["crypto"]!["kdfparams"]!.AsObject();
        switch (defect)
        {
            case "hmac-sha512": kdf["prf"] = "hmac-sha512"; break;
            case "c=0": kdf["c"] = 0; break;
            case "c=huge": kdf["c"] = 10_000_000; break;
            case "no c": kdf.Remove("c"); break;
        }

        Assert.False(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(json.ToJsonString()), "testpassword", new byte[32], out KeystoreError error, out string? message));

        Assert.Equal(kind, error);
        Assert.Equal(expected, message);
    }

    [Fact]
    public void Aes_ctr_gives_the_nist_sp800_38a_ctr_aes128_vector()
    {
        // NIST SP 800-38A, F.5.1 CTR-AES128.Encrypt: the counter goes from ...fdfeff to ...fdff00, so it carries.
        byte[] key = Convert.FromHexString("2b7e151628aed2a6abf7158809cf4f3c");
        byte[] counter = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        byte[] plaintext = Convert.FromHexString(
            "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
        var ciphertext = new byte[plaintext.Length];

        AesCtr.Transform(key, counter, plaintext, ciphertext);

        Assert.Equal(
            "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
            Convert.ToHexStringLower(ciphertext));
        var back = new byte[plaintext.Length];
        AesCtr.Transform(key, counter, ciphertext, back);
        Assert.Equal(plaintext, back);
    }

    [Fact]
    public void An_invalid_secret_key_is_not_encrypted()
    {
        Assert.Throws<ArgumentException>(() => Keystore.Encrypt(new byte[32], "x", ScryptCost.Light));
        Assert.Throws<ArgumentException>(() => Keystore.Encrypt(new byte[31], "x", ScryptCost.Light));
    }

    [NodeFact]
    public void Ethers_decrypts_our_keystore_to_the_same_key_and_address()
    {
        JsonObject answer = EthersOracle.AskOne(new JsonObject
        {
            ["op"] = "decryptKeystore",
            ["json"] = Encoding.UTF8.GetString(s_light.Value),
            ["password"] = "correct horse",
        });

        Assert.Equal(AnvilAddress0, answer["address"]!.GetValue<string>());
        Assert.Equal("0x" + AnvilKey0, answer["privateKey"]!.GetValue<string>());
    }

    [NodeFact]
    public void We_decrypt_a_keystore_ethers_wrote()
    {
        string json = EthersOracle.AskOne(new JsonObject
        {
            ["op"] = "encryptKeystore",
            ["privateKey"] = "0x" + AnvilKey0,
            ["password"] = "pässwörd ✓",
            ["n"] = 4096,
        })["json"]!.GetValue<string>();
        _output.WriteLine(json);
        var secret = new byte[32];

        // ethers NFKC-normalizes the passphrase; this one is already NFKC, so the UTF-8 bytes agree.
        Assert.True(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(json), "pässwörd ✓", secret, out _, out string? message), message);

        Assert.Equal(AnvilKey0, Convert.ToHexStringLower(secret));
        Assert.False(Keystore.TryDecrypt(Encoding.UTF8.GetBytes(json), "passwörd ✓", secret, out KeystoreError error, out _));
        Assert.Equal(KeystoreError.WrongPassphrase, error);
    }

    [NodeFact]
    public void With_the_same_salt_and_iv_ethers_and_we_write_the_same_ciphertext_and_mac()
    {
        byte[] salt = Convert.FromHexString("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        byte[] iv = Convert.FromHexString("ffffffffffffffffffffffffffffffff"); // the second block's counter wraps to 0
        var id = Guid.Parse("00112233-4455-4677-8899-aabbccddeeff");

        KeystoreJson ours = Keystore.Encrypt(Convert.FromHexString(AnvilKey0), "pw", ScryptCost.Light, salt, iv, id);
        JsonNode theirs = JsonNode.Parse(EthersOracle.AskOne(new JsonObject
        {
            ["op"] = "encryptKeystore",
            ["privateKey"] = "0x" + AnvilKey0,
            ["password"] = "pw",
            ["n"] = 4096,
            ["salt"] = "0x" + Convert.ToHexStringLower(salt),
            ["iv"] = "0x" + Convert.ToHexStringLower(iv),
            ["uuid"] = "0x" + id.ToString("N"),
        })["json"]!.GetValue<string>())!;
        JsonNode mine = JsonNode.Parse(ours.ToUtf8Json())!;

        Assert.Equal(theirs["Crypto"]!["ciphertext"]!.GetValue<string>(), mine["crypto"]!["ciphertext"]!.GetValue<string>());
        Assert.Equal(theirs["Crypto"]!["mac"]!.GetValue<string>(), mine["crypto"]!["mac"]!.GetValue<string>());
        Assert.Equal(theirs["address"]!.GetValue<string>(), mine["address"]!.GetValue<string>());
        Assert.Equal(theirs["id"]!.GetValue<string>(), mine["id"]!.GetValue<string>());
    }

    private static string Set(JsonObject json, string name, JsonNode? value)
    {
        json[name] = value;
        return json.ToJsonString();
    }

    private static string Remove(JsonObject json, string name)
    {
        json.Remove(name);
        return json.ToJsonString();
    }

    private static string SetCrypto(JsonObject json, string name, JsonNode? value)
    {
        json["crypto"]![name] = value;
        return json.ToJsonString();
    }

    private static string RemoveCrypto(JsonObject json, string name)
    {
        json["crypto"]!.AsObject().Remove(name);
        return json.ToJsonString();
    }

    private static string SetKdf(JsonObject json, string name, JsonNode? value)
    {
        json["crypto"]!["kdfparams"]![name] = value;
        return json.ToJsonString();
    }

    private static string RemoveKdf(JsonObject json, string name)
    {
        json["crypto"]!["kdfparams"]!.AsObject().Remove(name);
        return json.ToJsonString();
    }
}
