using System.Text.Json;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>Blocks in the shape ethers v6 and viem format, by tag, number and hash.</summary>
public sealed class BlockMethodTests : IAsyncLifetime
{
    private static readonly string[] s_blockFields =
    [
        "number", "hash", "parentHash", "nonce", "sha3Uncles", "logsBloom", "transactionsRoot", "stateRoot", "receiptsRoot",
        "miner", "difficulty", "totalDifficulty", "extraData", "size", "gasLimit", "gasUsed", "timestamp", "baseFeePerGas",
        "mixHash", "transactions", "uncles",
    ];

    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task The_genesis_block_has_every_field_in_canonical_form()
    {
        JsonElement block = await _node.ResultAsync("eth_getBlockByNumber", "[\"0x0\", false]");
        JsonFormat.AssertFields(block, s_blockFields);
        Assert.Equal("0x0", block.GetProperty("number").GetString());
        Assert.Equal("0x0", block.GetProperty("difficulty").GetString());
        Assert.Equal("0x0", block.GetProperty("gasUsed").GetString());
        Assert.Equal("0x1c9c380", block.GetProperty("gasLimit").GetString());
        Assert.Equal("0x3b9aca00", block.GetProperty("baseFeePerGas").GetString());
        Assert.Equal("0x6553f100", block.GetProperty("timestamp").GetString());
        Assert.Equal("0x0000000000000000", block.GetProperty("nonce").GetString());
        Assert.Equal("0x", block.GetProperty("extraData").GetString());
        Assert.Equal("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", block.GetProperty("sha3Uncles").GetString());
        Assert.Equal("0x" + new string('0', 64), block.GetProperty("mixHash").GetString());
        Assert.Equal(_node.Chain.Genesis.Hash.ToString(), block.GetProperty("hash").GetString());
        foreach (string name in new[] { "hash", "parentHash", "transactionsRoot", "stateRoot", "receiptsRoot" }) JsonFormat.AssertHash(block.GetProperty(name).GetString());
        JsonFormat.AssertAddress(block.GetProperty("miner").GetString());
        JsonFormat.AssertData(block.GetProperty("logsBloom").GetString(), 256);
        JsonFormat.AssertQuantity(block.GetProperty("size").GetString());
        Assert.Equal(0, block.GetProperty("transactions").GetArrayLength());
        Assert.Equal(0, block.GetProperty("uncles").GetArrayLength());
    }

    [Fact]
    public async Task Blocks_list_transaction_hashes_or_full_transactions()
    {
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");

        JsonElement hashes = await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]");
        Assert.Equal(tx.Hash.ToString(), Assert.Single(hashes.GetProperty("transactions").EnumerateArray()).GetString());
        Assert.Equal("0x5208", hashes.GetProperty("gasUsed").GetString());
        Assert.Equal(TestNode.Proposer.ToString(), hashes.GetProperty("miner").GetString());
        Assert.Equal(_node.Chain.Genesis.Hash.ToString(), hashes.GetProperty("parentHash").GetString());

        JsonElement full = await _node.ResultAsync("eth_getBlockByNumber", "[\"0x1\", true]");
        JsonElement embedded = Assert.Single(full.GetProperty("transactions").EnumerateArray());
        Assert.Equal(tx.Hash.ToString(), embedded.GetProperty("hash").GetString());
        Assert.Equal(full.GetProperty("hash").GetString(), embedded.GetProperty("blockHash").GetString());

        JsonElement byHash = await _node.ResultAsync("eth_getBlockByHash", $"[\"{full.GetProperty("hash").GetString()}\", true]");
        Assert.Equal(full.GetRawText(), byHash.GetRawText());
        Assert.True(TestNode.Quantity(full.GetProperty("size")) > 500);
    }

    [Fact]
    public async Task Tags_resolve_to_genesis_or_the_head()
    {
        await _node.ResultAsync("evm_mine");
        await _node.ResultAsync("evm_mine");
        Assert.Equal("0x0", (await _node.ResultAsync("eth_getBlockByNumber", "[\"earliest\", false]")).GetProperty("number").GetString());
        foreach (string tag in new[] { "latest", "pending", "safe", "finalized" })
        {
            Assert.Equal("0x2", (await _node.ResultAsync("eth_getBlockByNumber", $"[\"{tag}\", false]")).GetProperty("number").GetString());
        }
    }

    [Fact]
    public async Task Unknown_blocks_are_null()
    {
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getBlockByNumber", "[\"0x5\", false]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getBlockByHash", $"[\"0x{new string('2', 64)}\", false]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getBlockTransactionCountByNumber", "[\"0x5\"]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getBlockTransactionCountByHash", $"[\"0x{new string('2', 64)}\"]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await _node.ResultAsync("eth_getBlockReceipts", "[\"0x5\"]")).ValueKind);
    }

    [Fact]
    public async Task Transaction_counts_and_block_receipts_match_the_block()
    {
        var batch = new List<string>();
        for (ulong n = 0; n < 3; n++)
        {
            batch.Add($"{{\"jsonrpc\":\"2.0\",\"id\":{n},\"method\":\"eth_sendRawTransaction\",\"params\":[\"{TestNode.Raw(TestNode.Transfer(0, n, TestNode.Account(1), UInt256.One))}\"]}}");
        }
        await _node.PostRawAsync("[" + string.Join(",", batch) + "]");
        JsonElement block = await _node.ResultAsync("eth_getBlockByNumber", "[\"latest\", false]");
        int count = block.GetProperty("transactions").GetArrayLength();
        Assert.Equal(3, count);
        Assert.Equal("0x3", (await _node.ResultAsync("eth_getBlockTransactionCountByNumber", "[\"latest\"]")).GetString());
        Assert.Equal("0x3", (await _node.ResultAsync("eth_getBlockTransactionCountByHash", $"[\"{block.GetProperty("hash").GetString()}\"]")).GetString());
        JsonElement[] receipts = (await _node.ResultAsync("eth_getBlockReceipts", "[\"latest\"]")).EnumerateArray().ToArray();
        Assert.Equal(3, receipts.Length);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Hex.ToQuantity((ulong)i), receipts[i].GetProperty("transactionIndex").GetString());
            Assert.Equal(Hex.ToQuantity(21_000UL * (ulong)(i + 1)), receipts[i].GetProperty("cumulativeGasUsed").GetString());
        }
    }

    [Theory]
    [InlineData("[\"0x00\", false]", "invalid argument 0 (block): not a block tag (latest, earliest, pending, safe, finalized) or number: hex number with leading zero digits")]
    [InlineData("[\"0x1\", \"yes\"]", "invalid argument 1 (fullTransactions): expected true or false, got a string")]
    [InlineData("[]", "missing value for required argument 0 (block)")]
    [InlineData("[\"0x10000000000000000\", false]", "invalid argument 0 (block): not a block tag (latest, earliest, pending, safe, finalized) or number: hex number larger than 64 bits")]
    public async Task Bad_block_params_are_invalid_params(string paramsJson, string message)
    {
        (int code, string text) = await _node.ErrorAsync("eth_getBlockByNumber", paramsJson);
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.Equal(message, text);
    }

    [Fact]
    public async Task A_block_hash_param_must_be_32_bytes()
    {
        (int code, string text) = await _node.ErrorAsync("eth_getBlockByHash", "[\"0x1234\", false]");
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.Equal("invalid argument 0 (blockHash): hex string has length 4, want 64 for 32 bytes", text);
    }
}
