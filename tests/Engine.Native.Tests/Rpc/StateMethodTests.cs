using System.Text.Json;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>Balances, nonces, code and storage at the head, and the honest error for state the node does not keep.</summary>
public sealed class StateMethodTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Genesis_balances_are_served_for_lowercase_and_checksummed_addresses()
    {
        Address account = TestNode.Account(0);
        Assert.Equal("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", account.ToString());
        JsonElement lower = await _node.ResultAsync("eth_getBalance", $"[\"{account}\", \"latest\"]");
        JsonElement checksummed = await _node.ResultAsync("eth_getBalance", "[\"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\", \"latest\"]");
        Assert.Equal("0x21e19e0c9bab2400000", lower.GetString());
        Assert.Equal(lower.GetString(), checksummed.GetString());
        Assert.Equal("0x0", (await _node.ResultAsync("eth_getBalance", "[\"0x000000000000000000000000000000000000dead\"]")).GetString());
    }

    [Fact]
    public async Task Every_head_alias_and_the_head_number_read_the_latest_state()
    {
        string address = TestNode.Account(1).ToString();
        foreach (string block in new[] { "\"latest\"", "\"pending\"", "\"safe\"", "\"finalized\"", "\"0x0\"", "{\"blockNumber\":\"0x0\"}" })
        {
            Assert.Equal("0x21e19e0c9bab2400000", (await _node.ResultAsync("eth_getBalance", $"[\"{address}\", {block}]")).GetString());
        }
        string genesisHash = (await _node.ResultAsync("eth_getBlockByNumber", "[\"earliest\", false]")).GetProperty("hash").GetString()!;
        Assert.Equal("0x21e19e0c9bab2400000", (await _node.ResultAsync("eth_getBalance", $"[\"{address}\", {{\"blockHash\":\"{genesisHash}\"}}]")).GetString());
    }

    [Fact]
    public async Task An_older_block_gets_a_missing_state_error_never_a_wrong_value()
    {
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]");
        (int code, string message) = await _node.ErrorAsync("eth_getBalance", $"[\"{TestNode.Account(0)}\", \"0x0\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("missing trie node", message);
        (code, message) = await _node.ErrorAsync("eth_getTransactionCount", $"[\"{TestNode.Account(0)}\", \"earliest\"]");
        Assert.StartsWith("missing trie node", message);
        (code, message) = await _node.ErrorAsync("eth_getBalance", $"[\"{TestNode.Account(0)}\", \"0x9\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("header not found", message);
        (_, message) = await _node.ErrorAsync("eth_getBalance", $"[\"{TestNode.Account(0)}\", {{\"blockHash\":\"0x{new string('1', 64)}\"}}]");
        Assert.StartsWith("header for hash", message);
        Assert.Equal("0x1", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{TestNode.Account(0)}\", \"0x1\"]")).GetString());
    }

    [Theory]
    [InlineData("[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb9226\"]", "invalid argument 0 (address): hex string has length 39")]
    [InlineData("[\"f39fd6e51aad88f6f4ce6ab8827279cfffb92266\"]", "invalid argument 0 (address): hex string without 0x prefix")]
    [InlineData("[\"0xg39fd6e51aad88f6f4ce6ab8827279cfffb92266\"]", "invalid argument 0 (address): invalid hex digit")]
    [InlineData("[42]", "invalid argument 0 (address): expected an address as a string, got a number")]
    [InlineData("[]", "missing value for required argument 0 (address)")]
    [InlineData("[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", \"0x01\"]", "invalid argument 1 (block): not a block tag (latest, earliest, pending, safe, finalized) or number: hex number with leading zero digits")]
    [InlineData("[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", \"0x\"]", "invalid argument 1 (block): not a block tag")]
    [InlineData("[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", \"newest\"]", "invalid argument 1 (block): not a block tag")]
    [InlineData("[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", 1]", "invalid argument 1 (block): expected a block tag, number or hash, got a number")]
    [InlineData("[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", {\"blockNumber\":\"0x0\",\"blockHash\":\"0x0000000000000000000000000000000000000000000000000000000000000000\"}]", "invalid argument 1 (block): a block object needs exactly one of blockNumber and blockHash")]
    [InlineData("[\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", \"latest\", 3]", "too many arguments, want at most 2")]
    public async Task Bad_state_params_name_the_argument_and_the_reason(string paramsJson, string message)
    {
        (int code, string text) = await _node.ErrorAsync("eth_getBalance", paramsJson);
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.StartsWith(message, text);
    }

    [Fact]
    public async Task Code_of_an_account_without_code_is_empty_data()
    {
        Assert.Equal("0x", (await _node.ResultAsync("eth_getCode", $"[\"{TestNode.Account(0)}\", \"latest\"]")).GetString());
        Assert.Equal("0x", (await _node.ResultAsync("eth_getCode", "[\"0x000000000000000000000000000000000000beef\"]")).GetString());
    }

    [Fact]
    public async Task Storage_reads_a_32_byte_word_and_accepts_short_and_full_slot_keys()
    {
        string zero = "0x" + new string('0', 64);
        Assert.Equal(zero, (await _node.ResultAsync("eth_getStorageAt", $"[\"{TestNode.Account(0)}\", \"0x0\", \"latest\"]")).GetString());
        Assert.Equal(zero, (await _node.ResultAsync("eth_getStorageAt", $"[\"{TestNode.Account(0)}\", \"{zero}\"]")).GetString());
        (int code, string message) = await _node.ErrorAsync("eth_getStorageAt", $"[\"{TestNode.Account(0)}\", \"0x{new string('1', 65)}\"]");
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.Equal("invalid argument 1 (slot): hex string longer than 32 bytes", message);
    }

    [Fact]
    public async Task Transaction_counts_follow_mined_and_pooled_transactions()
    {
        string address = TestNode.Account(2).ToString();
        Assert.Equal("0x0", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{address}\", \"latest\"]")).GetString());
        for (ulong nonce = 0; nonce < 3; nonce++)
        {
            await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(2, nonce, TestNode.Account(0), UInt256.One))}\"]");
        }
        Assert.Equal("0x3", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{address}\", \"latest\"]")).GetString());
        Assert.Equal("0x3", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{address}\", \"pending\"]")).GetString());
    }

    [Fact]
    public async Task Node_info_methods_answer_like_anvil()
    {
        Assert.Equal("nexusfast/test", (await _node.ResultAsync("web3_clientVersion")).GetString());
        Assert.Equal("31337", (await _node.ResultAsync("net_version")).GetString());
        Assert.Equal("0x7a69", (await _node.ResultAsync("eth_chainId")).GetString());
        Assert.False((await _node.ResultAsync("eth_syncing")).GetBoolean());
        Assert.True((await _node.ResultAsync("net_listening")).GetBoolean());
        string[] accounts = (await _node.ResultAsync("eth_accounts")).EnumerateArray().Select(a => a.GetString()!).ToArray();
        Assert.Equal(new[]
        {
            "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
        }, accounts);
        Assert.Equal(Keccak256.Compute([0x68, 0x65, 0x6c, 0x6c, 0x6f]).ToString(), (await _node.ResultAsync("web3_sha3", "[\"0x68656c6c6f\"]")).GetString());
    }
}
