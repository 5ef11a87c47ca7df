using System.Text.Json;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>eth_sendRawTransaction, automine ordering, transactions and receipts in the formats ethers and viem read.</summary>
public sealed class TransactionMethodTests : IAsyncLifetime
{
    private static readonly string[] s_receiptFields =
    [
        "blockHash", "blockNumber", "contractAddress", "cumulativeGasUsed", "effectiveGasPrice", "from", "gasUsed", "logs",
        "logsBloom", "status", "to", "transactionHash", "transactionIndex", "type",
    ];

    private static readonly string[] s_legacyFields =
    [
        "blockHash", "blockNumber", "from", "gas", "gasPrice", "hash", "input", "nonce", "to", "transactionIndex", "value",
        "type", "chainId", "v", "r", "s",
    ];

    private static readonly string[] s_dynamicFeeFields =
    [
        "blockHash", "blockNumber", "from", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "hash", "input", "nonce",
        "to", "transactionIndex", "value", "type", "accessList", "chainId", "v", "r", "s", "yParity",
    ];

    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Send_returns_the_lowercase_keccak_of_the_raw_bytes_and_automine_has_the_receipt_ready()
    {
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), new UInt256(1_000));
        string raw = TestNode.Raw(tx);
        string hash = (await _node.ResultAsync("eth_sendRawTransaction", $"[\"{raw}\"]")).GetString()!;

        Assert.Equal(Keccak256.Compute(Hex.ParseData(raw)).ToString(), hash);
        JsonFormat.AssertHash(hash);
        // Automine: the response came after the block, so the receipt is there on the first try.
        JsonElement receipt = await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]");
        Assert.Equal(JsonValueKind.Object, receipt.ValueKind);
        Assert.Equal(1UL, await _node.BlockNumberAsync());
        Assert.Equal(1UL, TestNode.Quantity(receipt.GetProperty("blockNumber")));
    }

    [Fact]
    public async Task A_receipt_has_exactly_the_fields_clients_read_in_canonical_form()
    {
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), new UInt256(12_345));
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
        JsonElement receipt = await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]");

        JsonFormat.AssertFields(receipt, s_receiptFields);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal("0x2", receipt.GetProperty("type").GetString());
        Assert.Equal("0x0", receipt.GetProperty("transactionIndex").GetString());
        Assert.Equal("0x5208", receipt.GetProperty("gasUsed").GetString());
        Assert.Equal("0x5208", receipt.GetProperty("cumulativeGasUsed").GetString());
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("contractAddress").ValueKind);
        Assert.Equal(0, receipt.GetProperty("logs").GetArrayLength());
        Assert.Equal(TestNode.Account(0).ToString(), receipt.GetProperty("from").GetString());
        Assert.Equal(TestNode.Account(1).ToString(), receipt.GetProperty("to").GetString());
        Assert.Equal(tx.Hash.ToString(), receipt.GetProperty("transactionHash").GetString());
        JsonFormat.AssertData(receipt.GetProperty("logsBloom").GetString(), 256);
        // Genesis used no gas, so block 1's base fee is 7/8 of the initial 1 gwei (EIP-1559); the price paid is that plus
        // the 1 gwei tip, under the 3 gwei cap.
        JsonElement block = await _node.ResultAsync("eth_getBlockByNumber", "[\"0x1\", false]");
        Assert.Equal("0x342770c0", block.GetProperty("baseFeePerGas").GetString());
        Assert.Equal("0x6fc23ac0", receipt.GetProperty("effectiveGasPrice").GetString());
        Assert.Equal(block.GetProperty("hash").GetString(), receipt.GetProperty("blockHash").GetString());
    }

    [Fact]
    public async Task A_mined_dynamic_fee_transaction_has_the_fields_of_geth_with_the_effective_gas_price()
    {
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(2), UInt256.Parse("1000000000000000000"));
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
        JsonElement json = await _node.ResultAsync("eth_getTransactionByHash", $"[\"{tx.Hash}\"]");

        JsonFormat.AssertFields(json, s_dynamicFeeFields);
        Assert.Equal("0x2", json.GetProperty("type").GetString());
        Assert.Equal("0x7a69", json.GetProperty("chainId").GetString());
        Assert.Equal("0xde0b6b3a7640000", json.GetProperty("value").GetString());
        Assert.Equal("0x5208", json.GetProperty("gas").GetString());
        Assert.Equal("0x6fc23ac0", json.GetProperty("gasPrice").GetString());
        Assert.Equal("0xb2d05e00", json.GetProperty("maxFeePerGas").GetString());
        Assert.Equal("0x3b9aca00", json.GetProperty("maxPriorityFeePerGas").GetString());
        Assert.Equal("0x0", json.GetProperty("nonce").GetString());
        Assert.Equal("0x", json.GetProperty("input").GetString());
        Assert.Equal(0, json.GetProperty("accessList").GetArrayLength());
        Assert.Equal(json.GetProperty("v").GetString(), json.GetProperty("yParity").GetString());
        Assert.Equal(tx.R, TestNode.BigQuantity(json.GetProperty("r")));
        Assert.Equal(tx.S, TestNode.BigQuantity(json.GetProperty("s")));
        Assert.Equal("0x1", json.GetProperty("blockNumber").GetString());
        Assert.Equal("0x0", json.GetProperty("transactionIndex").GetString());
        JsonFormat.AssertAddress(json.GetProperty("from").GetString());
    }

    [Fact]
    public async Task A_legacy_transaction_has_an_eip155_v_and_no_fee_cap_fields()
    {
        Transaction tx = TestNode.Transfer(1, 0, TestNode.Account(2), new UInt256(5), TxType.Legacy, maxFee: 2_000_000_000);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
        JsonElement json = await _node.ResultAsync("eth_getTransactionByHash", $"[\"{tx.Hash}\"]");

        JsonFormat.AssertFields(json, s_legacyFields);
        Assert.Equal("0x0", json.GetProperty("type").GetString());
        Assert.Equal(Hex.ToQuantity(tx.V), json.GetProperty("v").GetString());
        Assert.True(tx.V is 31337 * 2 + 35 or 31337 * 2 + 36);
        Assert.Equal("0x77359400", json.GetProperty("gasPrice").GetString());
        JsonElement receipt = await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]");
        Assert.Equal("0x0", receipt.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_pending_transaction_comes_back_with_null_block_fields_and_no_receipt()
    {
        await _node.ResultAsync("evm_setAutomine", "[false]");
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), new UInt256(1));
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");

        JsonElement pending = await _node.ResultAsync("eth_getTransactionByHash", $"[\"{tx.Hash}\"]");
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("blockHash").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("blockNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("transactionIndex").ValueKind);
        Assert.Equal("0xb2d05e00", pending.GetProperty("gasPrice").GetString());
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]")).ValueKind);
        Assert.Equal("0x1", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{TestNode.Account(0)}\", \"pending\"]")).GetString());
        Assert.Equal("0x0", (await _node.ResultAsync("eth_getTransactionCount", $"[\"{TestNode.Account(0)}\", \"latest\"]")).GetString());
        Assert.Equal(0UL, await _node.BlockNumberAsync());

        Assert.Equal("0x0", (await _node.ResultAsync("evm_mine")).GetString());
        JsonElement mined = await _node.ResultAsync("eth_getTransactionByHash", $"[\"{tx.Hash}\"]");
        Assert.Equal("0x1", mined.GetProperty("blockNumber").GetString());
    }

    [Fact]
    public async Task Unknown_hashes_give_null()
    {
        string unknown = "0x" + new string('a', 64);
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getTransactionByHash", $"[\"{unknown}\"]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{unknown}\"]")).ValueKind);
    }

    [Fact]
    public async Task A_receipt_is_readable_whenever_the_block_number_that_contains_it_is_reported()
    {
        // Poll eth_blockNumber while transactions are mined; every reported block's transactions must have receipts.
        var hashes = new List<Hash256>();
        for (ulong nonce = 0; nonce < 12; nonce++) hashes.Add(TestNode.Transfer(0, nonce, TestNode.Account(1), UInt256.One).Hash);
        Task sending = Task.Run(async () =>
        {
            for (ulong nonce = 0; nonce < 12; nonce++)
            {
                await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, nonce, TestNode.Account(1), UInt256.One))}\"]");
            }
        });
        while (!sending.IsCompleted)
        {
            ulong head = await _node.BlockNumberAsync();
            for (ulong n = 1; n <= head; n++)
            {
                JsonElement block = await _node.ResultAsync("eth_getBlockByNumber", $"[\"{Hex.ToQuantity(n)}\", false]");
                foreach (JsonElement hash in block.GetProperty("transactions").EnumerateArray())
                {
                    JsonElement receipt = await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash.GetString()}\"]");
                    Assert.Equal(JsonValueKind.Object, receipt.ValueKind);
                }
            }
        }
        await sending;
        foreach (Hash256 hash in hashes)
        {
            Assert.Equal(JsonValueKind.Object, (await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]")).ValueKind);
        }
    }

    [Fact]
    public async Task Rejections_carry_the_messages_clients_map_to_typed_errors_and_change_nothing()
    {
        Address to = TestNode.Account(1);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, to, UInt256.One))}\"]");
        ulong head = await _node.BlockNumberAsync();

        (int code, string message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, to, new UInt256(2)))}\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("nonce too low", message);

        byte[] poorKey = Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000abc");
        (code, message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, to, UInt256.One, key: poorKey))}\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("insufficient funds for gas * price + value", message);

        await _node.ResultAsync("evm_setAutomine", "[false]");
        Transaction first = TestNode.Transfer(0, 1, to, UInt256.One, maxFee: 3_000_000_000, tip: 1_000_000_000);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(first)}\"]");
        (code, message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(first)}\"]");
        Assert.Equal((RpcError.ServerError, "already known"), (code, message));
        Transaction cheapReplacement = TestNode.Transfer(0, 1, to, new UInt256(2), maxFee: 3_100_000_000, tip: 1_050_000_000);
        (code, message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(cheapReplacement)}\"]");
        Assert.Equal((RpcError.ServerError, "replacement transaction underpriced"), (code, message));
        Transaction replacement = TestNode.Transfer(0, 1, to, new UInt256(3), maxFee: 3_300_000_000, tip: 1_100_000_000);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(replacement)}\"]");
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getTransactionByHash", $"[\"{first.Hash}\"]")).ValueKind);
        Assert.Equal(head, await _node.BlockNumberAsync());
    }

    [Theory]
    [InlineData("[\"0xzz\"]", "invalid argument 0 (transaction): invalid hex digit")]
    [InlineData("[\"abcd\"]", "invalid argument 0 (transaction): hex string without 0x prefix")]
    [InlineData("[\"0xabc\"]", "invalid argument 0 (transaction): hex string has odd length")]
    [InlineData("[12]", "invalid argument 0 (transaction): expected hex data as a string, got a number")]
    [InlineData("[]", "missing value for required argument 0 (transaction)")]
    [InlineData("[null]", "missing value for required argument 0 (transaction)")]
    [InlineData("[\"0x00\", 1]", "too many arguments, want at most 1")]
    public async Task Bad_raw_transaction_params_are_invalid_params(string paramsJson, string message)
    {
        (int code, string text) = await _node.ErrorAsync("eth_sendRawTransaction", paramsJson);
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.StartsWith(message, text);
    }

    [Fact]
    public async Task Undecodable_or_rule_breaking_transactions_are_server_errors_with_the_reason()
    {
        (int code, string message) = await _node.ErrorAsync("eth_sendRawTransaction", "[\"0xc0\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("rlp:", message);

        Transaction wrongChain = new()
        {
            Type = TxType.DynamicFee, ChainId = 1, Nonce = 0, GasLimit = 21_000, To = TestNode.Account(1),
            MaxFeePerGas = 3_000_000_000, MaxPriorityFeePerGas = 1,
        };
        TransactionSigner.Sign(wrongChain, TestNode.Keys[0]);
        (code, message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(wrongChain)}\"]");
        Assert.Equal(RpcError.ServerError, code);
        Assert.StartsWith("invalid chain id for signer", message);

        Transaction lowGas = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One, gas: 20_000);
        (code, message) = await _node.ErrorAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(lowGas)}\"]");
        Assert.Equal((RpcError.ServerError, "intrinsic gas too low: gas 20000, minimum needed 21000"), (code, message));
        Assert.Equal(0UL, await _node.BlockNumberAsync());
    }

    [Fact]
    public async Task A_batch_of_raw_transactions_is_admitted_together_and_mined_before_the_response()
    {
        var items = new List<string>();
        var hashes = new List<Hash256>();
        for (ulong nonce = 0; nonce < 30; nonce++)
        {
            Transaction tx = TestNode.Transfer((int)(nonce % 3), nonce / 3, TestNode.Account(1), UInt256.One);
            hashes.Add(tx.Hash);
            items.Add($"{{\"jsonrpc\":\"2.0\",\"id\":{nonce},\"method\":\"eth_sendRawTransaction\",\"params\":[\"{TestNode.Raw(tx)}\"]}}");
        }
        items.Add("{\"jsonrpc\":\"2.0\",\"id\":\"bad\",\"method\":\"eth_sendRawTransaction\",\"params\":[\"0xc0\"]}");
        items.Add($"{{\"jsonrpc\":\"2.0\",\"id\":\"dup\",\"method\":\"eth_sendRawTransaction\",\"params\":[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]}}");
        (int status, string body) = await _node.PostRawAsync("[" + string.Join(",", items) + "]");
        Assert.Equal(200, status);
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement[] responses = document.RootElement.EnumerateArray().ToArray();
        Assert.Equal(32, responses.Length);
        for (int i = 0; i < 30; i++) Assert.Equal(hashes[i].ToString(), responses[i].GetProperty("result").GetString());
        Assert.StartsWith("rlp:", responses[30].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("already known", responses[31].GetProperty("error").GetProperty("message").GetString());
        foreach (Hash256 hash in hashes)
        {
            Assert.Equal("0x1", (await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]")).GetProperty("status").GetString());
        }
        Assert.True(_node.Node.Metrics.RecoveryBatchSize.Count >= 1);
    }

    [Fact]
    public async Task A_transaction_behind_a_nonce_gap_waits_in_the_pool_without_holding_the_response()
    {
        Transaction gapped = TestNode.Transfer(0, 1, TestNode.Account(1), UInt256.One);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(gapped)}\"]");
        Assert.Equal(0UL, await _node.BlockNumberAsync());
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getTransactionByHash", $"[\"{gapped.Hash}\"]")).GetProperty("blockHash").ValueKind);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]");
        JsonElement receipt = await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{gapped.Hash}\"]");
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Transactions_are_found_by_block_and_index()
    {
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
        JsonElement byNumber = await _node.ResultAsync("eth_getTransactionByBlockNumberAndIndex", "[\"latest\", \"0x0\"]");
        Assert.Equal(tx.Hash.ToString(), byNumber.GetProperty("hash").GetString());
        string blockHash = byNumber.GetProperty("blockHash").GetString()!;
        JsonElement byHash = await _node.ResultAsync("eth_getTransactionByBlockHashAndIndex", $"[\"{blockHash}\", \"0x0\"]");
        Assert.Equal(tx.Hash.ToString(), byHash.GetProperty("hash").GetString());
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getTransactionByBlockNumberAndIndex", "[\"latest\", \"0x1\"]")).ValueKind);
    }
}
