using System.Text.Json;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>
/// A contract (tests/Engine.Tests/Execution/Contracts/Programs/probe.c, compiled with clang-14) deployed and used
/// through the node's RPC: eth_getCode, eth_call, eth_estimateGas, receipts with logs and the contract address, and
/// reverts reported as geth reports them (code 3, "execution reverted: reason", the revert bytes as data).
/// </summary>
public sealed class ContractRpcTests : IAsyncLifetime
{
    private const uint Set = 1, Get = 2, SetThenRevert = 3, Spin = 6;

    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private static string ProbeSource =>
        RepositoryPaths.PathOf("tests", "Engine.Tests", "Execution", "Contracts", "Programs", "probe.c");

    private static string Input(uint selector, ulong? word = null)
    {
        byte[] data = new byte[word is null ? 4 : 36];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data, selector);
        if (word is { } value) Hash256.FromUInt256(new UInt256(value)).CopyTo(data.AsSpan(4));
        return Hex.ToHexData(data);
    }

    private static Hash256 Word(ulong value) => Hash256.FromUInt256(new UInt256(value));

    private async Task<JsonElement> SendAsync(Address? to, byte[] data, ulong gas, ulong nonce)
    {
        var tx = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = TestNode.ChainId,
            Nonce = nonce,
            GasLimit = gas,
            To = to,
            Data = data,
            MaxFeePerGas = 3_000_000_000,
            MaxPriorityFeePerGas = 1_000_000_000,
        };
        TransactionSigner.Sign(tx, TestNode.Keys[0]);
        string hash = (await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]")).GetString()!;
        return await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]");
    }

    private async Task<(Address Contract, byte[] Elf)> DeployAsync()
    {
        byte[] elf = File.ReadAllBytes(CCompiler.CompileBpf(ProbeSource));
        JsonElement receipt = await SendAsync(null, DeploymentData.Build(elf, Word(42).ToArray()), 8_000_000, 0);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        return (Address.Parse(receipt.GetProperty("contractAddress").GetString()!), elf);
    }

    private string CallJson(Address contract, string input) =>
        $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{contract}\",\"input\":\"{input}\"}}";

    [ClangFact]
    public async Task A_deployed_contract_has_its_object_as_code_and_answers_eth_call()
    {
        (Address contract, byte[] elf) = await DeployAsync();
        Assert.Equal(Address.Parse("0x" + Convert.ToHexStringLower(
            NexusFast.Engine.Crypto.Keccak256.Compute(Hex.ParseData($"0xd694{TestNode.Account(0).ToString()[2..]}80")).Bytes[12..])), contract);

        Assert.Equal(Hex.ToHexData(elf), (await _node.ResultAsync("eth_getCode", $"[\"{contract}\", \"latest\"]")).GetString());
        Assert.Equal("0x", (await _node.ResultAsync("eth_getCode", $"[\"{TestNode.Account(1)}\"]")).GetString());
        Assert.Equal(Hex.ToHexData(Word(42).Bytes),
            (await _node.ResultAsync("eth_getStorageAt", $"[\"{contract}\", \"0x1\", \"latest\"]")).GetString());
        Assert.Equal(Hex.ToHexData(Word(0).Bytes), (await _node.ResultAsync("eth_call", $"[{CallJson(contract, Input(Get))}]")).GetString());
    }

    [ClangFact]
    public async Task A_call_estimated_then_sent_succeeds_and_its_log_is_in_the_receipt_and_in_eth_getLogs()
    {
        (Address contract, _) = await DeployAsync();
        ulong estimate = TestNode.Quantity(await _node.ResultAsync("eth_estimateGas", $"[{CallJson(contract, Input(Set, 7))}]"));
        Assert.InRange(estimate, 21_000UL + 20_000, 200_000UL);

        JsonElement receipt = await SendAsync(contract, Hex.ParseData(Input(Set, 7)), estimate, 1);

        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(estimate, TestNode.Quantity(receipt.GetProperty("gasUsed")));
        JsonElement log = Assert.Single(receipt.GetProperty("logs").EnumerateArray().ToArray());
        Assert.Equal(contract.ToString(), log.GetProperty("address").GetString());
        Assert.Equal(Hex.ToHexData(Word(7).Bytes), log.GetProperty("data").GetString());
        JsonElement logs = await _node.ResultAsync("eth_getLogs", $"[{{\"fromBlock\":\"0x0\",\"address\":\"{contract}\"}}]");
        Assert.Single(logs.EnumerateArray().ToArray());
        Assert.Equal(Hex.ToHexData(Word(7).Bytes), (await _node.ResultAsync("eth_call", $"[{CallJson(contract, Input(Get))}]")).GetString());
    }

    [ClangFact]
    public async Task A_revert_reaches_the_client_as_code_3_with_the_reason_and_the_revert_bytes()
    {
        (Address contract, _) = await DeployAsync();
        string expectedData = Hex.ToHexData(RevertReason.Encode("nope"));

        foreach (string method in new[] { "eth_call", "eth_estimateGas" })
        {
            JsonElement response = await _node.CallAsync(method, $"[{CallJson(contract, Input(SetThenRevert, 9))}]");
            JsonElement error = response.GetProperty("error");
            Assert.Equal(RpcError.ExecutionReverted, error.GetProperty("code").GetInt32());
            Assert.Equal("execution reverted: nope", error.GetProperty("message").GetString());
            Assert.Equal(expectedData, error.GetProperty("data").GetString());
        }

        // Sent anyway: mined with status 0, the gas paid, nothing written.
        JsonElement receipt = await SendAsync(contract, Hex.ParseData(Input(SetThenRevert, 9)), 200_000, 1);
        Assert.Equal("0x0", receipt.GetProperty("status").GetString());
        Assert.Empty(receipt.GetProperty("logs").EnumerateArray());
        Assert.Equal(Hex.ToHexData(Word(0).Bytes), (await _node.ResultAsync("eth_call", $"[{CallJson(contract, Input(Get))}]")).GetString());
    }

    [ClangFact]
    public async Task Code_that_runs_out_of_gas_is_an_error_that_says_so()
    {
        (Address contract, _) = await DeployAsync();
        string request = $"{{\"from\":\"{TestNode.Account(0)}\",\"to\":\"{contract}\",\"input\":\"{Input(Spin)}\",\"gas\":\"0x30000\"}}";
        (int code, string message) = await _node.ErrorAsync("eth_call", $"[{request}]");
        Assert.Equal((RpcError.ServerError, "execution failed: out of gas"), (code, message));
    }
}
