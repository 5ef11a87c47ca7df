using System.Diagnostics;
using System.Globalization;

namespace NexusFast.Load;

/// <summary>
/// A `nexusfast node` the driver starts for the run: loopback only, its own temporary data directory, a genesis that
/// funds the workload's accounts and a mempool sized to hold the whole workload. Stopped (SIGTERM, then killed after
/// 10 s) and its directory deleted on dispose.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NodeProcess(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>The node's resident set size now, in bytes (0 once it has exited).</summary>
    public long ResidentBytes => ReadStatus("VmRSS:");

    /// <summary>
    /// The most the node's resident set has been since it started (the kernel's high-water mark, VmHWM), in bytes: it
    /// catches spikes between samples of <see cref="ResidentBytes"/>, and includes building the genesis state.
    /// </summary>
    public long PeakResidentBytes => ReadStatus("VmHWM:");

    private long ReadStatus(string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    public static NodeProcess Start(LoadOptions options, string genesisAlloc, int port)
    {
        if (!File.Exists(options.Binary))
            throw new FileNotFoundException($"node binary {options.Binary} not found: run ./build.sh publish (./build.sh load does)");
        string directory = Directory.CreateTempSubdirectory("nexusfast-load-").FullName;
        int perSender = (options.Transactions + options.Accounts - 1) / options.Accounts;
        string config = $$"""
            {
              "chainId": {{options.ChainId}},
              "dataDirectory": "{{Path.Combine(directory, "data")}}",
              "gasLimit": {{options.GasLimit}},
              "blockTimeMs": {{options.BlockTimeMs}},
              "logFormat": "json",
              "rpc": { "host": "127.0.0.1", "port": {{port}}, "batchMax": {{Math.Max(1000, options.Batch)}} },
              "mempool": { "transactionsMax": {{options.Transactions + 1000}}, "perSenderMax": {{perSender + 64}} },
              "genesis": { "alloc": {{genesisAlloc}} }
            }
            """;
        string configPath = Path.Combine(directory, "node.json");
        File.WriteAllText(configPath, config);
        var start = new ProcessStartInfo(options.Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("node");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {options.Binary}");
        // The node logs a line per block; drain both streams into a file so a full pipe never blocks it.
        var log = new StreamWriter(Path.Combine(directory, "node.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NodeProcess(process, directory, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>The last lines the node logged, for an error message.</summary>
    public string LogTail(int lines = 20)
    {
        string path = Path.Combine(_directory, "node.log");
        return File.Exists(path) ? string.Join('\n', File.ReadAllLines(path).TakeLast(lines)) : string.Empty;
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
                if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
            }
            _process.WaitForExit();
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
