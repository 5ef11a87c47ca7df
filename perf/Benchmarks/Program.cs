using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using NexusFast.Benchmarks.Report;

namespace NexusFast.Benchmarks;

public static class Program
{
    // `./build.sh bench` runs every suite and regenerates perf/REPORT.md; BenchmarkDotNet arguments narrow
    // the run (e.g. --filter '*Keccak*'), in which case only those suites' sections of the report are replaced.
    public static int Main(string[] args)
    {
        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToArray();
        if (summaries.Length == 0) return 0;
        string reportPath = ReportWriter.Write(summaries, args);
        Console.WriteLine($"report written to {reportPath}");
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
