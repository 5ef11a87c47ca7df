using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NexusFast.Load;

/// <summary>
/// Turns a finished run into perf/results/LoadTest.md (the section `./build.sh load` adds to perf/REPORT.md), its
/// LoadTest.tsv (numbers the report's target table reads) and two SVG charts: throughput and latency over time.
/// </summary>
public sealed class LoadReport
{
    public required LoadOptions Options { get; init; }
    public required LoadTimeline Timeline { get; init; }
    public required RecoveryBaseline.Rates Recovery { get; init; }
    public required string Command { get; init; }
    public required DateTime StartedUtc { get; init; }
    public required string LoadAtStart { get; init; }
    public required string NodeDescription { get; init; }
    public long PeakRssBytes { get; init; }
    public long StartupRssBytes { get; init; }

    /// <summary>The node's VmHWM at the end: its largest resident set since it started, genesis included.</summary>
    public long HighWaterRssBytes { get; init; }

    /// <summary>Committed transactions per second from the first submission to the last commit.</summary>
    public double SustainedTps { get; private set; }

    public string Summary { get; private set; } = string.Empty;

    public void Write()
    {
        LoadTimeline t = Timeline;
        var committed = Enumerable.Range(0, t.CommitTicks.Length).Where(i => t.CommitTicks[i] != 0).ToArray();
        long firstSubmit = t.SubmitTicks.Where(x => x != 0).DefaultIfEmpty(t.StartTicks).Min();
        long lastCommit = committed.Length == 0 ? firstSubmit : committed.Max(i => t.CommitTicks[i]);
        double span = Math.Max(1e-9, (lastCommit - firstSubmit) / (double)Stopwatch.Frequency);
        SustainedTps = committed.Length / span;
        double[] latencyMs = committed.Select(i => (t.CommitTicks[i] - t.SubmitTicks[i]) * 1000.0 / Stopwatch.Frequency).Order().ToArray();

        int seconds = (int)Math.Ceiling(t.Seconds(Math.Max(lastCommit, t.SubmitTicks.Max())));
        var submittedPerSecond = new double[seconds + 1];
        var committedPerSecond = new double[seconds + 1];
        var latencyBySecond = new List<double>[seconds + 1];
        for (int s = 0; s <= seconds; s++) latencyBySecond[s] = [];
        for (int i = 0; i < t.SubmitTicks.Length; i++)
        {
            if (t.SubmitTicks[i] != 0) submittedPerSecond[Bucket(t, t.SubmitTicks[i], seconds)]++;
        }
        foreach (int i in committed)
        {
            int s = Bucket(t, t.CommitTicks[i], seconds);
            committedPerSecond[s]++;
            latencyBySecond[s].Add((t.CommitTicks[i] - t.SubmitTicks[i]) * 1000.0 / Stopwatch.Frequency);
        }
        // Steady state: the whole seconds strictly between the first and the last second with commits.
        int firstBusy = Array.FindIndex(committedPerSecond, c => c > 0), lastBusy = Array.FindLastIndex(committedPerSecond, c => c > 0);
        double[] steady = lastBusy - firstBusy >= 2 ? committedPerSecond[(firstBusy + 1)..lastBusy] : committedPerSecond;
        double steadyMedian = Percentile([.. steady.Order()], 50);
        double ratio = SustainedTps / Recovery.AllCoresPerSecond;

        Directory.CreateDirectory(Options.OutDirectory);
        // LoadTest keeps the chart names perf/REPORT.md has always linked.
        string charts = Options.Name == "LoadTest" ? "load" : Options.Name;
        File.WriteAllText(Path.Combine(Options.OutDirectory, $"{charts}-throughput.svg"), new SvgChart("Throughput per second", "transactions per second")
            .Add("submitted", "#1f77b4", Series(submittedPerSecond))
            .Add("committed", "#2ca02c", Series(committedPerSecond))
            .Render());
        File.WriteAllText(Path.Combine(Options.OutDirectory, $"{charts}-latency.svg"), new SvgChart("Submit-to-inclusion latency, by second of commit", "milliseconds")
            .Add("p50", "#2ca02c", LatencySeries(latencyBySecond, 50))
            .Add("p99", "#d62728", LatencySeries(latencyBySecond, 99))
            .Render());

        var blocks = t.Blocks.Where(b => b.Transactions > 0).ToList();
        string load = LoadAverage();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"## {Options.Name}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Run started {StartedUtc:yyyy-MM-dd HH:mm} UTC, finished {DateTime.UtcNow:HH:mm}: `{Command}` (perf/Load, the TPS driver)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} logical cores; the driver, the node and the recovery baseline share them. Load average (1, 5, 15 min) at the start: {LoadAtStart}; at the end: {load}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Node: {NodeDescription}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Workload: {Options.Transactions:N0} pre-signed EIP-1559 transfers from {Options.Accounts:N0} funded accounts, nonces in order per sender; "
            + $"{(Options.Batch == 1 ? "one eth_sendRawTransaction per POST" : $"JSON-RPC batches of {Options.Batch}")} over {Options.Connections} connections, "
            + $"{(Options.Rate > 0 ? $"at a target of {Options.Rate:N0} tx/s" : "as fast as the node answers")}.");
        md.AppendLine();
        md.AppendLine("| Measurement | Result | Target | Met |");
        md.AppendLine("|---|---:|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Raw libsecp256k1 recovery of the workload's signatures, all {Recovery.Cores} cores (EcdsaBatchRecovery, median of 5, before the load) | {Recovery.AllCoresPerSecond:N0} /s (one core: {Recovery.SingleCorePerSecond:N0} /s) | - | - |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Sustained committed throughput, HTTP submit to committed block (committed / first submission to last commit) | {SustainedTps:N0} tx/s | >= 50% of raw recovery ({Recovery.AllCoresPerSecond / 2:N0} tx/s) | {Met(ratio >= 0.5)} ({ratio:P0}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Committed per second, median of the steady seconds | {steadyMedian:N0} tx/s | - | - |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Submit-to-inclusion latency p50 / p90 / p99 / max | {Percentile(latencyMs, 50):N0} / {Percentile(latencyMs, 90):N0} / {Percentile(latencyMs, 99):N0} / {(latencyMs.Length == 0 ? 0 : latencyMs[^1]):N0} ms | - | - |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Transactions committed / accepted / refused / sent | {committed.Length:N0} / {t.AcceptedCount:N0} / {t.RejectedCount:N0} / {t.Submitted:N0} | all accepted committed | {Met(committed.Length == t.AcceptedCount && t.RejectedCount == 0)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Requests answered \"busy\" and retried (ingest backpressure) | {t.BusyRetries:N0} | - | - |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| Blocks with transactions, mean / max transactions per block | {blocks.Count:N0}, {(blocks.Count == 0 ? 0 : blocks.Average(b => b.Transactions)):N0} / {(blocks.Count == 0 ? 0 : blocks.Max(b => b.Transactions)):N0} | - | - |");
        int stateAccounts = Options.Accounts + Options.StateAccounts;
        bool rssTarget = stateAccounts >= 1_000_000;
        if (StartupRssBytes > 0) md.AppendLine(CultureInfo.InvariantCulture, $"| Node RSS after start-up, {stateAccounts:N0} accounts in state | {Mib(StartupRssBytes)} | - | - |");
        if (PeakRssBytes > 0)
        {
            long peak = Math.Max(PeakRssBytes, StartupRssBytes);
            md.AppendLine(CultureInfo.InvariantCulture, $"| Node RSS, peak during the run, {stateAccounts:N0} accounts in state | {Mib(peak)} | {(rssTarget ? "<= 1 GiB with 1,000,000 accounts" : "-")} | {(rssTarget ? Met(peak <= 1L << 30) : "-")} |");
        }
        if (HighWaterRssBytes > 0)
            md.AppendLine(CultureInfo.InvariantCulture, $"| Node RSS high-water mark since its start (VmHWM: building the genesis state included) | {Mib(HighWaterRssBytes)} | - | - |");
        md.AppendLine();
        if (t.LastError is { } error) md.AppendLine(CultureInfo.InvariantCulture, $"Last refusal: `{error}`").AppendLine();
        md.AppendLine("Latency is from the first send of a transaction to the first time the driver saw it in a block (it polls the head every");
        md.AppendLine(CultureInfo.InvariantCulture, $"{InclusionTracker.PollInterval.TotalMilliseconds:0} ms and fetches each new block's hashes), so it includes up to one poll interval of the driver's own.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"![Throughput per second](results/{charts}-throughput.svg)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"![Latency by second](results/{charts}-latency.svg)");
        File.WriteAllText(Path.Combine(Options.OutDirectory, Options.Name + ".md"), md.ToString());

        var tsv = new StringBuilder("method\tparameters\tmedian_ns\tallocated_bytes\toperations_per_invoke\n");
        tsv.AppendLine(CultureInfo.InvariantCulture, $"RecoveryAllCores\t{Recovery.Cores} cores\t{1e9 / Recovery.AllCoresPerSecond:0.0}\t-1\t1");
        tsv.AppendLine(CultureInfo.InvariantCulture, $"RecoverySingleCore\t1 core\t{1e9 / Recovery.SingleCorePerSecond:0.0}\t-1\t1");
        tsv.AppendLine(CultureInfo.InvariantCulture, $"CommittedTps\tbatch {Options.Batch}, {Options.Connections} connections\t{(SustainedTps > 0 ? 1e9 / SustainedTps : 0):0.0}\t-1\t1");
        tsv.AppendLine(CultureInfo.InvariantCulture, $"LatencyP50\tms as ns\t{Percentile(latencyMs, 50) * 1e6:0}\t-1\t1");
        tsv.AppendLine(CultureInfo.InvariantCulture, $"LatencyP99\tms as ns\t{Percentile(latencyMs, 99) * 1e6:0}\t-1\t1");
        tsv.AppendLine(CultureInfo.InvariantCulture, $"BlocksPerSecond\tall blocks, first submission to last commit\t{BlocksPerSecond(t, firstSubmit, lastCommit):0.000}\t-1\t1");
        if (PeakRssBytes > 0) tsv.AppendLine(CultureInfo.InvariantCulture, $"NodeRssPeakBytes\t{stateAccounts} accounts\t{Math.Max(PeakRssBytes, StartupRssBytes)}\t-1\t1");
        if (HighWaterRssBytes > 0) tsv.AppendLine(CultureInfo.InvariantCulture, $"NodeRssHighWaterBytes\t{stateAccounts} accounts\t{HighWaterRssBytes}\t-1\t1");
        File.WriteAllText(Path.Combine(Options.OutDirectory, Options.Name + ".tsv"), tsv.ToString());

        Summary = $"committed {committed.Length:N0} of {t.AcceptedCount:N0} accepted ({t.RejectedCount:N0} refused): {SustainedTps:N0} tx/s sustained, "
            + $"{ratio:P0} of raw recovery on all cores ({Recovery.AllCoresPerSecond:N0}/s); latency p50 {Percentile(latencyMs, 50):N0} ms, p99 {Percentile(latencyMs, 99):N0} ms";
    }

    /// <summary>Blocks committed (empty ones included) per second while the workload ran.</summary>
    private static double BlocksPerSecond(LoadTimeline t, long firstSubmit, long lastCommit)
    {
        double seconds = (lastCommit - firstSubmit) / (double)Stopwatch.Frequency;
        if (seconds <= 0) return 0;
        lock (t.Blocks) return t.Blocks.Count(b => b.Ticks >= firstSubmit && b.Ticks <= lastCommit) / seconds;
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static int Bucket(LoadTimeline t, long ticks, int max) => Math.Clamp((int)t.Seconds(ticks), 0, max);

    private static List<(double, double)> Series(double[] perSecond) => [.. perSecond.Select((v, s) => ((double)s + 0.5, v))];

    private static List<(double, double)> LatencySeries(List<double>[] bySecond, double percentile) =>
        [.. bySecond.Select((l, s) => (s, l)).Where(x => x.l.Count > 0).Select(x => ((double)x.s + 0.5, Percentile([.. x.l.Order()], percentile)))];

    private static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return 0;
        double rank = p / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):N0} MiB";

    private static string Met(bool met) => met ? "yes" : "**no**";
}
