using System.Text.Json;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>eth_gasPrice, eth_maxPriorityFeePerGas and eth_feeHistory over real stored blocks.</summary>
public sealed class FeeMethodTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Without_recent_transactions_the_tip_is_one_gwei_and_the_gas_price_adds_the_next_base_fee()
    {
        Assert.Equal("0x3b9aca00", (await _node.ResultAsync("eth_maxPriorityFeePerGas")).GetString());
        // Next base fee after the empty genesis: 0.875 gwei.
        Assert.Equal(Hex.ToQuantity(875_000_000UL + 1_000_000_000UL), (await _node.ResultAsync("eth_gasPrice")).GetString());
    }

    [Fact]
    public async Task The_suggested_tip_follows_the_tips_recent_blocks_paid()
    {
        for (ulong n = 0; n < 3; n++)
        {
            Transaction tx = TestNode.Transfer(0, n, TestNode.Account(1), UInt256.One, maxFee: 20_000_000_000, tip: 3_000_000_000);
            await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
        }
        Assert.Equal(Hex.ToQuantity(3_000_000_000UL), (await _node.ResultAsync("eth_maxPriorityFeePerGas")).GetString());
    }

    [Fact]
    public async Task Fee_history_reports_base_fees_including_the_next_block_ratios_and_reward_percentiles()
    {
        // Block 1: two transfers with tips 1 and 2 gwei; block 2 empty.
        await _node.ResultAsync("evm_setAutomine", "[false]");
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(2), UInt256.One, maxFee: 10_000_000_000, tip: 1_000_000_000))}\"]");
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(1, 0, TestNode.Account(2), UInt256.One, maxFee: 10_000_000_000, tip: 2_000_000_000))}\"]");
        await _node.ResultAsync("evm_mine");
        await _node.ResultAsync("evm_mine");

        JsonElement history = await _node.ResultAsync("eth_feeHistory", "[\"0xa\", \"latest\", [10.0, 50.0, 90.0]]");
        Assert.Equal("0x0", history.GetProperty("oldestBlock").GetString());
        string[] baseFees = history.GetProperty("baseFeePerGas").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(4, baseFees.Length); // blocks 0..2 and the next one
        UInt256[] expected = new UInt256[4];
        for (ulong n = 0; n <= 2; n++)
        {
            Assert.True(_node.Chain.Blocks.TryGetBlock(n, out Block? block, out _));
            expected[n] = block.Header.BaseFeePerGas;
        }
        expected[3] = _node.Chain.NextBaseFee;
        Assert.Equal(expected.Select(v => Hex.ToQuantity(v)).ToArray(), baseFees);

        double[] ratios = history.GetProperty("gasUsedRatio").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(new[] { 0.0, 42_000.0 / 30_000_000, 0.0 }, ratios);

        JsonElement[] rewards = history.GetProperty("reward").EnumerateArray().ToArray();
        Assert.Equal(3, rewards.Length);
        Assert.Equal(new[] { "0x0", "0x0", "0x0" }, rewards[0].EnumerateArray().Select(e => e.GetString()).ToArray());
        // Gas-weighted: 10% and 50% of 42,000 gas fall in the 1 gwei transaction, 90% in the 2 gwei one.
        Assert.Equal(new[] { "0x3b9aca00", "0x3b9aca00", "0x77359400" }, rewards[1].EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.Equal(3, rewards[2].GetArrayLength());
    }

    [Fact]
    public async Task Fee_history_accepts_a_decimal_count_clamps_to_the_chain_and_omits_rewards_without_percentiles()
    {
        JsonElement history = await _node.ResultAsync("eth_feeHistory", "[5, \"0x0\"]");
        Assert.Equal("0x0", history.GetProperty("oldestBlock").GetString());
        Assert.Equal(2, history.GetProperty("baseFeePerGas").GetArrayLength());
        Assert.Equal(1, history.GetProperty("gasUsedRatio").GetArrayLength());
        Assert.False(history.TryGetProperty("reward", out _));
    }

    [Theory]
    [InlineData("[\"0x1\", \"latest\", [50, 10]]", "invalid argument 2 (rewardPercentiles): invalid reward percentile: #0:50 > #1:10")]
    [InlineData("[\"0x1\", \"latest\", [101]]", "invalid argument 2 (rewardPercentiles): invalid reward percentile #0: 101 is outside 0..100")]
    [InlineData("[\"0x1\", \"latest\", \"50\"]", "invalid argument 2 (rewardPercentiles): expected an array of numbers, got a string")]
    [InlineData("[\"0x01\", \"latest\"]", "invalid argument 0 (blockCount): hex number with leading zero digits")]
    [InlineData("[-1, \"latest\"]", "invalid argument 0 (blockCount): not a non-negative 64-bit integer")]
    [InlineData("[\"0x1\"]", "missing value for required argument 1 (newestBlock)")]
    public async Task Bad_fee_history_params_are_invalid_params(string paramsJson, string message)
    {
        (int code, string text) = await _node.ErrorAsync("eth_feeHistory", paramsJson);
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.StartsWith(message, text);
    }

    [Fact]
    public async Task Fee_history_beyond_the_head_is_refused()
    {
        (int code, string text) = await _node.ErrorAsync("eth_feeHistory", "[\"0x1\", \"0x7\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.Equal("request beyond head block: requested 7, head 0", text);
    }
}
