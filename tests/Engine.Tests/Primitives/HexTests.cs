using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Primitives;

public class HexTests
{
    [Theory]
    [InlineData("0x0", 0UL)]
    [InlineData("0x1", 1UL)]
    [InlineData("0x41", 65UL)]
    [InlineData("0x400", 1024UL)]
    [InlineData("0xffffffffffffffff", ulong.MaxValue)]
    public void Quantities_parse_by_the_json_rpc_rules(string text, ulong expected)
    {
        Assert.True(Hex.TryParseQuantity(text, out ulong value, out _));
        Assert.Equal(expected, value);
        Assert.Equal(text, Hex.ToQuantity(value));
        Assert.True(Hex.TryParseQuantity(text, out UInt256 wide, out _));
        Assert.Equal(new UInt256(expected), wide);
        Assert.Equal(text, Hex.ToQuantity(wide));
    }

    [Theory]
    [InlineData("0x", "zero is \"0x0\"")]
    [InlineData("0x0400", "leading zero")]
    [InlineData("ff", "without 0x prefix")]
    [InlineData("0xfg", "invalid hex digit 'g'")]
    [InlineData("0x10000000000000000", "larger than 64 bits")]
    public void Invalid_quantities_are_rejected_with_a_reason(string text, string reason)
    {
        Assert.False(Hex.TryParseQuantity(text, out ulong _, out string? error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_256_bit_quantity_round_trips_and_one_digit_more_is_rejected()
    {
        string max = "0x" + new string('f', 64);
        Assert.True(Hex.TryParseQuantity(max, out UInt256 value, out _));
        Assert.Equal(UInt256.MaxValue, value);
        Assert.Equal(max, Hex.ToQuantity(value));
        Assert.False(Hex.TryParseQuantity("0x1" + new string('0', 64), out UInt256 _, out string? error));
        Assert.Contains("256 bits", error);
    }

    [Theory]
    [InlineData("0x", new byte[0])]
    [InlineData("0x00", new byte[] { 0 })]
    [InlineData("0x0aFF", new byte[] { 0x0a, 0xff })]
    public void Data_round_trips_in_lowercase(string text, byte[] expected)
    {
        Assert.Equal(expected, Hex.ParseData(text));
        Assert.Equal(text.ToLowerInvariant(), Hex.ToHexData(expected));
    }

    [Theory]
    [InlineData("0x0", "odd length")]
    [InlineData("0xzz", "invalid hex digit at position 2")]
    [InlineData("00", "without 0x prefix")]
    public void Invalid_data_is_rejected_with_a_reason(string text, string reason)
    {
        Assert.False(Hex.TryParseData(text, out _, out string? error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Hashes_and_addresses_parse_only_at_their_exact_length()
    {
        string hash = "0x" + new string('a', 63) + "b";
        Assert.Equal(hash, Hash256.Parse(hash).ToString());
        Assert.False(Hash256.TryParse("0x" + new string('a', 62), out _, out string? error));
        Assert.Contains("want 64", error);
        string address = "0x00000000000000000000000000000000000000Ff";
        Assert.Equal(address.ToLowerInvariant(), Address.Parse(address).ToString());
        Assert.False(Address.TryParse(address + "00", out _, out _));
    }

    [Fact]
    public void Hash_bytes_and_bits_follow_big_endian_order()
    {
        var bytes = new byte[32];
        bytes[0] = 0x80;
        bytes[31] = 0x01;
        var hash = new Hash256(bytes);
        Assert.Equal(bytes, hash.Bytes.ToArray());
        Assert.Equal(1, hash.GetBit(0));
        Assert.Equal(0, hash.GetBit(1));
        Assert.Equal(1, hash.GetBit(255));
        Assert.Equal(UInt256.One | (UInt256.One << 255), hash.ToUInt256());
        Assert.Equal(hash, Hash256.FromUInt256(hash.ToUInt256()));
    }
}
