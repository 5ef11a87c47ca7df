using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Tests.Support;

namespace NexusFast.Engine.Tests.Crypto.Keys;

/// <summary>The small primitives under BIP-32: RIPEMD-160 (key fingerprints) and Base58Check (xprv/xpub strings).</summary>
public class HashAndEncodingTests
{
    [Theory]
    // The test vectors of the RIPEMD-160 paper (Dobbertin, Bosselaers, Preneel), appendix B.
    [InlineData("", "9c1185a5c5e9fc54612808977ee8f548b2258d31")]
    [InlineData("a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe")]
    [InlineData("abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")]
    [InlineData("message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "b0e20b6e3116640286ed3a87a5713079b21f5189")]
    public void Ripemd160_gives_the_papers_test_vectors(string message, string expected)
    {
        var hash = new byte[Ripemd160.HashLength];

        Ripemd160.Hash(Encoding.ASCII.GetBytes(message), hash);

        Assert.Equal(expected, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Ripemd160_of_a_million_a_gives_the_papers_vector()
    {
        var hash = new byte[Ripemd160.HashLength];

        Ripemd160.Hash(Enumerable.Repeat((byte)'a', 1_000_000).ToArray(), hash);

        Assert.Equal("52783243c1697bdbe16d37f97f68f08325dc1528", Convert.ToHexStringLower(hash));
    }

    [NodeFact]
    public void Ripemd160_matches_ethers_on_every_length_around_the_block_and_padding_boundaries()
    {
        var random = new Random(160);
        byte[][] inputs = [.. Enumerable.Range(0, 140).Select(length =>
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        })];

        JsonArray answers = EthersOracle.Ask([.. inputs.Select(input => new JsonObject
        {
            ["op"] = "ripemd160",
            ["data"] = "0x" + Convert.ToHexStringLower(input),
        })]);

        var hash = new byte[Ripemd160.HashLength];
        for (int i = 0; i < inputs.Length; i++)
        {
            Ripemd160.Hash(inputs[i], hash);
            Assert.Equal(answers[i]!["hash"]!.GetValue<string>(), "0x" + Convert.ToHexStringLower(hash));
        }
    }

    [Theory]
    // Bitcoin's version-0 address of the all-zero HASH160, and of HASH160 0x01..: well-known Base58Check strings.
    [InlineData("000000000000000000000000000000000000000000", "1111111111111111111114oLvT2")]
    [InlineData("00010966776006953d5567439e5e39f86a0d273bee", "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM")]
    public void Base58Check_encodes_known_payloads(string payloadHex, string expected)
    {
        byte[] payload = Convert.FromHexString(payloadHex);

        Assert.Equal(expected, Base58Check.Encode(payload));
        var decoded = new byte[payload.Length];
        Assert.True(Base58Check.TryDecode(expected, decoded, out string? error), error);
        Assert.Equal(payload, decoded);
    }

    [Fact]
    public void Base58Check_round_trips_any_payload()
    {
        Gen<byte[]> payloads =
            from length in Gen.Choose(0, 90)
            from zeros in Gen.Choose(0, 3)
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
            select new byte[Math.Min(zeros, 3)].Concat(bytes).ToArray();

        Prop.ForAll(payloads.ToArbitrary(), payload =>
        {
            string text = Base58Check.Encode(payload);
            var decoded = new byte[payload.Length];
            Assert.True(Base58Check.TryDecode(text, decoded, out string? error), error);
            Assert.Equal(payload, decoded);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Base58Check_refuses_a_changed_character()
    {
        var decoded = new byte[21];

        Assert.False(Base58Check.TryDecode("16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvN", decoded, out string? error));

        Assert.Equal("Base58Check checksum does not match (a character is mistyped)", error);
        Assert.All(decoded, b => Assert.Equal(0, b));
    }
}
