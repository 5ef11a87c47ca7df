using System.Text.Json;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>The anvil/hardhat development methods on an in-memory devnet.</summary>
public sealed class DevMethodTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<string> BalanceAsync(int account) =>
        (await _node.ResultAsync("eth_getBalance", $"[\"{TestNode.Account(account)}\"]")).GetString()!;

    [Fact]
    public async Task Revert_returns_the_chain_balances_and_nonces_to_the_snapshot_and_consumes_it()
    {
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]");
        string snapshot = (await _node.ResultAsync("evm_snapshot")).GetString()!;
        JsonFormat.AssertQuantity(snapshot);
        string balance0 = await BalanceAsync(0), balance1 = await BalanceAsync(1);
        string headHash = (await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]")).GetProperty("hash").GetString()!;

        Hash256 later = TestNode.Transfer(0, 1, TestNode.Account(1), new UInt256(1_000_000)).Hash;
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 1, TestNode.Account(1), new UInt256(1_000_000)))}\"]");
        await _node.ResultAsync("anvil_setBalance", $"[\"{TestNode.Account(2)}\", \"0x1\"]");
        await _node.ResultAsync("evm_mine");
        Assert.Equal(4UL, await _node.BlockNumberAsync());

        Assert.True((await _node.ResultAsync("evm_revert", $"[\"{snapshot}\"]")).GetBoolean());
        Assert.Equal(1UL, await _node.BlockNumberAsync());
        Assert.Equal(balance0, await BalanceAsync(0));
        Assert.Equal(balance1, await BalanceAsync(1));
        Assert.Equal("0x21e19e0c9bab2400000", await BalanceAsync(2));
        Assert.Equal("0x1", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{TestNode.Account(0)}\", \"pending\"]")).GetString());
        Assert.Equal(headHash, (await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]")).GetProperty("hash").GetString());
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{later}\"]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getBlockByNumber", "[\"0x2\", false]")).ValueKind);

        // A used snapshot is gone; an unknown id is false, not an error (anvil and hardhat).
        Assert.False((await _node.ResultAsync("evm_revert", $"[\"{snapshot}\"]")).GetBoolean());
        Assert.False((await _node.ResultAsync("evm_revert", "[\"0x63\"]")).GetBoolean());

        // The rebuilt chain keeps working: the same transfer mines again.
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 1, TestNode.Account(1), new UInt256(1_000_000)))}\"]");
        Assert.Equal("0x1", (await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{later}\"]")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Reverting_to_an_earlier_snapshot_forgets_the_later_ones()
    {
        string first = (await _node.ResultAsync("evm_snapshot")).GetString()!;
        await _node.ResultAsync("evm_mine");
        string second = (await _node.ResultAsync("evm_snapshot")).GetString()!;
        Assert.NotEqual(first, second);
        await _node.ResultAsync("evm_mine");
        Assert.True((await _node.ResultAsync("evm_revert", $"[\"{first}\"]")).GetBoolean());
        Assert.Equal(0UL, await _node.BlockNumberAsync());
        Assert.False((await _node.ResultAsync("evm_revert", $"[\"{second}\"]")).GetBoolean());
    }

    [Fact]
    public async Task Set_balance_and_set_nonce_edit_the_account_in_a_block_of_their_own()
    {
        string target = "0x00000000000000000000000000000000000000e1";
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("anvil_setBalance", $"[\"{target}\", \"0xde0b6b3a7640000\"]")).ValueKind);
        Assert.Equal("0xde0b6b3a7640000", (await _node.ResultAsync("eth_getBalance", $"[\"{target}\"]")).GetString());
        Assert.True((await _node.ResultAsync("hardhat_setNonce", $"[\"{target}\", \"0x5\"]")).GetBoolean());
        Assert.Equal("0x5", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{target}\", \"latest\"]")).GetString());
        Assert.Equal("0xde0b6b3a7640000", (await _node.ResultAsync("eth_getBalance", $"[\"{target}\"]")).GetString());
        Assert.Equal(2UL, await _node.BlockNumberAsync());
        JsonElement editBlock = await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]");
        Assert.Equal(0, editBlock.GetProperty("transactions").GetArrayLength());

        // A lower nonce drops nothing; a higher nonce makes pooled transactions below it stale.
        await _node.ResultAsync("evm_setAutomine", "[false]");
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]");
        await _node.ResultAsync("anvil_setNonce", $"[\"{TestNode.Account(0)}\", \"0x1\"]");
        Assert.Equal("0x1", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{TestNode.Account(0)}\", \"pending\"]")).GetString());
        Assert.Equal(0, _node.Chain.Pool.Count);
    }

    [Theory]
    [InlineData("anvil_setBalance", "[\"0x00000000000000000000000000000000000000e1\", \"0x01\"]", "invalid argument 1 (balance): hex number with leading zero digits")]
    [InlineData("anvil_setBalance", "[\"0x00000000000000000000000000000000000000e1\"]", "missing value for required argument 1 (balance)")]
    [InlineData("anvil_setNonce", "[\"0xe1\", \"0x1\"]", "invalid argument 0 (address): hex string has length 2, want 40 for 20 bytes")]
    [InlineData("anvil_setNonce", "[\"0x00000000000000000000000000000000000000e1\", \"0xffffffffffffffff\"]", "invalid argument 1 (nonce): 2^64-1 is reserved (EIP-2681)")]
    [InlineData("evm_setAutomine", "[\"true\"]", "invalid argument 0 (enabled): expected true or false, got a string")]
    [InlineData("evm_increaseTime", "[\"ten\"]", "invalid argument 0 (seconds): hex string without 0x prefix")]
    [InlineData("evm_revert", "[]", "missing value for required argument 0 (snapshotId)")]
    [InlineData("evm_mine", "[{\"blocks\":100000}]", "invalid argument 0 (options): blocks 100000 is more than 10000")]
    public async Task Bad_dev_params_are_invalid_params_and_change_nothing(string method, string paramsJson, string message)
    {
        (int code, string text) = await _node.ErrorAsync(method, paramsJson);
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.Equal(message, text);
        Assert.Equal(0UL, await _node.BlockNumberAsync());
    }

    [Fact]
    public async Task Mine_with_a_timestamp_sets_it_and_later_blocks_follow_on()
    {
        Assert.Equal("0x0", (await _node.ResultAsync("evm_mine", "[\"0x77359400\"]")).GetString());
        JsonElement block = await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]");
        Assert.Equal("0x77359400", block.GetProperty("timestamp").GetString());
        await _node.ResultAsync("evm_mine", "[{\"blocks\":3}]");
        Assert.Equal(4UL, await _node.BlockNumberAsync());
        ulong later = TestNode.Quantity((await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]")).GetProperty("timestamp"));
        Assert.InRange(later, 2_000_000_003UL, 2_000_000_060UL);

        (int code, string message) = await _node.ErrorAsync("evm_mine", "[\"0x1\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("timestamp 1 is not after the latest block's timestamp", message);
    }

    [Fact]
    public async Task Increase_time_moves_later_timestamps_and_reports_the_total_offset()
    {
        ulong before = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(3600, (await _node.ResultAsync("evm_increaseTime", "[3600]")).GetInt64());
        Assert.Equal(7200, (await _node.ResultAsync("evm_increaseTime", "[\"0xe10\"]")).GetInt64());
        await _node.ResultAsync("evm_mine");
        ulong timestamp = TestNode.Quantity((await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]")).GetProperty("timestamp"));
        Assert.InRange(timestamp, before + 7200, before + 7200 + 60);

        ulong next = timestamp + 1000;
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("evm_setNextBlockTimestamp", $"[{next}]")).ValueKind);
        await _node.ResultAsync("evm_mine");
        Assert.Equal(next, TestNode.Quantity((await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]")).GetProperty("timestamp")));
    }

    [Fact]
    public async Task Automine_off_leaves_transactions_pending_until_mined_and_on_again_mines_them()
    {
        Assert.True((await _node.ResultAsync("evm_setAutomine", "[false]")).GetBoolean());
        Hash256 hash = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One).Hash;
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]");
        Assert.Equal(0UL, await _node.BlockNumberAsync());
        Assert.True((await _node.ResultAsync("evm_setAutomine", "[true]")).GetBoolean());
        for (int i = 0; i < 100 && await _node.BlockNumberAsync() == 0; i++) await Task.Delay(20);
        Assert.Equal("0x1", (await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Revert_on_a_chain_with_a_data_directory_is_refused_with_the_reason()
    {
        string directory = Path.Combine(Path.GetTempPath(), "nexusfast-rpc-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (TestNode durable = await TestNode.StartAsync(directory: directory))
            {
                string snapshot = (await durable.ResultAsync("evm_snapshot")).GetString()!;
                await durable.ResultAsync("anvil_setBalance", $"[\"{TestNode.Account(2)}\", \"0x2a\"]");
                await durable.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]");
                (int code, string message) = await durable.ErrorAsync("evm_revert", $"[\"{snapshot}\"]");
                Assert.Equal(RpcError.ServerError, code);
                Assert.Contains("in-memory devnet", message);
                Assert.Equal(2UL, await durable.BlockNumberAsync());
            }
            // The account edit is in the block log: a restart replays it and reaches the same state.
            await using TestNode reopened = await TestNode.StartAsync(directory: directory);
            Assert.Equal(2UL, await reopened.BlockNumberAsync());
            Assert.Equal("0x2a", (await reopened.ResultAsync("eth_getBalance", $"[\"{TestNode.Account(2)}\"]")).GetString());
            Assert.Equal("0x1", (await reopened.ResultAsync("eth_getTransactionCount", $"[\"{TestNode.Account(0)}\"]")).GetString());
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
