using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace NexusFast.Load;

/// <summary>
/// The nodes a run drives, all on loopback in one temporary directory (deleted on dispose): either one `nexusfast node`
/// that mines a block every --block-time ms by itself (the single-validator devnet shape), or, with --validators N, a
/// BFT testnet of N validator processes written by `nexusfast testnet init`. Either way every genesis funds the
/// workload's accounts and every mempool can hold the whole workload. Transactions go to the first node; the others get
/// them by gossip.
/// </summary>
public sealed class NodeCluster : IDisposable
{
    public const int RpcPortBase = 8650;
    public const int P2pPortBase = 26750;

    private readonly string _directory;

    private NodeCluster(string directory, NodeProcess[] nodes)
    {
        _directory = directory;
        Nodes = nodes;
    }

    public IReadOnlyList<NodeProcess> Nodes { get; }

    public Uri Url => Nodes[0].Url;

    public bool HasExited => Nodes.Any(n => n.HasExited);

    /// <summary>The largest resident set of one node now, in bytes.</summary>
    public long ResidentBytes => Nodes.Max(n => n.ResidentBytes);

    /// <summary>The largest kernel high-water mark of one node (VmHWM), in bytes.</summary>
    public long PeakResidentBytes => Nodes.Max(n => n.PeakResidentBytes);

    public static NodeCluster Start(LoadOptions options, string genesisAlloc)
    {
        if (!File.Exists(options.Binary))
            throw new FileNotFoundException($"node binary {options.Binary} not found: run ./build.sh publish (./build.sh load does)");
        string directory = Directory.CreateTempSubdirectory("nexusfast-load-").FullName;
        try
        {
            string[] configs = options.Validators == 0 ? [WriteSingleNode(options, genesisAlloc, directory)] : WriteTestnet(options, genesisAlloc, directory);
            var nodes = configs.Select((config, i) => NodeProcess.Start(options.Binary, config, RpcPortBase + i)).ToArray();
            return new NodeCluster(directory, nodes);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>What the report says about the nodes.</summary>
    public string Describe(LoadOptions options)
    {
        string blocks = $"of at most {options.GasLimit:N0} gas ({options.GasLimit / 21_000:N0} transfers), durable block logs in a temporary directory";
        return options.Validators == 0
            ? $"{options.Binary} (Native AOT) `node`, a single node mining a block every {options.BlockTimeMs} ms {blocks}"
            : $"{options.Validators} {options.Binary} (Native AOT) validator processes of a `testnet init` BFT chain (proposers gather transactions for {options.BlockTimeMs} ms), blocks {blocks}; transactions submitted to node0, gossiped to the rest";
    }

    /// <summary>The last lines of the first node's log and of every node that exited, for an error message.</summary>
    public string LogTail() => string.Join('\n', Nodes.Select((n, i) => (n, i)).Where(x => x.i == 0 || x.n.HasExited).Select(x => $"node{x.i}:\n{x.n.LogTail()}"));

    public void Dispose()
    {
        // Stop them together: a validator stopped alone keeps the others waiting on its votes, which is fine, but serial
        // 10 s grace periods are not.
        Parallel.ForEach(Nodes, node => node.Dispose());
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string WriteSingleNode(LoadOptions options, string genesisAlloc, string directory)
    {
        string config = $$"""
            {
              "chainId": {{options.ChainId}},
              "dataDirectory": "{{Path.Combine(directory, "data")}}",
              "gasLimit": {{options.GasLimit}},
              "blockTimeMs": {{options.BlockTimeMs}},
              "logFormat": "json",
              "rpc": { "host": "127.0.0.1", "port": {{RpcPortBase}}, "batchMax": {{Math.Max(1000, options.Batch)}} },
              "mempool": { "transactionsMax": {{MempoolMax(options)}}, "perSenderMax": {{PerSenderMax(options)}} },
              "genesis": { "alloc": {{genesisAlloc}} }
            }
            """;
        string path = Path.Combine(directory, "node.json");
        File.WriteAllText(path, config);
        return path;
    }

    /// <summary>`nexusfast testnet init`, then the workload's settings written into each node's config.</summary>
    private static string[] WriteTestnet(LoadOptions options, string genesisAlloc, string directory)
    {
        string testnet = Path.Combine(directory, "testnet");
        var init = new ProcessStartInfo(options.Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["testnet", "init", "--validators", options.Validators.ToString(CultureInfo.InvariantCulture), "--out", testnet,
            "--chain-id", options.ChainId.ToString(CultureInfo.InvariantCulture), "--accounts", "0",
            "--base-rpc-port", RpcPortBase.ToString(CultureInfo.InvariantCulture), "--base-p2p-port", P2pPortBase.ToString(CultureInfo.InvariantCulture),
            "--block-time", options.BlockTimeMs.ToString(CultureInfo.InvariantCulture)])
        {
            init.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(init) ?? throw new InvalidOperationException($"could not start {options.Binary}");
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"`{options.Binary} testnet init` failed ({process.ExitCode}): {output}");

        JsonNode alloc = JsonNode.Parse(genesisAlloc)!;
        var configs = new string[options.Validators];
        for (int i = 0; i < configs.Length; i++)
        {
            string path = Path.Combine(testnet, $"node{i}", "config.json");
            JsonNode config = JsonNode.Parse(File.ReadAllText(path))!;
            config["gasLimit"] = options.GasLimit;
            config["logFormat"] = "json";
            config["rpc"]!["batchMax"] = Math.Max(1000, options.Batch);
            config["mempool"] = new JsonObject { ["transactionsMax"] = MempoolMax(options), ["perSenderMax"] = PerSenderMax(options) };
            config["genesis"]!["alloc"] = alloc.DeepClone();
            File.WriteAllText(path, config.ToJsonString());
            configs[i] = path;
        }
        return configs;
    }

    private static int MempoolMax(LoadOptions options) => options.Transactions + 1000;

    private static int PerSenderMax(LoadOptions options) => (options.Transactions + options.Accounts - 1) / options.Accounts + 64;
}
