using NexusFast.Engine.Crypto.Keys;

namespace NexusFast.Engine.Tests.Crypto.Keys;

public class KeyPathTests
{
    private const uint H = KeyPath.HardenedOffset;

    [Theory]
    [InlineData("m", new uint[0], "m")]
    [InlineData("m/0", new uint[] { 0 }, "m/0")]
    [InlineData("m/44'/60'/0'/0/7", new uint[] { 44 | H, 60 | H, 0 | H, 0, 7 }, "m/44'/60'/0'/0/7")]
    [InlineData("m/44h/60H/0'/1", new uint[] { 44 | H, 60 | H, 0 | H, 1 }, "m/44'/60'/0'/1")]
    [InlineData("m/2147483647'/2147483647", new uint[] { 0x7FFF_FFFF | H, 0x7FFF_FFFF }, "m/2147483647'/2147483647")]
    public void Valid_paths_parse_to_their_indexes_and_print_back(string text, uint[] indexes, string printed)
    {
        Assert.True(KeyPath.TryParse(text, out KeyPath? path, out string? error), error);

        Assert.Equal(indexes, path.Indexes.ToArray());
        Assert.Equal(indexes.Length, path.Depth);
        Assert.Equal(printed, path.ToString());
    }

    [Theory]
    [InlineData("", "derivation path is empty; it must start with 'm'")]
    [InlineData("M/0", "derivation path must start with 'm', got 'M'")]
    [InlineData("/0", "derivation path must start with 'm', got '/'")]
    [InlineData("m0", "derivation path must continue with '/' after 'm', got '0'")]
    [InlineData("m/", "derivation path level 1 is empty (a '/' too many)")]
    [InlineData("m//0", "derivation path level 1 is empty (a '/' too many)")]
    [InlineData("m/0/", "derivation path level 2 is empty (a '/' too many)")]
    [InlineData("m/44'/x", "derivation path level 2 'x' is not a number optionally followed by ' (hardened)")]
    [InlineData("m/-1", "derivation path level 1 '-1' is not a number optionally followed by ' (hardened)")]
    [InlineData("m/ 1", "derivation path level 1 ' 1' is not a number optionally followed by ' (hardened)")]
    [InlineData("m/1''", "derivation path level 1 '1''' is not a number optionally followed by ' (hardened)")]
    [InlineData("m/'", "derivation path level 1 ''' is not a number optionally followed by ' (hardened)")]
    [InlineData("m/+1", "derivation path level 1 '+1' is not a number optionally followed by ' (hardened)")]
    [InlineData("m/01", "derivation path level 1 '01' has a leading zero")]
    [InlineData("m/0/2147483648", "derivation path level 2 '2147483648' is out of range: an index is at most 2147483647 (hardened indexes are written with ', not by adding 2^31)")]
    [InlineData("m/99999999999999999999'", "derivation path level 1 '99999999999999999999'' is out of range")]
    public void Malformed_paths_are_refused_with_the_level_and_the_reason(string text, string expected)
    {
        Assert.False(KeyPath.TryParse(text, out KeyPath? path, out string? error));

        Assert.Null(path);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.StartsWith(expected, Assert.Throws<FormatException>(() => KeyPath.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_has_at_most_255_levels()
    {
        string deepest = "m" + string.Concat(Enumerable.Repeat("/0", KeyPath.DepthMax));

        Assert.True(KeyPath.TryParse(deepest, out KeyPath? path, out _));
        Assert.Equal(KeyPath.DepthMax, path.Depth);
        Assert.False(KeyPath.TryParse(deepest + "/0", out _, out string? error));
        Assert.Equal("derivation path has more than 255 levels", error);
        Assert.Throws<InvalidOperationException>(() => path.Append(0));
    }

    [Fact]
    public void The_ethereum_account_path_is_bip44_with_coin_type_60()
    {
        Assert.Equal("m/44'/60'/0'/0", KeyPath.EthereumAccounts.ToString());
        Assert.Equal("m/44'/60'/0'/0/9", KeyPath.EthereumAccount(9).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyPath.EthereumAccount(-1));
    }
}
