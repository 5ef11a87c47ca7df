using System.Globalization;
using System.Text;

namespace NexusFast.Load;

/// <summary>
/// perf/results/ConsensusLoad.md from the runs perf/consensus/run.sh made: the single-validator devnet beside BFT
/// testnets of 1 and 4 validator processes, each as fast as they commit ("max") and at one fixed rate that none of
/// them saturates ("rate", for latency). The consensus issue's targets: with 4 validators, commit latency p50 at most 2x
/// the devnet's and committed throughput at least 50% of it.
/// </summary>
public static class ConsensusSummary
{
    private static readonly (string Name, string What)[] Setups =
    [
        ("devnet", "single node mining by itself (devnet)"),
        ("bft1", "BFT testnet, 1 validator"),
        ("bft4", "BFT testnet, 4 validator processes"),
    ];

    /// <summary>The runs' reports go here, under the results directory (REPORT.md takes only ConsensusLoad.md).</summary>
    public const string RunsDirectory = "consensus";

    public static string Write(string resultsDirectory)
    {
        string directory = Path.Combine(resultsDirectory, RunsDirectory);
        var md = new StringBuilder();
        md.AppendLine("## ConsensusLoad");
        md.AppendLine();
        md.AppendLine("`perf/consensus/run.sh` (`./build.sh load-bft`): the TPS driver (perf/Load) against the devnet's single node and");
        md.AppendLine("against BFT testnets of 1 and 4 AOT validator processes on this machine, each run once as fast as it commits");
        md.AppendLine("(max) and once at a fixed submission rate below every setup's capacity (rate), for latency. The runs' own");
        md.AppendLine("reports (perf/results/consensus/ConsensusLoad-*.md, with charts) give the settings and the load average.");
        md.AppendLine();
        md.AppendLine("| Setup | Committed tx/s (max) | Blocks/s (max) | Latency p50 / p99 at max | Committed tx/s (rate) | Latency p50 / p99 at rate |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        var found = new Dictionary<string, (Run? Max, Run? Rate)>();
        foreach ((string name, string what) in Setups)
        {
            Run? max = Run.Load(directory, $"ConsensusLoad-{name}-max");
            Run? rate = Run.Load(directory, $"ConsensusLoad-{name}-rate");
            found[name] = (max, rate);
            if (max is null && rate is null) continue;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {what} | {Tps(max)} | {(max is null ? "-" : max.BlocksPerSecond.ToString("0.0", CultureInfo.InvariantCulture))} | {Latency(max)} | {Tps(rate)} | {Latency(rate)} |");
        }
        md.AppendLine();
        (Run? devMax, Run? devRate) = found["devnet"];
        (Run? bftMax, Run? bftRate) = found["bft4"];
        md.AppendLine("| Target (4 validators against the devnet) | Measured | Met |");
        md.AppendLine("|---|---:|---|");
        if (devRate is not null && bftRate is not null)
        {
            double ratio = bftRate.LatencyP50Ms / devRate.LatencyP50Ms;
            md.AppendLine(CultureInfo.InvariantCulture, $"| Commit latency p50 at most 2x the devnet's (at the fixed rate) | {bftRate.LatencyP50Ms:N0} ms vs {devRate.LatencyP50Ms:N0} ms: {ratio:0.00}x | {Met(ratio <= 2)} |");
        }
        if (devMax is not null && bftMax is not null)
        {
            double ratio = bftMax.Tps / devMax.Tps;
            md.AppendLine(CultureInfo.InvariantCulture, $"| Committed throughput at least 50% of the devnet's (as fast as each commits) | {bftMax.Tps:N0} vs {devMax.Tps:N0} tx/s: {ratio:P0} | {Met(ratio >= 0.5)} |");
        }
        string path = Path.Combine(resultsDirectory, "ConsensusLoad.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    private static string Tps(Run? run) => run is null ? "-" : run.Tps.ToString("N0", CultureInfo.InvariantCulture);

    private static string Latency(Run? run) => run is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{run.LatencyP50Ms:N0} / {run.LatencyP99Ms:N0} ms");

    private static string Met(bool met) => met ? "yes" : "**no**";

    /// <summary>The numbers of one run, read back from its TSV (see <see cref="LoadReport"/>).</summary>
    private sealed record Run(double Tps, double BlocksPerSecond, double LatencyP50Ms, double LatencyP99Ms)
    {
        public static Run? Load(string directory, string name)
        {
            string path = Path.Combine(directory, name + ".tsv");
            if (!File.Exists(path)) return null;
            var values = new Dictionary<string, double>();
            foreach (string line in File.ReadLines(path).Skip(1))
            {
                string[] fields = line.Split('\t');
                if (fields.Length >= 3 && double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) values[fields[0]] = value;
            }
            double Get(string key) => values.TryGetValue(key, out double v) ? v : throw new InvalidDataException($"{path} has no {key} row");
            double nsPerTx = Get("CommittedTps");
            return new Run(nsPerTx > 0 ? 1e9 / nsPerTx : 0, Get("BlocksPerSecond"), Get("LatencyP50") / 1e6, Get("LatencyP99") / 1e6);
        }
    }
}
