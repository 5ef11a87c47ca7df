using System.Text;

namespace NexusFast.Benchmarks.Report;

/// <summary>
/// The performance targets of the issues, evaluated from the latest measurements of each suite. A target whose
/// suite has not been run yet says so instead of guessing.
/// </summary>
public static class Targets
{
    private const int TransfersPerBlock = 10_000;

    public static string Render(string resultsDir)
    {
        var text = new StringBuilder();
        text.AppendLine("| Target | Measured | Met |");
        text.AppendLine("|---|---|---|");
        foreach (TargetCheck check in All())
        {
            (string measured, bool? met) = check.Evaluate(resultsDir);
            text.AppendLine($"| {check.Description} | {measured} | {(met is null ? "not measured" : met.Value ? "yes" : "**no**")} |");
        }
        return text.ToString();
    }

    private static IEnumerable<TargetCheck> All()
    {
        yield return new TargetCheck(
            // SenderRecoveryBenchmarks supersedes Secp256k1Benchmarks here: it measures the whole per-transaction
            // recovery (signing hash, recovery, address), which is what the mempool and block import pay.
            "Batch sender recovery on all cores >= 1.8x single-core (SenderRecoveryBenchmarks)",
            dir =>
            {
                var rows = Measurements.Load(dir, "SenderRecoveryBenchmarks");
                var single = rows.FirstOrDefault(r => r.Method.Contains("Single", StringComparison.Ordinal));
                var batch = rows.FirstOrDefault(r => r.Method.Contains("Batch", StringComparison.Ordinal));
                if (single is null || batch is null) return ("-", null);
                double speedup = single.MedianNs / batch.MedianNs;
                return ($"{speedup:0.00}x ({ReportWriter.Time(single.MedianNs)} vs {ReportWriter.Time(batch.MedianNs)} per transaction)", speedup >= 1.8);
            });
        yield return new TargetCheck(
            "Execute + commit a block of 10,000 transfers among 100,000 accounts, state root included, <= 100 ms (BlockBenchmarks.ExecuteAndCommit: "
                + "execution, all roots, durable block-log append, state apply)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "BlockBenchmarks");
                Measurements.Row? row = rows.FirstOrDefault(r => r.Method == "ExecuteAndCommit");
                if (row is null) return ("-", null);
                double ms = row.MedianNs / 1e6;
                string parts = string.Join(", ", rows.Where(r => r.Method is "ExecuteOnly" or "ExecuteAndSeal")
                    .Select(r => $"{r.Method} {r.MedianNs / 1e6:0.0} ms"));
                return ($"{ms:0.0} ms per block, {TransfersPerBlock / (ms / 1000):N0} transfers/s" + (parts.Length > 0 ? $" ({parts})" : ""), ms <= 100);
            });
        yield return new TargetCheck(
            "Zero bytes allocated per transfer in execution steady state (BlockBenchmarks.ExecuteOnly, allocations per block / 10,000)",
            dir =>
            {
                Measurements.Row? row = Measurements.Load(dir, "BlockBenchmarks").FirstOrDefault(r => r.Method == "ExecuteOnly");
                if (row is null || row.AllocatedBytes < 0) return ("-", null);
                double perTransfer = row.AllocatedBytes / (double)TransfersPerBlock;
                // Anything allocated per transfer is at least one object header (24 bytes); what remains below one byte on
                // average is per block.
                return ($"{perTransfer:0.00} B per transfer ({row.AllocatedBytes} B per block)", perTransfer < 1);
            });
    }

    private sealed record TargetCheck(string Description, Func<string, (string Measured, bool? Met)> Evaluate);
}
