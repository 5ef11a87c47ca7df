using System.Text.Json.Nodes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Tests.Support;

namespace NexusFast.Engine.Tests.Crypto.Keys;

public class Bip32Tests
{
    // BIP-32 "Test Vectors", vectors 1 and 2: seed, then (chain, ext pub, ext prv) for each chain.
    private const string Seed1 = "000102030405060708090a0b0c0d0e0f";
    private const string Seed2 =
        "fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542";

    private static readonly Dictionary<string, (string Seed, string Path, string Xpub, string Xprv)> s_vectors = new()
    {
        ["1 m"] = (Seed1, "m",
            "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8",
            "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi"),
        ["1 m/0H"] = (Seed1, "m/0'",
            "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
            "xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7"),
        ["1 m/0H/1"] = (Seed1, "m/0'/1",
            "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ",
            "xprv9wTYmMFdV23N2TdNG573QoEsfRrWKQgWeibmLntzniatZvR9BmLnvSxqu53Kw1UmYPxLgboyZQaXwTCg8MSY3H2EU4pWcQDnRnrVA1xe8fs"),
        ["1 m/0H/1/2H"] = (Seed1, "m/0'/1/2'",
            "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
            "xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM"),
        ["1 m/0H/1/2H/2"] = (Seed1, "m/0'/1/2'/2",
            "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV",
            "xprvA2JDeKCSNNZky6uBCviVfJSKyQ1mDYahRjijr5idH2WwLsEd4Hsb2Tyh8RfQMuPh7f7RtyzTtdrbdqqsunu5Mm3wDvUAKRHSC34sJ7in334"),
        ["1 m/0H/1/2H/2/1000000000"] = (Seed1, "m/0'/1/2'/2/1000000000",
            "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy",
            "xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76"),
        ["2 m"] = (Seed2, "m",
            "xpub661MyMwAqRbcFW31YEwpkMuc5THy2PSt5bDMsktWQcFF8syAmRUapSCGu8ED9W6oDMSgv6Zz8idoc4a6mr8BDzTJY47LJhkJ8UB7WEGuduB",
            "xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U"),
        ["2 m/0"] = (Seed2, "m/0",
            "xpub69H7F5d8KSRgmmdJg2KhpAK8SR3DjMwAdkxj3ZuxV27CprR9LgpeyGmXUbC6wb7ERfvrnKZjXoUmmDznezpbZb7ap6r1D3tgFxHmwMkQTPH",
            "xprv9vHkqa6EV4sPZHYqZznhT2NPtPCjKuDKGY38FBWLvgaDx45zo9WQRUT3dKYnjwih2yJD9mkrocEZXo1ex8G81dwSM1fwqWpWkeS3v86pgKt"),
        ["2 m/0/2147483647H"] = (Seed2, "m/0/2147483647'",
            "xpub6ASAVgeehLbnwdqV6UKMHVzgqAG8Gr6riv3Fxxpj8ksbH9ebxaEyBLZ85ySDhKiLDBrQSARLq1uNRts8RuJiHjaDMBU4Zn9h8LZNnBC5y4a",
            "xprv9wSp6B7kry3Vj9m1zSnLvN3xH8RdsPP1Mh7fAaR7aRLcQMKTR2vidYEeEg2mUCTAwCd6vnxVrcjfy2kRgVsFawNzmjuHc2YmYRmagcEPdU9"),
        ["2 m/0/2147483647H/1"] = (Seed2, "m/0/2147483647'/1",
            "xpub6DF8uhdarytz3FWdA8TvFSvvAh8dP3283MY7p2V4SeE2wyWmG5mg5EwVvmdMVCQcoNJxGoWaU9DCWh89LojfZ537wTfunKau47EL2dhHKon",
            "xprv9zFnWC6h2cLgpmSA46vutJzBcfJ8yaJGg8cX1e5StJh45BBciYTRXSd25UEPVuesF9yog62tGAQtHjXajPPdbRCHuWS6T8XA2ECKADdw4Ef"),
        ["2 m/0/2147483647H/1/2147483646H"] = (Seed2, "m/0/2147483647'/1/2147483646'",
            "xpub6ERApfZwUNrhLCkDtcHTcxd75RbzS1ed54G1LkBUHQVHQKqhMkhgbmJbZRkrgZw4koxb5JaHWkY4ALHY2grBGRjaDMzQLcgJvLJuZZvRcEL",
            "xprvA1RpRA33e1JQ7ifknakTFpgNXPmW2YvmhqLQYMmrj4xJXXWYpDPS3xz7iAxn8L39njGVyuoseXzU6rcxFLJ8HFsTjSyQbLYnMpCqE2VbFWc"),
        ["2 m/0/2147483647H/1/2147483646H/2"] = (Seed2, "m/0/2147483647'/1/2147483646'/2",
            "xpub6FnCn6nSzZAw5Tw7cgR9bi15UV96gLZhjDstkXXxvCLsUXBGXPdSnLFbdpq8p9HmGsApME5hQTZ3emM2rnY5agb9rXpVGyy3bdW6EEgAtqt",
            "xprvA2nrNbFZABcdryreWet9Ea4LvTJcGsqrMzxHx98MMrotbir7yrKCEXw7nadnHM8Dq38EGfSh6dqA9QWTyefMLEcBYJUuekgW4BYPJcr9E7j"),
    };

    // anvil / hardhat default accounts for the test mnemonic (CLIENTS.md, "Dev-node conventions").
    private static readonly (int Index, string Address, string Key)[] s_anvil =
    [
        (0, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
        (1, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", ""),
        (2, "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", ""),
    ];

    public static TheoryData<string> VectorNames() => [.. s_vectors.Keys];

    public static TheoryData<int> AnvilIndexes() => [.. s_anvil.Select(a => a.Index)];

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Official_test_vector_chain_gives_the_published_xprv_and_xpub(string name)
    {
        (string seed, string path, string xpub, string xprv) = s_vectors[name];
        using ExtendedKey master = ExtendedKey.FromSeed(Convert.FromHexString(seed));

        using ExtendedKey key = master.Derive(KeyPath.Parse(path));

        Assert.Equal(xprv, key.ToXprv());
        Assert.Equal(xpub, key.ToXpub());
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Official_test_vector_xprv_parses_back_to_the_same_key(string name)
    {
        string xprv = s_vectors[name].Xprv;

        Assert.True(ExtendedKey.TryParseXprv(xprv, out ExtendedKey? key, out string? error), error);

        using (key)
        {
            Assert.Equal(xprv, key.ToXprv());
            Assert.Equal(s_vectors[name].Xpub, key.ToXpub());
            Assert.Equal(KeyPath.Parse(s_vectors[name].Path).Depth, key.Depth);
        }
    }

    [Theory]
    [MemberData(nameof(AnvilIndexes))]
    public void The_test_mnemonic_gives_anvils_accounts(int index)
    {
        (_, string address, string privateKey) = s_anvil[index];
        using ExtendedKey master = ExtendedKey.FromMnemonic(Mnemonic.Parse(EthereumHdAccounts.TestMnemonic));

        using ExtendedKey key = master.Derive(KeyPath.Parse($"m/44'/60'/0'/0/{index}"));

        Assert.Equal(address, key.Address.ToChecksumHex());
        if (privateKey.Length > 0) Assert.Equal(privateKey, Convert.ToHexStringLower(key.PrivateKey));
    }

    [Fact]
    public void Ten_dev_accounts_match_one_path_derivation_each()
    {
        Mnemonic mnemonic = Mnemonic.Parse(EthereumHdAccounts.TestMnemonic);

        HdAccount[] accounts = EthereumHdAccounts.Derive(mnemonic, 10);

        Assert.Equal(10, accounts.Length);
        Assert.Equal(s_anvil[0].Address, accounts[0].Address.ToChecksumHex());
        Assert.Equal(s_anvil[2].Address, accounts[2].Address.ToChecksumHex());
        using ExtendedKey master = ExtendedKey.FromMnemonic(mnemonic);
        for (int i = 0; i < accounts.Length; i++)
        {
            using ExtendedKey key = master.Derive(KeyPath.EthereumAccount(i));
            Assert.Equal(i, accounts[i].Index);
            Assert.Equal(key.PrivateKey.ToArray(), accounts[i].PrivateKey);
            Assert.Equal(key.Address, accounts[i].Address);
        }
        Assert.Equal(10, accounts.Select(a => a.Address).Distinct().Count());
    }

    [Fact]
    public void Accounts_can_start_at_any_index()
    {
        Mnemonic mnemonic = Mnemonic.Parse(EthereumHdAccounts.TestMnemonic);

        HdAccount[] accounts = EthereumHdAccounts.Derive(mnemonic, 2, firstIndex: 1);

        Assert.Equal(s_anvil[1].Address, accounts[0].Address.ToChecksumHex());
        Assert.Equal(s_anvil[2].Address, accounts[1].Address.ToChecksumHex());
    }

    [Fact]
    public void A_passphrase_changes_every_account()
    {
        Mnemonic mnemonic = Mnemonic.Parse(EthereumHdAccounts.TestMnemonic);

        HdAccount[] accounts = EthereumHdAccounts.Derive(mnemonic, 1, passphrase: "x");

        Assert.NotEqual(s_anvil[0].Address, accounts[0].Address.ToChecksumHex());
    }

    [Fact]
    public void A_child_records_its_parents_fingerprint_and_its_index()
    {
        using ExtendedKey master = ExtendedKey.FromSeed(Convert.FromHexString(Seed1));

        using ExtendedKey child = master.DeriveChild(KeyPath.HardenedOffset | 7);

        Assert.Equal(1, child.Depth);
        Assert.Equal(master.Fingerprint, child.ParentFingerprint);
        Assert.Equal(KeyPath.HardenedOffset | 7, child.ChildNumber);
        // BIP-32 vector 1's master key identifier is 3442193e...; its fingerprint is the first four bytes.
        Assert.Equal(0x3442193eu, master.Fingerprint);
    }

    [Fact]
    public void Hardened_and_normal_children_of_the_same_number_differ()
    {
        using ExtendedKey master = ExtendedKey.FromSeed(Convert.FromHexString(Seed1));

        using ExtendedKey normal = master.DeriveChild(5);
        using ExtendedKey hardened = master.DeriveChild(5 | KeyPath.HardenedOffset);

        Assert.NotEqual(normal.PrivateKey.ToArray(), hardened.PrivateKey.ToArray());
    }

    [Fact]
    public void A_path_is_derived_from_the_master_key_only()
    {
        using ExtendedKey master = ExtendedKey.FromSeed(Convert.FromHexString(Seed1));
        using ExtendedKey child = master.DeriveChild(0);

        Assert.False(child.TryDerive(KeyPath.Parse("m/1"), out ExtendedKey? key, out string? error));

        Assert.Null(key);
        Assert.Equal("path m/1 starts at the master key m, but this key has depth 1", error);
    }

    [Fact]
    public void Deriving_the_path_m_gives_an_independent_copy_of_the_master()
    {
        ExtendedKey master = ExtendedKey.FromSeed(Convert.FromHexString(Seed1));

        using ExtendedKey copy = master.Derive(KeyPath.Parse("m"));
        string expected = copy.ToXprv();
        master.Dispose();

        Assert.Equal(s_vectors["1 m"].Xprv, expected);
        Assert.Equal(s_vectors["1 m"].Xprv, copy.ToXprv());
        Assert.Throws<ObjectDisposedException>(() => master.ToXprv());
    }

    [Fact]
    public void A_key_at_depth_255_has_no_children()
    {
        // Serialized key with depth 0xff built by hand (version, depth, fingerprint, child, chain code, 0x00 || key).
        byte[] payload = new byte[ExtendedKey.SerializedLength];
        Convert.FromHexString("0488ADE4").CopyTo(payload, 0);
        payload[4] = 0xff;
        payload[8] = 1;
        payload[^1] = 1; // secret key 1
        Assert.True(ExtendedKey.TryParseXprv(Base58Check.Encode(payload), out ExtendedKey? deep, out string? parseError), parseError);

        Assert.False(deep.TryDeriveChild(0, out ExtendedKey? child, out string? error));

        Assert.Null(child);
        Assert.Equal("a BIP-32 key at depth 255 has no children (the depth is serialized in one byte)", error);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(65)]
    public void A_seed_outside_16_to_64_bytes_is_refused(int length)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ExtendedKey.FromSeed(new byte[length]));

        Assert.Contains($"16 to 64 bytes (128 to 512 bits), got {length}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8",
        "this is an extended public key (xpub); an extended private key (xprv) is needed")]
    [InlineData("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHj",
        "not an extended private key: Base58Check checksum does not match (a character is mistyped)")]
    [InlineData("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPH0",
        "not an extended private key: character '0' at position 111 is not in the Base58 alphabet")]
    // The vector 1 master xprv without its last two characters.
    [InlineData("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMP",
        "not an extended private key: Base58Check text decodes to 80 bytes; want 82 (78 payload + 4 checksum)")]
    public void A_malformed_xprv_is_refused_with_the_reason(string text, string expected)
    {
        Assert.False(ExtendedKey.TryParseXprv(text, out ExtendedKey? key, out string? error));

        Assert.Null(key);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(0, "the private key is 0 or not below the curve order n")]
    [InlineData(1, "the private key field must start with 0x00, got 0x01")]
    [InlineData(2, "a master key (depth 0) must have parent fingerprint 0 and child number 0")]
    [InlineData(3, "unknown extended key version 0x04358394; want 0x0488ade4 (mainnet xprv)")]
    public void An_xprv_with_a_bad_field_is_refused_with_the_reason(int defect, string expected)
    {
        byte[] payload = new byte[ExtendedKey.SerializedLength];
        Convert.FromHexString("0488ADE4").CopyTo(payload, 0);
        payload[^1] = 1;
        switch (defect)
        {
            case 0: payload[^1] = 0; break;                                    // secret key 0
            case 1: payload[45] = 1; break;                                    // private key prefix 0x01
            case 2: payload[8] = 1; break;                                     // depth 0, child number 1
            case 3: Convert.FromHexString("04358394").CopyTo(payload, 0); break; // testnet tprv
        }

        Assert.False(ExtendedKey.TryParseXprv(Base58Check.Encode(payload), out _, out string? error));

        Assert.Equal(expected, error);
    }

    [NodeFact]
    public void Derivations_from_random_seeds_match_ethers()
    {
        var random = new Random(32);
        var requests = new List<JsonObject>();
        var seeds = new List<byte[]>();
        var paths = new List<string[]>();
        for (int i = 0; i < 16; i++)
        {
            var seed = new byte[16 + random.Next(49)];
            random.NextBytes(seed);
            string[] casePaths = [.. Enumerable.Range(0, 4).Select(_ => RandomPath(random))];
            seeds.Add(seed);
            paths.Add(casePaths);
            requests.Add(new JsonObject
            {
                ["op"] = "seed",
                ["seed"] = "0x" + Convert.ToHexStringLower(seed),
                ["paths"] = new JsonArray([.. casePaths.Select(p => (JsonNode)p)]),
            });
        }

        JsonArray answers = EthersOracle.Ask([.. requests]);

        for (int i = 0; i < seeds.Count; i++)
        {
            using ExtendedKey master = ExtendedKey.FromSeed(seeds[i]);
            JsonArray keys = answers[i]!["keys"]!.AsArray();
            for (int k = 0; k < paths[i].Length; k++)
            {
                using ExtendedKey key = master.Derive(KeyPath.Parse(paths[i][k]));
                Assert.Equal(keys[k]!["xprv"]!.GetValue<string>(), key.ToXprv());
                Assert.Equal(keys[k]!["address"]!.GetValue<string>(), key.Address.ToChecksumHex());
            }
        }
    }

    private static string RandomPath(Random random)
    {
        int depth = random.Next(1, 7);
        var text = new System.Text.StringBuilder("m");
        for (int level = 0; level < depth; level++)
        {
            text.Append('/').Append(random.Next(3) == 0 ? random.Next() : random.Next(10));
            if (random.Next(2) == 0) text.Append('\'');
        }
        return text.ToString();
    }
}
