using NexusFast.Engine.Execution.Contracts;

namespace NexusFast.Engine.Tests.Execution.Contracts;

/// <summary>The byte formats at the edge of contracts: creation data (length-prefixed object) and Error(string) revert data.</summary>
public class DeploymentFormatTests
{
    [Fact]
    public void Creation_data_splits_into_the_object_and_the_constructor_arguments()
    {
        byte[] data = DeploymentData.Build([1, 2, 3], [9, 8]);
        Assert.Equal([0, 0, 0, 3, 1, 2, 3, 9, 8], data);
        Assert.True(DeploymentData.TrySplit(data, out Range elf, out Range arguments, out _));
        Assert.Equal([1, 2, 3], data[elf]);
        Assert.Equal([9, 8], data[arguments]);
    }

    [Theory]
    [InlineData(new byte[0], "shorter than the 4-byte length prefix")]
    [InlineData(new byte[] { 0, 0, 0, 0, 1 }, "the length prefix says the ELF object has 0 bytes")]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 1 }, "the length prefix says the ELF object has 4294967295 bytes")]
    public void Creation_data_with_a_missing_or_wrong_prefix_is_refused_with_the_reason(byte[] data, string reason)
    {
        Assert.False(DeploymentData.TrySplit(data, out _, out _, out string? error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("nope")]
    [InlineData("a reason longer than one 32-byte word of the ABI encoding, with ünïcödé")]
    public void Error_string_revert_data_round_trips(string message)
    {
        Assert.True(RevertReason.TryDecode(RevertReason.Encode(message), out string? decoded));
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Revert_data_that_is_not_a_well_formed_error_string_has_no_reason()
    {
        byte[] good = RevertReason.Encode("nope");
        Assert.False(RevertReason.TryDecode([], out _));
        Assert.False(RevertReason.TryDecode(good.AsSpan(0, good.Length - 32), out _)); // the text cut off
        byte[] otherSelector = (byte[])good.Clone();
        otherSelector[0] ^= 1;
        Assert.False(RevertReason.TryDecode(otherSelector, out _));
        byte[] hugeLength = (byte[])good.Clone();
        hugeLength[4 + 32 + 10] = 1; // the length word no longer fits an int
        Assert.False(RevertReason.TryDecode(hugeLength, out _));
        byte[] badOffset = (byte[])good.Clone();
        badOffset[4 + 31] = 0xf0; // offset past the end
        Assert.False(RevertReason.TryDecode(badOffset, out _));
        byte[] badUtf8 = (byte[])good.Clone();
        badUtf8[4 + 64] = 0xff;
        Assert.False(RevertReason.TryDecode(badUtf8, out _));
    }
}
