using System.Text;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Ledger;

public class LogsBloomTests
{
    private static LogsBloom BloomOf(params byte[][] items)
    {
        var bloom = new LogsBloom();
        foreach (byte[] item in items) bloom.AddKeccak(Keccak256.Compute(item).Bytes);
        return bloom;
    }

    [Fact]
    public void One_hundred_items_give_go_ethereums_published_bloom()
    {
        // go-ethereum core/types/bloom9_test.go, TestBloomExtensively: Keccak-256 of the bloom's 256 bytes after
        // adding "xxxxxxxxxx data {i} yyyyyyyyyyyyyy" for i in 0..99.
        byte[][] items = Enumerable.Range(0, 100).Select(i => Encoding.ASCII.GetBytes($"xxxxxxxxxx data {i} yyyyyyyyyyyyyy")).ToArray();
        LogsBloom bloom = BloomOf(items);
        Assert.Equal("0xc8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263", Keccak256.Compute(bloom.Bytes).ToString());
    }

    [Fact]
    public void The_empty_input_sets_bits_1490_1537_and_1783_in_big_endian_byte_order()
    {
        // Keccak256("") = c5d2 4601 86f7...: 0x5d2 & 2047 = 1490, 0x601 = 1537, 0x6f7 = 1783.
        LogsBloom bloom = BloomOf(Array.Empty<byte>());
        var expected = new byte[LogsBloom.Size];
        expected[255 - (1490 / 8)] = 1 << (1490 % 8);
        expected[255 - (1537 / 8)] = 1 << (1537 % 8);
        expected[255 - (1783 / 8)] = 1 << (1783 % 8);
        Assert.Equal(expected, bloom.Bytes.ToArray());
    }

    [Fact]
    public void A_log_is_found_by_its_address_and_topics_and_not_by_others()
    {
        Address emitter = Address.Parse("0x22341ae42d6dd7384bc8584e50419ea3ac75b83f");
        Hash256 topic = Keccak256.Compute("Transfer(address,address,uint256)"u8);
        LogsBloom bloom = LogsBloom.FromLogs([new LogEntry(emitter, [topic], [])]);
        Assert.True(bloom.ContainsKeccak(Keccak256.Compute(emitter.Bytes).Bytes));
        Assert.True(bloom.ContainsKeccak(Keccak256.Compute(topic.Bytes).Bytes));
        Assert.False(bloom.ContainsKeccak(Keccak256.Compute("tes"u8).Bytes));
        Assert.Same(LogsBloom.Empty, LogsBloom.FromLogs([]));
    }
}
