using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace NexusFast.Engine.Simulation;

public sealed class SimulationTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_seed_keeps_safety_liveness_and_state_agreement()
    {
        (ulong first, int count, bool single) = SimulationSettings.Read();
        var failures = new ConcurrentBag<SimulationResult>();
        var totals = new SimStats();
        var watch = Stopwatch.StartNew();
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            SimulationResult result = new Simulation(first + (ulong)i).Run();
            lock (totals) totals.Add(result.Stats);
            if (!result.Passed) failures.Add(result);
            if (single) output.WriteLine(result.Scenario);
        });
        output.WriteLine($"{count} seeds from {first} in {watch.Elapsed.TotalSeconds:F1} s: {totals}");

        if (!failures.IsEmpty)
        {
            string report = string.Join("\n", failures.OrderBy(f => f.Seed).Take(10).Select(f =>
                $"seed {f.Seed} failed {f.Failure}\n  {f.Scenario}\n  replay: ./build.sh sim --seed {f.Seed}"));
            Assert.Fail($"{failures.Count} of {count} seeds failed:\n{report}");
        }
        if (!single && count >= 200)
        {
            // The faults must really have happened, or passing says nothing.
            Assert.True(totals.CrashesAfterPersist > 0, "no run crashed between persisting a signature and sending it");
            Assert.True(totals.EvidenceCommitted > 0, "no equivocation evidence was ever committed");
            Assert.True(totals.SyncedBlocks > 0, "no node ever caught up by block sync");
            Assert.True(totals.Partitions > 0 && totals.LateJoins > 0 && totals.WithholdRuns > 0 && totals.TwinRuns > 0);
            Assert.True(totals.RoundMax > 0, "every height was decided in round 0: the faults did not bite");
        }
    }

    /// <summary>
    /// The same faults with the engine's real chain as the application (execution, state tree, block log, pools) behind
    /// ChainReplica: fewer seeds, each opens a chain per node and restart.
    /// </summary>
    [Fact]
    public void Real_chain_seeds_keep_safety_liveness_and_state_agreement()
    {
        const int Seeds = 24;
        var failures = new ConcurrentBag<SimulationResult>();
        var totals = new SimStats();
        Parallel.For(0, Seeds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            SimulationResult result = new Simulation(5_000 + (ulong)i, realChain: true).Run();
            lock (totals) totals.Add(result.Stats);
            if (!result.Passed) failures.Add(result);
        });
        output.WriteLine($"{Seeds} real-chain seeds: {totals}");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.OrderBy(f => f.Seed).Take(5).Select(f => $"seed {f.Seed} failed {f.Failure}\n  {f.Scenario}")));
        Assert.True(totals.TransactionsCommitted > 0, "no transfer was ever committed");
        Assert.True(totals.Crashes > 0 && totals.SyncedBlocks > 0, "no node crashed and caught up: the real chain's replay and sync went untested");
    }

    [Fact]
    public void A_seed_replays_to_the_same_run()
    {
        for (ulong seed = 11; seed < 14; seed++)
        {
            SimulationResult first = new Simulation(seed).Run();
            SimulationResult second = new Simulation(seed).Run();
            Assert.Equal(first.Fingerprint, second.Fingerprint);
            Assert.Equal(first.Stats.Events, second.Stats.Events);
            Assert.NotEqual(first.Fingerprint, new Simulation(seed + 100).Run().Fingerprint);
        }
        // The real chain too: its commits use worker threads, but nothing they do reaches the schedule.
        SimulationResult real = new Simulation(5_003, realChain: true).Run();
        Assert.True(real.Passed, real.Failure);
        Assert.Equal(real.Fingerprint, new Simulation(5_003, realChain: true).Run().Fingerprint);
    }

    [Fact]
    public void The_checker_reports_a_fork_when_more_than_a_third_equivocates()
    {
        SimulationResult[] results = Enumerable.Range(0, 5).Select(seed => new Simulation((ulong)seed, beyondFaultBound: true).Run()).ToArray();
        Assert.All(results, result => Assert.Contains("SAFETY", result.Failure ?? "no failure reported", StringComparison.Ordinal));
    }
}
