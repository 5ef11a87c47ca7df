using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NexusFast.Benchmarks.Report;

namespace NexusFast.Benchmarks;

public static class Program
{
    // `./build.sh bench` runs every suite and regenerates perf/REPORT.md; BenchmarkDotNet arguments narrow
    // the run (e.g. --filter '*Keccak*'), in which case only those suites' sections of the report are replaced.
    // `--block-profile [blocks [accounts transfers]]` instead prints where a block's time goes (BlockProfile), without
    // BenchmarkDotNet; with a state size and block size it also prints memory (e.g. `--block-profile 6 1000000 50000`).
    // `--write-section NAME` reassembles REPORT.md after a section written outside BenchmarkDotNet (perf/results/NAME.md,
    // e.g. NodeRpcBenchmarks from `./build.sh load-rpc`).
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--write-section")
        {
            Console.WriteLine($"report written to {ReportWriter.Reassemble()}");
            return 0;
        }
        if (args.Length > 0 && args[0] == "--block-profile")
        {
            System.Globalization.CultureInfo invariant = System.Globalization.CultureInfo.InvariantCulture;
            int blocks = args.Length > 1 ? int.Parse(args[1], invariant) : 40;
            if (args.Length > 3) BlockProfile.Run(blocks, int.Parse(args[2], invariant), int.Parse(args[3], invariant));
            else BlockProfile.Run(blocks);
            return 0;
        }
        // Without a filter BenchmarkDotNet asks interactively which suite to run; `./build.sh bench` means all of them.
        string[] run = args;
        if (!Array.Exists(args, a => a is "--filter" or "-f" or "--list" or "--help" or "-h" || a.StartsWith("--filter=", StringComparison.Ordinal)))
            run = [.. args, "--filter", "*"];
        string loadAtStart = ReportWriter.LoadAverage();
        DateTime startedUtc = DateTime.UtcNow;
        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(run).ToArray();
        if (summaries.Length == 0) return 0;
        string reportPath = ReportWriter.Write(summaries, args, startedUtc, loadAtStart);
        Console.WriteLine($"report written to {reportPath}");
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
