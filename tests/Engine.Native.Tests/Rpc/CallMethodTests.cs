using System.Text.Json;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>eth_estimateGas and eth_call, simulated on a discarded overlay with the executor's own checks.</summary>
public sealed class CallMethodTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_plain_transfer_estimates_its_intrinsic_gas_as_ethers_asks_for_it()
    {
        // ethers: {nonce, value, from, to}, no block tag.
        string request = $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{TestNode.Account(1)}\",\"value\":\"0xde0b6b3a7640000\",\"nonce\":\"0x0\"}}";
        Assert.Equal("0x5208", (await _node.ResultAsync("eth_estimateGas", $"[{request}]")).GetString());
    }

    [Fact]
    public async Task Call_data_adds_its_calldata_cost_and_viem_fee_fields_are_honoured()
    {
        // 4 nonzero bytes (16 each) and 2 zero bytes (4 each): 21,000 + 64 + 8.
        string request = $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{TestNode.Account(1)}\",\"input\":\"0x01020304000\"}}";
        (int code, _) = await _node.ErrorAsync("eth_estimateGas", $"[{request}]");
        Assert.Equal(RpcError.InvalidParams, code);
        request = $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{TestNode.Account(1)}\",\"data\":\"0x010203040000\",\"maxFeePerGas\":\"0x77359400\",\"maxPriorityFeePerGas\":\"0x3b9aca00\"}}";
        Assert.Equal(Hex.ToQuantity(21_072UL), (await _node.ResultAsync("eth_estimateGas", $"[{request}, \"latest\"]")).GetString());
    }

    [Fact]
    public async Task An_estimate_for_more_value_than_the_balance_fails_like_geth()
    {
        string request = $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{TestNode.Account(1)}\",\"value\":\"0x21e19e0c9bab2400001\"}}";
        (int code, string message) = await _node.ErrorAsync("eth_estimateGas", $"[{request}]");
        Assert.Equal((RpcError.ServerError, "insufficient funds for transfer"), (code, message));
    }

    [Fact]
    public async Task A_fee_cap_the_balance_cannot_pay_for_caps_the_gas_and_says_so()
    {
        string poor = "0x00000000000000000000000000000000000000f1";
        await _node.ResultAsync("anvil_setBalance", $"[\"{poor}\", \"0x{(20_000UL * 1_000_000_000):x}\"]");
        string request = $"{{\"from\":\"{poor}\",\"to\":\"{TestNode.Account(1)}\",\"maxFeePerGas\":\"0x3b9aca00\"}}";
        (int code, string message) = await _node.ErrorAsync("eth_estimateGas", $"[{request}]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("gas required exceeds allowance (20000)", message);
        // Without a fee the same account can estimate (geth simulates fee-less calls with a zero base fee).
        request = $"{{\"from\":\"{poor}\",\"to\":\"{TestNode.Account(1)}\"}}";
        Assert.Equal("0x5208", (await _node.ResultAsync("eth_estimateGas", $"[{request}]")).GetString());
    }

    [Fact]
    public async Task A_fee_cap_below_the_base_fee_and_conflicting_fee_fields_are_refused()
    {
        string request = $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{TestNode.Account(1)}\",\"maxFeePerGas\":\"0x1\"}}";
        (int code, string message) = await _node.ErrorAsync("eth_estimateGas", $"[{request}]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("max fee per gas less than block base fee", message);
        request = $"{{\"to\":\"{TestNode.Account(1)}\",\"gasPrice\":\"0x1\",\"maxFeePerGas\":\"0x1\"}}";
        (code, message) = await _node.ErrorAsync("eth_estimateGas", $"[{request}]");
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.Equal("invalid argument 0 (transaction): both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified", message);
        request = $"{{\"to\":\"{TestNode.Account(1)}\",\"data\":\"0x01\",\"input\":\"0x02\"}}";
        (code, message) = await _node.ErrorAsync("eth_estimateGas", $"[{request}]");
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.Contains("both \"data\" and \"input\" are set and not equal", message);
        (code, message) = await _node.ErrorAsync("eth_estimateGas", "[{\"gas\":\"0x05208\"}]");
        Assert.Equal("invalid argument 0 (transaction): gas: hex number with leading zero digits", message);
    }

    [Fact]
    public async Task An_explicit_gas_below_the_intrinsic_cost_is_refused()
    {
        string request = $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{TestNode.Account(1)}\",\"gas\":\"0x5207\"}}";
        (int code, string message) = await _node.ErrorAsync("eth_estimateGas", $"[{request}]");
        Assert.Equal((RpcError.ServerError, "intrinsic gas too low: gas 20999, minimum needed 21000"), (code, message));
    }

    [Fact]
    public async Task A_creation_whose_data_is_not_a_contract_object_fails_and_says_why()
    {
        (int code, string message) = await _node.ErrorAsync("eth_estimateGas", $"[{{\"from\":\"{TestNode.Account(0)}\",\"data\":\"0x6000\"}}]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("contract creation failed: creation data is 2 bytes", message);
    }

    [Fact]
    public async Task A_call_to_an_account_without_code_returns_empty_output_and_changes_nothing()
    {
        string request = $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{TestNode.Account(1)}\",\"value\":\"0x1\",\"data\":\"0x70a08231\"}}";
        Assert.Equal("0x", (await _node.ResultAsync("eth_call", $"[{request}, \"latest\"]")).GetString());
        Assert.Equal("0x", (await _node.ResultAsync("eth_call", $"[{{\"to\":\"{TestNode.Account(1)}\"}}]")).GetString());
        Assert.Equal("0x21e19e0c9bab2400000", (await _node.ResultAsync("eth_getBalance", $"[\"{TestNode.Account(1)}\"]")).GetString());
        Assert.Equal(0UL, await _node.BlockNumberAsync());
        (int code, string message) = await _node.ErrorAsync("eth_call", $"[{{\"to\":\"{TestNode.Account(1)}\"}}, \"latest\", {{}}]");
        Assert.Equal((RpcError.InvalidParams, "invalid argument 2 (stateOverrides): state overrides are not supported"), (code, message));
        (code, message) = await _node.ErrorAsync("eth_call", "[\"0x1\"]");
        Assert.Equal((RpcError.InvalidParams, "invalid argument 0 (transaction): expected a transaction object, got a string"), (code, message));
    }
}
