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
        foreach (TargetCheck check in All().Concat(Hashing()).Concat(LargeBlock()).Concat(Vm()).Concat(NodeRpc()).Concat(Load()).Concat(Consensus()))
        {
            (string measured, bool? met) = check.Evaluate(resultsDir);
            text.AppendLine($"| {check.Description} | {measured} | {(met is null ? "not measured" : met.Value ? "yes" : "**no**")} |");
        }
        return text.ToString();
    }

    private static IEnumerable<TargetCheck> All()
    {
        yield return new TargetCheck(
            "ML-DSA-65 verification >= 15,000/s on one core (MlDsaBenchmarks.VerifyCachedKey; Verify re-expands the key each time)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "MlDsaBenchmarks");
                Measurements.Row? cached = rows.FirstOrDefault(r => r.Method == "VerifyCachedKey" && r.Parameters.Contains("ML-DSA-65", StringComparison.Ordinal));
                Measurements.Row? plain = rows.FirstOrDefault(r => r.Method == "Verify" && r.Parameters.Contains("ML-DSA-65", StringComparison.Ordinal));
                if (cached is null) return ("-", null);
                double perSecond = 1e9 / cached.MedianNs;
                string uncached = plain is null ? "" : $"; {1e9 / plain.MedianNs:N0}/s expanding the key each time";
                return ($"{perSecond:N0}/s with the key cached{uncached}", perSecond >= 15_000);
            });
        yield return new TargetCheck(
            "ML-DSA-65 batch verification on all cores >= 1.8x single-core (MlDsaBenchmarks.VerifyCachedKeyBatchAllCores vs VerifyCachedKey)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "MlDsaBenchmarks");
                Measurements.Row? single = rows.FirstOrDefault(r => r.Method == "VerifyCachedKey" && r.Parameters.Contains("ML-DSA-65", StringComparison.Ordinal));
                Measurements.Row? batch = rows.FirstOrDefault(r => r.Method == "VerifyCachedKeyBatchAllCores" && r.Parameters.Contains("ML-DSA-65", StringComparison.Ordinal));
                if (single is null || batch is null) return ("-", null);
                double speedup = single.MedianNs / batch.MedianNs;
                return ($"{speedup:0.00}x ({1e9 / batch.MedianNs:N0}/s vs {1e9 / single.MedianNs:N0}/s)", speedup >= 1.8);
            });
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

    // VmComparison (./build.sh vm-bench, perf/vm/run.sh): rows Vm_, Native_, Lua54_ and LuaJitOff_ per workload.
    private static IEnumerable<TargetCheck> Vm()
    {
        string[] workloads = ["loopsum", "fib", "sieve", "keccak"];
        yield return new TargetCheck(
            "The VM faster than Lua 5.4 on every workload: loop sum, fib(30), sieve to 10,000,000, Keccak-f (VmComparison)",
            dir => CompareVm(dir, workloads, "Lua54_", (vm, other) => other / vm, ratio => ratio > 1, "Lua 5.4 / VM"));
        yield return new TargetCheck(
            "The VM at most 15x native C (gcc -O2) on every workload (VmComparison)",
            dir => CompareVm(dir, workloads, "Native_", (vm, other) => vm / other, ratio => ratio <= 15, "VM / native"));
        yield return new TargetCheck(
            "An ERC-20 transfer call under 5 us of VM time excluding storage I/O (ContractBenchmarks.TokenTransferPreallocatedStorage: storage in a preallocated table)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "ContractBenchmarks");
                Measurements.Row? vmOnly = rows.FirstOrDefault(r => r.Method == "TokenTransferPreallocatedStorage");
                Measurements.Row? full = rows.FirstOrDefault(r => r.Method == "TokenTransfer");
                if (vmOnly is null) return ("-", null);
                double us = vmOnly.MedianNs / 1000;
                string withDictionaries = full is null ? "" : $"; {full.MedianNs / 1000:0.00} us with dictionary storage and journal (TokenTransfer)";
                return ($"{us:0.00} us{withDictionaries}", us < 5);
            });
    }

    private static (string, bool?) CompareVm(string dir, string[] workloads, string prefix, Func<double, double, double> ratioOf, Func<double, bool> meets, string label)
    {
        List<Measurements.Row> rows = Measurements.Load(dir, "VmComparison");
        var parts = new List<string>();
        bool all = true;
        foreach (string workload in workloads)
        {
            Measurements.Row? vm = rows.FirstOrDefault(r => r.Method == "Vm_" + workload);
            Measurements.Row? other = rows.FirstOrDefault(r => r.Method == prefix + workload);
            if (vm is null || other is null) return ("-", null);
            double ratio = ratioOf(vm.MedianNs, other.MedianNs);
            all &= meets(ratio);
            parts.Add($"{workload} {ratio:0.0}x");
        }
        return ($"{label}: {string.Join(", ", parts)}", all);
    }

    private static IEnumerable<TargetCheck> LargeBlock()
    {
        yield return new TargetCheck(
            "Zero bytes allocated per transaction in ingest steady state (IngestBenchmarks.Pipeline: decode, rules, batch recovery, admission into recycled objects)",
            dir =>
            {
                Measurements.Row? row = Measurements.Load(dir, "IngestBenchmarks").FirstOrDefault(r => r.Method == "Pipeline");
                if (row is null || row.AllocatedBytes < 0) return ("-", null);
                // Per operation = per transaction (OperationsPerInvoke). Anything allocated per transaction is at least an
                // object header (24 bytes); a few bytes on average are the batch's own awaiting, shared by 4,096.
                return ($"{row.AllocatedBytes} B per transaction on average ({row.AllocatedBytes * 4096} B per batch of 4,096); {row.MedianNs / 1000:0.0} us per transaction", row.AllocatedBytes < 24);
            });
        yield return new TargetCheck(
            "A block of 50,000 transfers among 1,000,000 accounts committed, state root included, <= 250 ms (LargeBlockBenchmarks.Among1MAccounts)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "LargeBlockBenchmarks");
                Measurements.Row? large = rows.FirstOrDefault(r => r.Method == "Among1MAccounts");
                Measurements.Row? small = rows.FirstOrDefault(r => r.Method == "Among100kAccounts");
                if (large is null) return ("-", null);
                double ms = large.MedianNs / 1e6;
                return ($"{ms:0.0} ms ({50_000 / (ms / 1000):N0} transfers/s)" + (small is null ? "" : $"; among 100,000 accounts {small.MedianNs / 1e6:0.0} ms"), ms <= 250);
            });
    }

    // The multi-lane hashes (issue 5): each speed-up compares two rows of one run.
    private static IEnumerable<TargetCheck> Hashing()
    {
        yield return new TargetCheck(
            "Merkle root of 1,048,576 leaves >= 6x faster than a loop over SHA256.HashData (MerkleRootBenchmarks: lanes on one core)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "MerkleRootBenchmarks");
                Measurements.Row? loop = rows.FirstOrDefault(r => r.Method == "HashDataLoop");
                Measurements.Row? lanes = rows.FirstOrDefault(r => r.Method == "LanesOneCore");
                if (loop is null || lanes is null) return ("-", null);
                double speedup = loop.MedianNs / lanes.MedianNs;
                Measurements.Row? allCores = rows.FirstOrDefault(r => r.Method == "LanesAllCores");
                string cores = allCores is null ? "" : $"; all cores {ReportWriter.Time(allCores.MedianNs)}, {loop.MedianNs / allCores.MedianNs:0.0}x";
                return ($"{speedup:0.0}x ({ReportWriter.Time(lanes.MedianNs)} vs {ReportWriter.Time(loop.MedianNs)}{cores})", speedup >= 6);
            });
        yield return new TargetCheck(
            "Batch Keccak-256 of 1,000,000 64-byte inputs >= 2x faster than our scalar Keccak (BatchKeccakBenchmarks: best path)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "BatchKeccakBenchmarks");
                var speedups = new List<(string Path, double Speedup, double LanesNs)>();
                foreach (Measurements.Row lanes in rows.Where(r => r.Method == "Lanes"))
                {
                    Measurements.Row? loop = rows.FirstOrDefault(r => r.Method == "ScalarKeccakLoop" && r.Parameters == lanes.Parameters);
                    if (loop is not null) speedups.Add((lanes.Parameters, loop.MedianNs / lanes.MedianNs, lanes.MedianNs));
                }
                if (speedups.Count == 0) return ("-", null);
                var best = speedups.MaxBy(s => s.Speedup);
                string all = string.Join(", ", speedups.Select(s => $"{s.Path} {s.Speedup:0.0}x"));
                return ($"{best.Speedup:0.0}x, {ReportWriter.Time(best.LanesNs)} per input ({all})", best.Speedup >= 2);
            });
    }

    // NodeRpcBenchmarks (./build.sh load-rpc, perf/rpc/run.sh): start-up rows hold milliseconds as nanoseconds,
    // throughput rows the time per request (1e9 / requests per second).
    private static IEnumerable<TargetCheck> NodeRpc()
    {
        yield return new TargetCheck(
            "AOT start-up to first served eth_blockNumber <= 150 ms median (NodeRpcBenchmarks)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "NodeRpcBenchmarks");
                Measurements.Row? aot = rows.FirstOrDefault(r => r.Method == "StartupAot");
                Measurements.Row? jit = rows.FirstOrDefault(r => r.Method == "StartupJit");
                if (aot is null) return ("-", null);
                return ($"{aot.MedianNs / 1e6:0} ms" + (jit is null ? "" : $" (JIT {jit.MedianNs / 1e6:0} ms)"), aot.MedianNs <= 150e6);
            });
        yield return new TargetCheck(
            "eth_blockNumber >= 50% of a bare Kestrel endpoint's requests/s, same wrk (NodeRpcBenchmarks)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "NodeRpcBenchmarks");
                Measurements.Row? node = rows.FirstOrDefault(r => r.Method == "BlockNumberNode");
                Measurements.Row? bare = rows.FirstOrDefault(r => r.Method == "BlockNumberBareKestrel");
                if (node is null || bare is null) return ("-", null);
                double share = bare.MedianNs / node.MedianNs;
                return ($"{1e9 / node.MedianNs:N0} vs {1e9 / bare.MedianNs:N0} req/s ({share:P0})", share >= 0.5);
            });
        yield return new TargetCheck(
            ">= 10,000 eth_sendRawTransaction/s accepted into the mempool over HTTP (NodeRpcBenchmarks)",
            dir =>
            {
                Measurements.Row? row = Measurements.Load(dir, "NodeRpcBenchmarks").FirstOrDefault(r => r.Method == "SendRawTransactionAccepted");
                if (row is null) return ("-", null);
                double perSecond = 1e9 / row.MedianNs;
                return ($"{perSecond:N0} tx/s ({row.Parameters})", perSecond >= 10_000);
            });
    }

    private sealed record TargetCheck(string Description, Func<string, (string Measured, bool? Met)> Evaluate);

    // LoadTest (./build.sh load, perf/Load): throughput rows hold the time per transaction (1e9 / per second).
    private static IEnumerable<TargetCheck> Load()
    {
        yield return new TargetCheck(
            "End-to-end sustained throughput through the AOT node (HTTP submit to committed block) >= 50% of the raw recovery rate on all cores, same run (LoadTest)",
            dir =>
            {
                List<Measurements.Row> rows = Measurements.Load(dir, "LoadTest");
                Measurements.Row? tps = rows.FirstOrDefault(r => r.Method == "CommittedTps");
                Measurements.Row? raw = rows.FirstOrDefault(r => r.Method == "RecoveryAllCores");
                if (tps is null || raw is null || tps.MedianNs <= 0) return ("-", null);
                double ratio = raw.MedianNs / tps.MedianNs;
                return ($"{1e9 / tps.MedianNs:N0} tx/s committed vs {1e9 / raw.MedianNs:N0} recoveries/s ({ratio:P0})", ratio >= 0.5);
            });
        yield return new TargetCheck(
            "A node holding 1,000,000 accounts at most 1 GiB RSS (LoadTestMillion: ./build.sh load --state-accounts 1000000 --name LoadTestMillion, peak during the run)",
            dir =>
            {
                static long Accounts(Measurements.Row row) => long.TryParse(row.Parameters.Split(' ')[0], out long n) ? n : 0;
                Measurements.Row? rss = Measurements.Load(dir, "LoadTestMillion").Concat(Measurements.Load(dir, "LoadTest"))
                    .FirstOrDefault(r => r.Method == "NodeRssPeakBytes" && Accounts(r) >= 1_000_000);
                if (rss is null) return ("-", null);
                return ($"{rss.MedianNs / (1024 * 1024):N0} MiB with {Accounts(rss):N0} accounts", rss.MedianNs <= 1L << 30);
            });
    }

    // ConsensusLoad (./build.sh load-bft, perf/consensus/run.sh): each run's TSV in perf/results/consensus.
    private static IEnumerable<TargetCheck> Consensus()
    {
        static Measurements.Row? Row(string dir, string run, string method) =>
            Measurements.Load(Path.Combine(dir, "consensus"), "ConsensusLoad-" + run).FirstOrDefault(r => r.Method == method);

        yield return new TargetCheck(
            "With 4 validators, commit latency p50 at most 2x the single-validator devnet's, same fixed rate (ConsensusLoad)",
            dir =>
            {
                Measurements.Row? bft = Row(dir, "bft4-rate", "LatencyP50"), dev = Row(dir, "devnet-rate", "LatencyP50");
                if (bft is null || dev is null || dev.MedianNs <= 0) return ("-", null);
                double ratio = bft.MedianNs / dev.MedianNs;
                return ($"{bft.MedianNs / 1e6:N0} vs {dev.MedianNs / 1e6:N0} ms ({ratio:0.00}x)", ratio <= 2);
            });
        yield return new TargetCheck(
            "With 4 validators, committed throughput at least 50% of the single-validator devnet's (ConsensusLoad)",
            dir =>
            {
                Measurements.Row? bft = Row(dir, "bft4-max", "CommittedTps"), dev = Row(dir, "devnet-max", "CommittedTps");
                if (bft is null || dev is null || bft.MedianNs <= 0) return ("-", null);
                double ratio = dev.MedianNs / bft.MedianNs;
                return ($"{1e9 / bft.MedianNs:N0} vs {1e9 / dev.MedianNs:N0} tx/s ({ratio:P0})", ratio >= 0.5);
            });
    }
}
