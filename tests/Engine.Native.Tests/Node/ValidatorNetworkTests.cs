using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Cli;
using NexusFast.Native.Config;
using NexusFast.Native.Hosting;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Node;

/// <summary>
/// Four validators in one process, each started the way `nexusfast node --config` starts one (<see cref="RunningNode"/>
/// from the configs `testnet init` writes): real chains in temporary data directories, real consensus, encrypted links
/// and JSON-RPC servers on 127.0.0.1. A transfer sent to one of them must end up in the same block on all.
/// </summary>
public sealed class ValidatorNetworkTests : IAsyncLifetime
{
    private const int Validators = 4;
    private static readonly TimeSpan s_waitLimit = TimeSpan.FromSeconds(90);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"nexusfast-validators-{Guid.NewGuid():N}");
    private readonly List<RunningNode> _nodes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private IReadOnlyList<TestnetNode> _layout = [];

    public async Task InitializeAsync()
    {
        int[] ports = FreePorts(2 * Validators);
        _layout = TestnetLayout.Write(new TestnetSpec
        {
            Directory = _directory,
            Validators = Validators,
            ChainId = TestNode.ChainId,
            RpcPorts = ports[..Validators],
            P2pPorts = ports[Validators..],
            Accounts = 3,
            BlockIntervalMs = 100,
            Timeouts = new TimeoutsSection { ProposeMs = 1500, PrevoteMs = 500, PrecommitMs = 500 },
        });
        try
        {
            foreach (TestnetNode layout in _layout)
            {
                NodeSettings settings = NodeSettingsLoader.Load(layout.ConfigPath, _ => null, new Dictionary<string, string>());
                byte[] secret = KeysCommands.Decrypt(settings.ValidatorKeyFile!, PassphraseSource.FromFile(settings.ValidatorPassphraseFile!));
                _nodes.Add(await RunningNode.StartAsync(settings, new NodeStart { Proposer = layout.Validator, ValidatorSecret = secret },
                    NullLoggerFactory.Instance, CancellationToken.None));
            }
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (RunningNode node in _nodes) await node.DisposeAsync();
        _nodes.Clear();
        _http.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_transfer_sent_to_one_validator_gets_the_same_receipt_and_block_on_every_validator()
    {
        await WaitUntilAsync(async () => (await Task.WhenAll(_layout.Select(BlockNumberAsync))).All(h => h >= 2), "every node committed block 2");

        Transaction transfer = TestNode.Transfer(0, 0, TestNode.Account(1), new UInt256(123_456));
        JsonElement sent = await CallAsync(_layout[2], "eth_sendRawTransaction", $"[\"{TestNode.Raw(transfer)}\"]");
        Assert.Equal(transfer.Hash.ToString(), sent.GetProperty("result").GetString());

        var receipts = new JsonElement[Validators];
        await WaitUntilAsync(async () =>
        {
            for (int i = 0; i < Validators; i++)
            {
                JsonElement receipt = (await CallAsync(_layout[i], "eth_getTransactionReceipt", $"[\"{transfer.Hash}\"]")).GetProperty("result");
                if (receipt.ValueKind == JsonValueKind.Null) return false;
                receipts[i] = receipt;
            }
            return true;
        }, "every node has the receipt");

        string blockNumber = receipts[0].GetProperty("blockNumber").GetString()!;
        foreach (JsonElement receipt in receipts)
        {
            Assert.Equal("0x1", receipt.GetProperty("status").GetString());
            Assert.Equal(blockNumber, receipt.GetProperty("blockNumber").GetString());
            Assert.Equal(receipts[0].GetProperty("blockHash").GetString(), receipt.GetProperty("blockHash").GetString());
        }
        // The same block, state root and resulting balance everywhere.
        var blocks = new List<JsonElement>();
        foreach (TestnetNode node in _layout) blocks.Add((await CallAsync(node, "eth_getBlockByNumber", $"[\"{blockNumber}\", false]")).GetProperty("result"));
        Assert.All(blocks, b => Assert.Equal(blocks[0].GetProperty("hash").GetString(), b.GetProperty("hash").GetString()));
        Assert.All(blocks, b => Assert.Equal(blocks[0].GetProperty("stateRoot").GetString(), b.GetProperty("stateRoot").GetString()));
        Assert.Contains(blocks[0].GetProperty("miner").GetString(), _layout.Select(n => n.Validator.ToString()), StringComparer.OrdinalIgnoreCase);
        foreach (TestnetNode node in _layout)
        {
            JsonElement balance = (await CallAsync(node, "eth_getBalance", $"[\"{TestNode.Account(1)}\", \"{blockNumber}\"]")).GetProperty("result");
            Assert.Equal(TestNode.InitialBalance + new UInt256(123_456), TestNode.BigQuantity(balance));
        }

        // Every node follows the same chain: the block after the transfer's has one hash everywhere too.
        ulong next = TestNode.Quantity(receipts[0].GetProperty("blockNumber")) + 1;
        await WaitUntilAsync(async () => (await Task.WhenAll(_layout.Select(BlockNumberAsync))).All(h => h >= next), $"every node committed block {next}");
        string[] hashes = await Task.WhenAll(_layout.Select(async n =>
            (await CallAsync(n, "eth_getBlockByNumber", $"[\"0x{next:x}\", false]")).GetProperty("result").GetProperty("hash").GetString()!));
        Assert.All(hashes, h => Assert.Equal(hashes[0], h));

        Assert.All(_nodes, n => Assert.Equal(Validators - 1, n.Node.Metrics.Consensus.PeersConnected));
        Assert.All(_nodes, n => Assert.True(n.Node.Metrics.Consensus.BlocksCommitted >= 3));
    }

    [Fact]
    public async Task A_validator_refuses_development_methods_and_serves_consensus_metrics()
    {
        JsonElement error = (await CallAsync(_layout[0], "evm_mine", "[]")).GetProperty("error");
        Assert.Contains("this node runs BFT consensus", error.GetProperty("message").GetString(), StringComparison.Ordinal);

        await WaitUntilAsync(async () => await BlockNumberAsync(_layout[0]) >= 1, "node0 committed a block");
        string metrics = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{_layout[0].RpcPort}/metrics"));
        Assert.Contains("nexusfast_consensus_height ", metrics, StringComparison.Ordinal);
        Assert.Contains("nexusfast_consensus_round ", metrics, StringComparison.Ordinal);
        Assert.Contains($"nexusfast_peers_connected {Validators - 1}", metrics, StringComparison.Ordinal);
    }

    private async Task<ulong> BlockNumberAsync(TestnetNode node) => TestNode.Quantity((await CallAsync(node, "eth_blockNumber", "[]")).GetProperty("result"));

    private async Task<JsonElement> CallAsync(TestnetNode node, string method, string paramsJson)
    {
        string body = $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri($"http://127.0.0.1:{node.RpcPort}/"), content);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + s_waitLimit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {s_waitLimit.TotalSeconds} s waiting until {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Ports the system reports free now (bound to port 0, then released); distinct.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
