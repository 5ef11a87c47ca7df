using NexusFast.Engine.Network;

namespace NexusFast.Native.Tests.Node;

public sealed class TransactionBatchCodecTests
{
    [Fact]
    public void A_batch_decodes_to_the_transactions_it_was_made_of()
    {
        byte[][] transactions = [[0x02, 1, 2, 3], [0xf8], new byte[70_000]];
        var decoded = new List<byte[]>();
        Assert.True(TransactionBatchCodec.TryDecode(TransactionBatchCodec.Encode(transactions), decoded, out string? error), error);
        Assert.Equal(transactions, decoded);
    }

    [Theory]
    [InlineData(new byte[0], "an empty transaction batch")]
    [InlineData(new byte[] { 0, 0, 1 }, "3 bytes left where a 4-byte length was expected")]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "a transaction length of 0 with 0 bytes left")]
    [InlineData(new byte[] { 0, 0, 0, 2, 7 }, "a transaction length of 2 with 1 bytes left")]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 7 }, "a transaction length of -1 with 1 bytes left")]
    public void A_malformed_batch_is_refused(byte[] payload, string expected)
    {
        Assert.False(TransactionBatchCodec.TryDecode(payload, new List<byte[]>(), out string? error));
        Assert.Equal(expected, error);
    }
}
