using System.Diagnostics;
using System.Runtime.InteropServices;
using NexusFast.Interop.Posix;

namespace NexusFast.Native.Cli;

/// <summary>
/// `nexusfast testnet run`: starts each node as a child process of this same binary (`node --config ...`), prints
/// their output lines prefixed with the node's name, and on SIGINT or SIGTERM sends every child SIGTERM (each finishes
/// its step and checkpoints) and waits for them. A child that exits on its own is a failure: the others are stopped and
/// the exit code is 1.
/// </summary>
public static class TestnetSupervisor
{
    /// <summary>How long children get to stop after SIGTERM before they are killed.</summary>
    private static readonly TimeSpan s_stopWaitMax = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IReadOnlyList<(string Name, string ConfigPath)> nodes, TextWriter output, CancellationToken cancellation)
    {
        var printLock = new Lock();
        void Print(string line)
        {
            lock (printLock) output.WriteLine(line);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        int width = nodes.Max(n => n.Name.Length);
        var children = new List<(string Name, Process Process)>();
        int status = 0;
        try
        {
            foreach ((string name, string configPath) in nodes)
            {
                Process process = Start(name.PadRight(width), configPath, Print);
                children.Add((name, process));
                Print($"{name.PadRight(width)} | started (pid {process.Id}): node --config {configPath}");
            }
            Task<Process> firstExit = Task.WhenAny(children.Select(async c =>
            {
                await c.Process.WaitForExitAsync(CancellationToken.None);
                return c.Process;
            })).Unwrap();
            await Task.WhenAny(firstExit, Task.Delay(Timeout.Infinite, stop.Token)).ConfigureAwait(false);
            if (firstExit.IsCompleted && !stop.IsCancellationRequested)
            {
                Process died = firstExit.Result;
                string name = children.First(c => c.Process == died).Name;
                Print($"{name} exited unexpectedly with code {died.ExitCode}; stopping the other nodes");
                status = 1;
            }
        }
        finally
        {
            await StopAllAsync(children, Print);
        }
        return status;
    }

    private static Process Start(string label, string configPath, Action<string> print)
    {
        string binary = Environment.ProcessPath ?? throw new CliException("cannot tell which binary this is (no process path) to start the nodes with");
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // no terminal for the children: a passphrase must come from its file
            UseShellExecute = false,
        };
        // Run through `dotnet nexusfast.dll` (a JIT build): the children need the same entry point.
        if (Path.GetFileNameWithoutExtension(binary) == "dotnet") start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "nexusfast.dll"));
        foreach (string argument in (string[])["node", "--config", configPath]) start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) print($"{label} | {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) print($"{label} | {e.Data}"); };
        if (!process.Start()) throw new CliException($"could not start {binary}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task StopAllAsync(List<(string Name, Process Process)> children, Action<string> print)
    {
        foreach ((string _, Process process) in children)
        {
            if (!process.HasExited) ProcessSignals.TrySend(process.Id, ProcessSignals.Terminate);
        }
        foreach ((string name, Process process) in children)
        {
            using var wait = new CancellationTokenSource(s_stopWaitMax);
            try
            {
                await process.WaitForExitAsync(wait.Token);
                print($"{name} stopped (exit code {process.ExitCode})");
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                print($"{name} did not stop within {s_stopWaitMax.TotalSeconds} s after SIGTERM and was killed");
            }
            finally
            {
                process.Dispose();
            }
        }
    }
}
