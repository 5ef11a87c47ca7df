using System.Text.Json;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc.Rest;

/// <summary>/health, /ready, /metrics and the /v1 resources, in the RPC formats.</summary>
public sealed class RestEndpointTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<(int Status, JsonElement Body)> GetJsonAsync(string path)
    {
        using HttpResponseMessage response = await _node.Http.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Health_and_readiness_report_a_running_node()
    {
        (int status, JsonElement body) = await GetJsonAsync("/health");
        Assert.Equal(200, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        (status, body) = await GetJsonAsync("/ready");
        Assert.Equal(200, status);
        Assert.True(body.GetProperty("ready").GetBoolean());
        Assert.Equal(0, body.GetProperty("head").GetInt64());
    }

    [Fact]
    public async Task Blocks_are_served_by_number_hash_and_tag_in_the_rpc_format()
    {
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
        JsonElement rpc = await _node.ResultAsync("eth_getBlockByNumber", "[\"0x1\", false]");
        foreach (string id in new[] { "1", "0x1", "latest", rpc.GetProperty("hash").GetString()! })
        {
            (int status, JsonElement body) = await GetJsonAsync($"/v1/blocks/{id}");
            Assert.Equal(200, status);
            Assert.Equal(rpc.GetRawText(), body.GetRawText());
        }
        (int fullStatus, JsonElement full) = await GetJsonAsync("/v1/blocks/1?full=true");
        Assert.Equal(200, fullStatus);
        Assert.Equal(tx.Hash.ToString(), full.GetProperty("transactions")[0].GetProperty("hash").GetString());

        (int missing, JsonElement error) = await GetJsonAsync("/v1/blocks/7");
        Assert.Equal(404, missing);
        Assert.Equal("block 7 not found", error.GetProperty("error").GetString());
        foreach (string bad in new[] { "01", "0x01", "-1", "abc", "0x" + new string('z', 64) })
        {
            (int status, JsonElement body) = await GetJsonAsync($"/v1/blocks/{bad}");
            Assert.Equal(400, status);
            Assert.Contains("invalid block", body.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Transactions_come_with_their_receipt_or_pending_with_none()
    {
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
        (int status, JsonElement body) = await GetJsonAsync($"/v1/transactions/{tx.Hash}");
        Assert.Equal(200, status);
        Assert.Equal((await _node.ResultAsync("eth_getTransactionByHash", $"[\"{tx.Hash}\"]")).GetRawText(), body.GetProperty("transaction").GetRawText());
        Assert.Equal((await _node.ResultAsync("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]")).GetRawText(), body.GetProperty("receipt").GetRawText());

        await _node.ResultAsync("evm_setAutomine", "[false]");
        Transaction pending = TestNode.Transfer(0, 1, TestNode.Account(1), UInt256.One);
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(pending)}\"]");
        (status, body) = await GetJsonAsync($"/v1/transactions/{pending.Hash}");
        Assert.Equal(200, status);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("receipt").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("transaction").GetProperty("blockNumber").ValueKind);

        (status, _) = await GetJsonAsync($"/v1/transactions/0x{new string('4', 64)}");
        Assert.Equal(404, status);
        (status, body) = await GetJsonAsync("/v1/transactions/0x1234");
        Assert.Equal(400, status);
        Assert.StartsWith("invalid transaction hash", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Accounts_show_balance_nonces_and_hashes_at_the_head()
    {
        await _node.ResultAsync("evm_setAutomine", "[false]");
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]");
        (int status, JsonElement body) = await GetJsonAsync($"/v1/accounts/{TestNode.Account(0)}");
        Assert.Equal(200, status);
        Assert.Equal(TestNode.Account(0).ToString(), body.GetProperty("address").GetString());
        Assert.Equal("0x21e19e0c9bab2400000", body.GetProperty("balance").GetString());
        Assert.Equal("0x0", body.GetProperty("nonce").GetString());
        Assert.Equal("0x1", body.GetProperty("pendingNonce").GetString());
        Assert.Equal("0x0", body.GetProperty("blockNumber").GetString());
        JsonFormat.AssertHash(body.GetProperty("codeHash").GetString());
        (status, body) = await GetJsonAsync("/v1/accounts/0x12");
        Assert.Equal(400, status);
        Assert.StartsWith("invalid address", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_with_chain_pool_production_and_rpc_series()
    {
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]");
        await _node.ResultAsync("evm_setAutomine", "[false]");
        await _node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 1, TestNode.Account(1), UInt256.One))}\"]");
        await _node.ErrorAsync("no_such_method");
        await _node.PostRawAsync("{bad json");

        using HttpResponseMessage response = await _node.Http.GetAsync("/metrics");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("nexusfast_head_block_number 1", lines);
        Assert.Contains("nexusfast_transactions_committed_total 1", lines);
        Assert.Contains("nexusfast_blocks_produced_total 1", lines);
        Assert.Contains("nexusfast_transactions_accepted_total 2", lines);
        Assert.Contains("nexusfast_mempool_transactions{state=\"ready\"} 1", lines);
        Assert.Contains("nexusfast_mempool_transactions{state=\"waiting\"} 0", lines);
        Assert.Contains("nexusfast_recovery_checkpoint_block -1", lines);
        Assert.Contains("nexusfast_rpc_calls_total{method=\"eth_sendRawTransaction\"} 2", lines);
        Assert.Contains("nexusfast_rpc_calls_total{method=\"unknown\"} 1", lines);
        Assert.Contains("nexusfast_rpc_errors_total{method=\"unknown\"} 1", lines);
        Assert.Contains("nexusfast_rpc_rejected_requests_total{reason=\"parse_error\"} 1", lines);
        Assert.Contains("nexusfast_rpc_call_duration_seconds_count{method=\"eth_sendRawTransaction\"} 2", lines);
        Assert.Contains(lines, l => l.StartsWith("nexusfast_rpc_call_duration_seconds_bucket{method=\"eth_sendRawTransaction\",le=\"+Inf\"} 2", StringComparison.Ordinal));
        Assert.Contains("nexusfast_block_production_seconds_count 1", lines);
        Assert.Contains("# TYPE nexusfast_block_production_seconds histogram", lines);
        // Every sample line is "name{labels} value" with a numeric value.
        foreach (string line in lines.Where(l => !l.StartsWith('#')))
        {
            string value = line[(line.LastIndexOf(' ') + 1)..];
            Assert.True(double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _), line);
        }
    }
}
