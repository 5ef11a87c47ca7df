using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Tests.Support;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Crypto.Keys;

public class Bip39Tests
{
    // BIP-39 reference vectors (trezor/python-mnemonic vectors.json, passphrase "TREZOR"): entropy, phrase, seed,
    // master xprv. Each checked against ethers 6.17.0 when written down.
    private static readonly Dictionary<string, (string Entropy, string Phrase, string Seed, string Xprv)> s_trezor = new()
    {
        ["all-zero 128-bit"] = (
            "00000000000000000000000000000000",
            "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
            "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
            "xprv9s21ZrQH143K3h3fDYiay8mocZ3afhfULfb5GX8kCBdno77K4HiA15Tg23wpbeF1pLfs1c5SPmYHrEpTuuRhxMwvKDwqdKiGJS9XFKzUsAF"),
        ["7f 128-bit"] = (
            "7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f",
            "legal winner thank year wave sausage worth useful legal winner thank yellow",
            "2e8905819b8723fe2c1d161860e5ee1830318dbf49a83bd451cfb8440c28bd6fa457fe1296106559a3c80937a1c1069be3a3a5bd381ee6260e8d9739fce1f607",
            ""),
        ["all-ff 256-bit"] = (
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",
            "dd48c104698c30cfe2b6142103248622fb7bb0ff692eebb00089b32d22484e1613912f0a5b694407be899ffd31ed3992c456cdf60f5d4564b8ba3f05a69890ad",
            ""),
    };

    private readonly ITestOutputHelper _output;

    public Bip39Tests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> TrezorNames() => [.. s_trezor.Keys];

    [Theory]
    [MemberData(nameof(TrezorNames))]
    public void Reference_entropy_gives_the_reference_phrase_seed_and_master_key(string name)
    {
        (string entropy, string phrase, string seed, string xprv) = s_trezor[name];

        Mnemonic mnemonic = Mnemonic.FromEntropy(Convert.FromHexString(entropy));

        Assert.Equal(phrase, mnemonic.Phrase);
        byte[] derived = mnemonic.DeriveSeed("TREZOR");
        Assert.Equal(seed, Convert.ToHexStringLower(derived));
        if (xprv.Length > 0) Assert.Equal(xprv, ExtendedKey.FromSeed(derived).ToXprv());
        var back = new byte[mnemonic.EntropyLength];
        Mnemonic.Parse(phrase).CopyEntropy(back);
        Assert.Equal(entropy, Convert.ToHexStringLower(back));
    }

    [Fact]
    public void The_word_list_has_known_words_at_known_places()
    {
        Assert.Equal("abandon", Bip39Wordlist.GetWord(0));
        Assert.Equal("about", Bip39Wordlist.GetWord(3));
        Assert.Equal("zoo", Bip39Wordlist.GetWord(Bip39Wordlist.Count - 1));
        Assert.True(Bip39Wordlist.TryGetIndex("test", out int test));
        Assert.Equal("test", Bip39Wordlist.GetWord(test));
        Assert.True(Bip39Wordlist.TryGetIndex("junk", out int junk));
        Assert.Equal("junk", Bip39Wordlist.GetWord(junk));
        Assert.False(Bip39Wordlist.TryGetIndex("Test", out _));
        Assert.False(Bip39Wordlist.TryGetIndex("tes", out _));
        Assert.False(Bip39Wordlist.TryGetIndex("", out _));
    }

    [NodeFact]
    public void The_word_list_is_the_one_ethers_ships()
    {
        JsonArray words = EthersOracle.AskOne(new JsonObject { ["op"] = "wordlist" })["words"]!.AsArray();

        Assert.Equal(Bip39Wordlist.Count, words.Count);
        for (int i = 0; i < Bip39Wordlist.Count; i++)
        {
            Assert.Equal(words[i]!.GetValue<string>(), Bip39Wordlist.GetWord(i));
            Assert.True(Bip39Wordlist.TryGetIndex(Bip39Wordlist.GetWord(i), out int index));
            Assert.Equal(i, index);
        }
    }

    [Fact]
    public void The_standard_test_mnemonic_is_valid()
    {
        Mnemonic mnemonic = Mnemonic.Parse(EthereumHdAccounts.TestMnemonic);

        Assert.Equal(12, mnemonic.WordCount);
        Assert.Equal(16, mnemonic.EntropyLength);
    }

    [Fact]
    public void Parsing_ignores_case_and_extra_white_space_and_gives_the_canonical_phrase()
    {
        Mnemonic mnemonic = Mnemonic.Parse("  Test test\ttest  test test test test test test test test\n JUNK ");

        Assert.Equal(EthereumHdAccounts.TestMnemonic, mnemonic.Phrase);
    }

    [Theory]
    [InlineData("test test test test test test test test test test test", "mnemonic has 11 words; want 12, 15, 18, 21 or 24")]
    [InlineData("", "mnemonic has 0 words")]
    [InlineData("test test test test test test test test test test test junk junk", "mnemonic has 13 words")]
    [InlineData("test test test test tset test test test test test test junk", "word 5 'tset' is not in the BIP-39 English word list")]
    [InlineData("test test test test test test test test test test test testing", "word 12 'testing' is not in the BIP-39 English word list")]
    [InlineData("test test test test test test test test test test test tëst", "word 12 'tëst' is not in the BIP-39 English word list")]
    [InlineData("test test test test test test test test test test test test", "mnemonic checksum does not match")]
    [InlineData("junk test test test test test test test test test test test", "mnemonic checksum does not match")]
    public void Invalid_mnemonics_are_refused_with_the_reason(string text, string expected)
    {
        Assert.False(Mnemonic.TryParse(text, out Mnemonic? mnemonic, out string? error));

        Assert.Null(mnemonic);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<FormatException>(() => Mnemonic.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_the_last_checksum_bit_makes_a_mnemonic_invalid_for_every_length()
    {
        // The last word's low bits are the checksum (4 bits for 12 words up to 8 for 24); flipping its lowest bit
        // changes only the last checksum bit.
        Gen<byte[]> entropies =
            from words in Gen.Elements(12, 15, 18, 21, 24)
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), words * 4 / 3)
            select bytes;

        Prop.ForAll(entropies.ToArbitrary(), entropy =>
        {
            string[] words = Mnemonic.FromEntropy(entropy).Phrase.Split(' ');
            Assert.True(Bip39Wordlist.TryGetIndex(words[^1], out int last));
            words[^1] = Bip39Wordlist.GetWord(last ^ 1);
            Assert.False(Mnemonic.TryParse(string.Join(' ', words), out _, out string? error));
            Assert.Equal("mnemonic checksum does not match (the last word is wrong, or the words are out of order)", error);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void More_than_24_words_are_refused()
    {
        string text = string.Join(' ', Enumerable.Repeat("abandon", 25));

        Assert.False(Mnemonic.TryParse(text, out _, out string? error));

        Assert.Equal("mnemonic has more than 24 words; want 12, 15, 18, 21 or 24", error);
    }

    [Fact]
    public void Entropy_round_trips_through_the_phrase_for_every_length()
    {
        Gen<byte[]> entropies =
            from words in Gen.Elements(12, 15, 18, 21, 24)
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), words * 4 / 3)
            select bytes;

        Prop.ForAll(entropies.ToArbitrary(), entropy =>
        {
            Mnemonic mnemonic = Mnemonic.FromEntropy(entropy);
            Assert.True(Mnemonic.TryParse(mnemonic.Phrase, out Mnemonic? parsed, out string? error), error);
            Assert.Equal(entropy.Length * 3 / 4, parsed.WordCount);
            var back = new byte[parsed.EntropyLength];
            parsed.CopyEntropy(back);
            Assert.Equal(entropy, back);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(18)]
    [InlineData(21)]
    [InlineData(24)]
    public void Generated_mnemonics_have_the_asked_number_of_words_and_parse(int words)
    {
        Mnemonic first = Mnemonic.Generate(words);
        Mnemonic second = Mnemonic.Generate(words);

        Assert.Equal(words, first.WordCount);
        Assert.True(Mnemonic.TryParse(first.Phrase, out _, out string? error), error);
        Assert.NotEqual(first.Phrase, second.Phrase);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(27)]
    public void Generating_refuses_word_counts_bip39_does_not_define(int words)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Mnemonic.Generate(words));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(33)]
    public void Entropy_of_a_length_bip39_does_not_define_is_refused(int length)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => Mnemonic.FromEntropy(new byte[length]));

        Assert.Contains($"got {length}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_ascii_passphrase_is_refused_rather_than_hashed_without_nfkd()
    {
        Mnemonic mnemonic = Mnemonic.Parse(EthereumHdAccounts.TestMnemonic);
        var seed = new byte[Bip39.SeedLength];

        Assert.False(Bip39.TryDeriveSeed(mnemonic.Phrase, "pässword", seed, out string? error));

        Assert.StartsWith("passphrase has a non-ASCII character (U+00E4 at position 2)", error, StringComparison.Ordinal);
        Assert.All(seed, b => Assert.Equal(0, b));
        Assert.Throws<ArgumentException>(() => mnemonic.DeriveSeed("pässword"));
    }

    [Fact]
    public void String_normalization_silently_does_nothing_in_this_build_which_is_why_non_ascii_is_refused()
    {
        // InvariantGlobalization (Directory.Build.props) leaves .NET without Unicode data: Normalize returns its input
        // unchanged instead of throwing. NFKD of full-width "ｔｅｓｔ" is "test"; here it stays full-width. If this test
        // ever fails, normalization works and Bip39 could normalize instead of refusing non-ASCII text.
        Assert.Equal("ｔｅｓｔ", "ｔｅｓｔ".Normalize(System.Text.NormalizationForm.FormKD));
        Assert.Equal("\u00e9", "\u00e9".Normalize(System.Text.NormalizationForm.FormKD));
    }

    [Fact]
    public void The_seed_of_an_arbitrary_sentence_does_not_need_the_word_list()
    {
        // BIP-39 defines the seed for any sentence; PBKDF2-HMAC-SHA512 with salt "mnemonic" + passphrase, 2048 rounds.
        byte[] expected = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            "not a mnemonic"u8, "mnemonicpass"u8, 2048, System.Security.Cryptography.HashAlgorithmName.SHA512, 64);

        Assert.Equal(expected, Bip39.DeriveSeed("not a mnemonic", "pass"));
    }

    [NodeFact]
    public void Phrases_seeds_and_keys_match_ethers_for_random_entropy_and_passphrases()
    {
        var random = new Random(39);
        string[] paths = ["m", "m/0", "m/44'/60'/0'/0/0", "m/44'/60'/0'/0/17", "m/2147483647'/2147483647/1'"];
        var cases = new List<(byte[] Entropy, string Passphrase)>();
        var requests = new List<JsonObject>();
        for (int i = 0; i < 20; i++)
        {
            var entropy = new byte[(12 + 3 * (i % 5)) * 4 / 3];
            random.NextBytes(entropy);
            string passphrase = i % 3 == 0 ? "" : $"pass {random.Next()} ~!@#$%^&*()";
            cases.Add((entropy, passphrase));
            requests.Add(new JsonObject
            {
                ["op"] = "mnemonic",
                ["entropy"] = "0x" + Convert.ToHexStringLower(entropy),
                ["passphrase"] = passphrase,
                ["paths"] = new JsonArray([.. paths.Select(p => (JsonNode)p)]),
            });
        }

        JsonArray answers = EthersOracle.Ask([.. requests]);

        int keys = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            JsonObject answer = answers[i]!.AsObject();
            Mnemonic mnemonic = Mnemonic.FromEntropy(cases[i].Entropy);
            Assert.Equal(answer["phrase"]!.GetValue<string>(), mnemonic.Phrase);
            byte[] seed = mnemonic.DeriveSeed(cases[i].Passphrase);
            Assert.Equal(answer["seed"]!.GetValue<string>(), "0x" + Convert.ToHexStringLower(seed));
            using ExtendedKey master = ExtendedKey.FromSeed(seed);
            foreach (JsonNode? node in answer["keys"]!.AsArray())
            {
                using ExtendedKey key = master.Derive(KeyPath.Parse(node!["path"]!.GetValue<string>()));
                Assert.Equal(node["privateKey"]!.GetValue<string>(), "0x" + Convert.ToHexStringLower(key.PrivateKey));
                Assert.Equal(node["address"]!.GetValue<string>(), key.Address.ToChecksumHex());
                Assert.Equal(node["xprv"]!.GetValue<string>(), key.ToXprv());
                keys++;
            }
        }
        _output.WriteLine($"{cases.Count} mnemonics, {keys} derived keys compared with ethers");
    }
}
