using System.Diagnostics;
using System.Globalization;

namespace NexusFast.Load;

/// <summary>
/// One `nexusfast node --config FILE` process the driver started. Its stdout and stderr are drained into a log file
/// beside the config (a full pipe would block the node). Stopped with SIGTERM, then killed after 10 s, on dispose.
/// </summary>
public sealed class NodeProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _logPath;

    private NodeProcess(Process process, string logPath, Uri url)
    {
        _process = process;
        _logPath = logPath;
        Url = url;
    }

    public Uri Url { get; }

    public bool HasExited => _process.HasExited;

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

    public static NodeProcess Start(string binary, string configPath, int rpcPort)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("node");
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        // The node logs a line per block; drain both streams into a file so a full pipe never blocks it.
        string logPath = Path.Combine(Path.GetDirectoryName(configPath)!, "node.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NodeProcess(process, logPath, new Uri($"http://127.0.0.1:{rpcPort}/"));
    }

    /// <summary>The last lines the node logged, for an error message.</summary>
    public string LogTail(int lines = 20) => File.Exists(_logPath) ? string.Join('\n', File.ReadAllLines(_logPath).TakeLast(lines)) : string.Empty;

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
        }
    }
}
