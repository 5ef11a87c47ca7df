using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Node;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Node;

/// <summary>Automine under concurrency, interval mining, rewinds under load and clean shutdown.</summary>
public sealed class BlockProducerTests
{
    private static NodeOptions Devnet(bool automine = true, ulong blockTimeMs = 0) => new()
    {
        IsDevnet = true,
        Automine = automine,
        BlockTimeMs = blockTimeMs,
        Accounts = [TestNode.Account(0)],
    };

    [Fact]
    public async Task Concurrent_senders_are_mined_together_and_each_response_finds_its_receipt()
    {
        await using TestNode node = await TestNode.StartAsync();
        const int PerSender = 15;
        Task[] senders = Enumerable.Range(0, 3).Select(from => Task.Run(async () =>
        {
            for (ulong nonce = 0; nonce < PerSender; nonce++)
            {
                Transaction tx = TestNode.Transfer(from, nonce, TestNode.Account((from + 1) % 3), UInt256.One);
                await node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
                JsonElement receipt = await node.ResultAsync("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]");
                Assert.Equal("0x1", receipt.GetProperty("status").GetString());
            }
        })).ToArray();
        await Task.WhenAll(senders);
        ulong head = await node.BlockNumberAsync();
        Assert.InRange(head, 1UL, 3UL * PerSender);
        Assert.Equal(3 * PerSender, node.Node.Metrics.TransactionsCommitted);
        Assert.Equal(0, node.Chain.Pool.Count);
    }

    [Fact]
    public async Task Interval_mining_produces_blocks_on_its_own_and_includes_submissions_without_holding_the_response()
    {
        await using TestNode node = await TestNode.StartAsync(Devnet(automine: false, blockTimeMs: 100));
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One);
        await node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]");
        // Generous deadlines: the suite runs in parallel on two cores, and only the order of events is asserted.
        JsonElement receipt = default;
        for (int i = 0; i < 500; i++)
        {
            receipt = await node.ResultAsync("eth_getTransactionReceipt", $"[\"{tx.Hash}\"]");
            if (receipt.ValueKind != JsonValueKind.Null) break;
            await Task.Delay(20);
        }
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        ulong seen = await node.BlockNumberAsync();
        for (int i = 0; i < 500 && await node.BlockNumberAsync() < seen + 2; i++) await Task.Delay(20);
        Assert.True(await node.BlockNumberAsync() >= seen + 2, "interval mining keeps producing (empty) blocks");
        JsonElement empty = await node.ResultAsync("eth_getBlockByNumber", $"[\"{Hex.ToQuantity(seen + 1)}\", false]");
        Assert.Equal(0, empty.GetProperty("transactions").GetArrayLength());
    }

    [Fact]
    public async Task Reverts_while_clients_read_never_surface_a_disposed_chain()
    {
        await using TestNode node = await TestNode.StartAsync();
        using var stop = new CancellationTokenSource();
        int readErrors = 0;
        Task reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                JsonElement response = await node.CallAsync("eth_getBalance", $"[\"{TestNode.Account(1)}\"]");
                if (response.TryGetProperty("error", out _)) Interlocked.Increment(ref readErrors);
                await node.CallAsync("eth_getBlockByNumber", "[\"latest\", true]");
            }
        });
        for (int round = 0; round < 8; round++)
        {
            string snapshot = (await node.ResultAsync("evm_snapshot")).GetString()!;
            await node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), new UInt256(5)))}\"]");
            Assert.True((await node.ResultAsync("evm_revert", $"[\"{snapshot}\"]")).GetBoolean());
        }
        stop.Cancel();
        await reader;
        Assert.Equal(0, readErrors);
        Assert.Equal(0UL, await node.BlockNumberAsync());
        Assert.Equal("0x21e19e0c9bab2400000", (await node.ResultAsync("eth_getBalance", $"[\"{TestNode.Account(1)}\"]")).GetString());
    }

    [Fact]
    public async Task Disposing_stops_production_and_refuses_later_changes()
    {
        Blockchain chain = Blockchain.Open(TestNode.ChainOptions());
        var node = new NodeContext(chain, Devnet(automine: true, blockTimeMs: 20));
        node.Start();
        Assert.True(node.IsReady);
        Assert.True(node.Producer.TryMine(null, out Block? mined, out _));
        Assert.Equal(1UL, mined!.Number);
        await node.DisposeAsync();
        Assert.False(node.IsReady);
        Assert.False(node.Producer.TryMine(null, out _, out string? error));
        Assert.Equal("the node is shutting down", error);
        Assert.Throws<ObjectDisposedException>(() => chain.GetAccount(TestNode.Account(0), out _));
    }

    [Fact]
    public async Task Calls_that_arrive_after_the_node_was_disposed_are_answered_not_hung()
    {
        await using TestNode node = await TestNode.StartAsync();
        await node.Node.DisposeAsync();
        (int code, string message) = await node.ErrorAsync("eth_blockNumber");
        Assert.Equal((Native.Rpc.RpcError.InternalError, "the node is shutting down"), (code, message));
        (int status, string body) = await node.PostRawAsync(
            $"[{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"{TestNode.Raw(TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One))}\"]}}," +
            $"{{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_sendRawTransaction\",\"params\":[\"{TestNode.Raw(TestNode.Transfer(0, 1, TestNode.Account(1), UInt256.One))}\"]}}]");
        Assert.Equal(200, status);
        Assert.Contains("the node is shutting down", body);
    }

    [Fact]
    public async Task Disposing_a_durable_node_checkpoints_so_the_next_start_replays_nothing()
    {
        string directory = Path.Combine(Path.GetTempPath(), "nexusfast-node-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (TestNode node = await TestNode.StartAsync(directory: directory))
            {
                for (ulong n = 0; n < 3; n++)
                {
                    await node.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(TestNode.Transfer(0, n, TestNode.Account(1), UInt256.One))}\"]");
                }
            }
            using Blockchain reopened = Blockchain.Open(TestNode.ChainOptions(directory));
            Assert.Equal(3UL, reopened.Head.Number);
            Assert.Equal(3UL, reopened.RecoveredCheckpoint);
            Assert.Equal(0, reopened.ReplayedBlocks);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_body_that_does_not_arrive_in_time_is_answered_with_a_timeout()
    {
        await using TestNode node = await TestNode.StartAsync(rpcOptions: new Native.Rpc.RpcOptions { RequestTimeoutMs = 300 });
        using var content = new SlowContent();
        using HttpResponseMessage response = await node.Http.PostAsync("/", content);
        Assert.Equal(408, (int)response.StatusCode);
        Assert.Contains("request timed out", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends the start of a body, then stalls.</summary>
    private sealed class SlowContent : HttpContent
    {
        public SlowContent() => Headers.ContentType = new("application/json");

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync("[{\"jsonrpc\":"u8.ToArray());
            await stream.FlushAsync();
            await Task.Delay(3000);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
