using System.Globalization;
using BenchmarkDotNet.Reports;

namespace NexusFast.Benchmarks.Report;

/// <summary>
/// Machine-readable medians and allocations per benchmark case, kept beside each suite's section
/// (perf/results/&lt;Suite&gt;.tsv) so that targets can be evaluated from the latest run of every suite.
/// </summary>
public static class Measurements
{
    public sealed record Row(string Suite, string Method, string Parameters, double MedianNs, long AllocatedBytes, double OperationsPerInvoke);

    public static void Save(string resultsDir, string suite, IReadOnlyList<BenchmarkReport> reports)
    {
        using var writer = new StreamWriter(Path.Combine(resultsDir, suite + ".tsv"));
        writer.WriteLine("method\tparameters\tmedian_ns\tallocated_bytes\toperations_per_invoke");
        foreach (BenchmarkReport report in reports)
        {
            if (report.ResultStatistics is null) continue;
            long allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
            writer.WriteLine(string.Join('\t',
                report.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                report.BenchmarkCase.Parameters.DisplayInfo,
                report.ResultStatistics.Median.ToString("R", CultureInfo.InvariantCulture),
                allocated.ToString(CultureInfo.InvariantCulture),
                report.BenchmarkCase.Descriptor.OperationsPerInvoke.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public static List<Row> Load(string resultsDir, string suite)
    {
        var rows = new List<Row>();
        string path = Path.Combine(resultsDir, suite + ".tsv");
        if (!File.Exists(path)) return rows;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] f = line.Split('\t');
            if (f.Length < 5) continue;
            rows.Add(new Row(suite, f[0], f[1],
                double.Parse(f[2], CultureInfo.InvariantCulture),
                long.Parse(f[3], CultureInfo.InvariantCulture),
                double.Parse(f[4], CultureInfo.InvariantCulture)));
        }
        return rows;
    }
}
