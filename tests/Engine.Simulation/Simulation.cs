using System.Text;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Simulation;

/// <summary>Counters of one run, summed over runs to show that the faults really happened.</summary>
public sealed class SimStats
{
    public long Commits;
    public long Crashes;
    public long CrashesAfterPersist;
    public long SyncedBlocks;
    public long EvidenceCommitted;
    public long Partitions;
    public long TwinRuns;
    public long LateJoins;
    public long WithholdRuns;
    public int RoundMax;
    public long Events;

    /// <summary>The longest time, over runs, from the end of the faults until every correct node reached the target height.</summary>
    public long RecoveryMsMax;

    /// <summary>Transactions in committed blocks (real-chain runs only).</summary>
    public long TransactionsCommitted;

    public void Add(SimStats other)
    {
        Commits += other.Commits;
        Crashes += other.Crashes;
        CrashesAfterPersist += other.CrashesAfterPersist;
        SyncedBlocks += other.SyncedBlocks;
        EvidenceCommitted += other.EvidenceCommitted;
        Partitions += other.Partitions;
        TwinRuns += other.TwinRuns;
        LateJoins += other.LateJoins;
        WithholdRuns += other.WithholdRuns;
        RoundMax = Math.Max(RoundMax, other.RoundMax);
        Events += other.Events;
        RecoveryMsMax = Math.Max(RecoveryMsMax, other.RecoveryMsMax);
        TransactionsCommitted += other.TransactionsCommitted;
    }

    public override string ToString() =>
        $"commits {Commits}, crashes {Crashes} ({CrashesAfterPersist} between persisting a signature and sending it), partitions {Partitions}, "
        + $"twin runs {TwinRuns}, evidence committed {EvidenceCommitted}, late joins {LateJoins}, withholding runs {WithholdRuns}, "
        + $"blocks synced {SyncedBlocks}, highest decision round {RoundMax}, events {Events}, "
        + $"slowest recovery {RecoveryMsMax} ms after the faults ended (bound {Simulation.LivenessBoundMs} ms)"
        + (TransactionsCommitted > 0 ? $", transactions committed {TransactionsCommitted}" : "");
}

/// <summary>The outcome of one seed.</summary>
public sealed record SimulationResult(ulong Seed, string? Failure, string Scenario, SimStats Stats, ulong Fingerprint)
{
    public bool Passed => Failure is null;
}

/// <summary>
/// One seeded run: n validators (one maybe twinned), a fault phase (delay, reorder, loss, duplication, partitions,
/// crashes, a crash between persisting a vote and sending it, withheld votes, clock skew, a late joiner), then a calm
/// phase in which every correct node must reach a height beyond the fault phase's best within a bound. Safety (one block
/// per height), state-root agreement, certificate validity and block validity are checked on every commit.
/// </summary>
public sealed class Simulation
{
    public const ulong ChainId = 0x4E5853; // "NXS"
    public const long LivenessBoundMs = 20_000;
    public const int HeightsAfterHeal = 3;

    /// <summary>The real chain's genesis time (Unix seconds); the simulated clock starts one second later.</summary>
    public const ulong GenesisTimestamp = 1_700_000_000;

    /// <summary>How often (simulated) a real-chain run submits new transfers to every running node.</summary>
    public const long WorkloadIntervalMs = 200;

    private static readonly byte[][] s_secrets = Enumerable.Range(0, 8)
        .Select(i => Keccak256.Compute(Encoding.ASCII.GetBytes($"nexusfast simulation validator {i}")).ToArray()).ToArray();
    private static readonly Address[] s_addresses = s_secrets.Select(s => ConsensusSigning.AddressOf(s)).ToArray();

    private readonly Dictionary<ulong, (Hash256 Hash, Hash256 Root, int Node)> _committed = new();
    private readonly List<SimNode> _nodes = new();
    private readonly StringBuilder _scenario = new();
    private readonly bool _beyondFaultBound;
    private string? _failure;
    private ulong _fingerprint = 14695981039346656037UL;

    /// <param name="beyondFaultBound">
    /// Instead of a random scenario, break the protocol's assumption on purpose: two of four validators run twice, and a
    /// partition puts one copy of each with a different correct validator. Each side then holds three of four keys, so
    /// both can commit; the checker must report it. This is how the tests show the checker can fail.
    /// </param>
    /// <param name="realChain">Run the engine's Blockchain behind a ChainReplica (<see cref="ChainApplication"/>) with
    /// signed transfers in the pools, instead of the small <see cref="TransferApp"/>.</param>
    public Simulation(ulong seed, bool beyondFaultBound = false, bool realChain = false)
    {
        Seed = seed;
        _beyondFaultBound = beyondFaultBound;
        RealChain = realChain;
        Scheduler = new SimScheduler();
        Clock = new SimClock(Scheduler);
        Random = new SimRandom(seed);
        Options = new ConsensusOptions(ChainId, new TimeoutConfig(300, 100, 150, 50, 150, 50)) { SignatureCache = Cache };
    }

    public ulong Seed { get; }

    public SimRandom Random { get; }

    public SimScheduler Scheduler { get; }

    public bool RealChain { get; }

    /// <summary>Wall-clock time for block timestamps: the simulated milliseconds after <see cref="GenesisTimestamp"/> + 1 s.</summary>
    public TimeProvider Clock { get; }

    public SimNetwork Network { get; private set; } = null!;

    public ConsensusSignatureCache Cache { get; } = new();

    public ConsensusOptions Options { get; }

    public HostOptions HostOptions { get; } = new() { GossipIntervalMs = 150, BuildDelayMs = 50 };

    public ValidatorSet Genesis { get; private set; } = null!;

    public SimStats Stats { get; } = new();

    public IEnumerable<int> Endpoints => Enumerable.Range(0, _nodes.Count);

    private long HealAtMs { get; set; }

    public SimulationResult Run()
    {
        try
        {
            Build();
            RunCore();
        }
        catch (Exception error) when (_failure is null)
        {
            _failure = $"exception at {Scheduler.NowMs} ms: {error}";
        }
        finally
        {
            foreach (SimNode node in _nodes) node.ReleaseApplication();
        }
        Stats.Events = Scheduler.EventCount;
        Stats.SyncedBlocks = _nodes.Sum(n => n.SyncedBlocks);
        Mix((ulong)Scheduler.EventCount);
        return new SimulationResult(Seed, _failure, _scenario.ToString(), Stats, _fingerprint);
    }

    /// <summary>Called by a node for every block it commits.</summary>
    public void OnCommit(SimNode node, StoredBlock block, CommitResult result, CommitError certificate)
    {
        ulong height = block.Height;
        Hash256 hash = block.Hash;
        Stats.Commits++;
        Stats.RoundMax = Math.Max(Stats.RoundMax, (int)block.Certificate.Round);
        Mix((ulong)node.Id);
        Mix(height);
        Mix(BitConverter.ToUInt64(hash.Bytes));
        if (node.IsTwin) return; // byzantine: what it commits proves nothing
        if (result.Invalid is not null) Fail($"node {node.Id} committed an invalid block at height {height}: {result.Invalid}");
        Hash256 root = result.StateRoot;
        if (certificate != CommitError.None) Fail($"node {node.Id} committed height {height} with a certificate that does not verify: {certificate}");
        if (_committed.TryGetValue(height, out var first))
        {
            if (first.Hash != hash) Fail($"SAFETY: node {first.Node} committed {first.Hash} and node {node.Id} committed {hash} at height {height}");
            else if (first.Root != root) Fail($"state roots differ at height {height}: node {first.Node} {first.Root}, node {node.Id} {root}");
        }
        else
        {
            _committed[height] = (hash, root, node.Id);
            Stats.EvidenceCommitted += result.Evidence.Count;
            if (RealChain && Chain.BlockWireCodec.TryDecode(block.Block, ChainApplication.Options.Config, out Ledger.Block? decoded, out _))
                Stats.TransactionsCommitted += decoded.Transactions.Length;
        }
    }

    /// <summary>A fresh (genesis) instance of the replicated application for a booting node.</summary>
    public IReplicatedApplication CreateApplication() =>
        RealChain ? new ChainApplication(this) : new TransferApp(ChainId, Genesis, Cache, Random);

    /// <summary>Real-chain runs: a few new transfers now and then, into the pool of every node that is up.</summary>
    private void ScheduleWorkload(SimWorkload workload)
    {
        Scheduler.After(WorkloadIntervalMs, () =>
        {
            int count = Random.Next(4);
            for (int i = 0; i < count; i++)
            {
                byte[] raw = workload.Next(Random);
                foreach (SimNode node in _nodes)
                {
                    if (node.Application is ChainApplication app) app.Chain.SubmitRawTransaction(raw, out _, out _);
                }
            }
            if (Scheduler.NowMs < HealAtMs + LivenessBoundMs) ScheduleWorkload(workload);
        });
    }

    /// <summary>A node that died between persisting and sending comes back after a while (at the latest when faults end).</summary>
    public void ScheduleRestart(SimNode node)
    {
        long at = Math.Min(Scheduler.NowMs + Random.Between(50, 1500), Math.Max(HealAtMs, Scheduler.NowMs));
        Scheduler.At(at, node.Boot);
    }

    private void Fail(string message)
    {
        _failure ??= $"at {Scheduler.NowMs} ms: {message}";
    }

    private void Mix(ulong value)
    {
        _fingerprint = (_fingerprint ^ value) * 1099511628211UL;
    }

    private void BuildBeyondFaultBound()
    {
        Genesis = ValidatorSet.Create(Enumerable.Range(0, 4).Select(i => new Validator(s_addresses[i], 1)));
        for (int i = 0; i < 4; i++) _nodes.Add(new SimNode(this, i, i, s_secrets[i]) { IsTwin = i < 2 });
        _nodes.Add(new SimNode(this, 4, 0, s_secrets[0]) { IsTwin = true });
        _nodes.Add(new SimNode(this, 5, 1, s_secrets[1]) { IsTwin = true });
        Network = new SimNetwork(Scheduler, Random, _nodes.Count) { Deliver = (from, to, message) => _nodes[to].Receive(from, message) };
        HealAtMs = 3000;
        Network.Partition([0, 1, 2], [3, 4, 5], symmetric: true);
        foreach (SimNode node in _nodes) Scheduler.At(0, node.Boot);
        Scheduler.At(HealAtMs, Heal);
        _scenario.Append($"seed {Seed}: beyond the fault bound: validators 0 and 1 twinned, partition [0,1,2] | [3,4,5] until {HealAtMs} ms");
    }

    private void Build()
    {
        if (_beyondFaultBound)
        {
            BuildBeyondFaultBound();
            return;
        }
        int[] sizes = [4, 4, 5, 6, 7];
        int n = sizes[Random.Next(sizes.Length)];
        bool equalPowers = Random.Chance(0.5);
        var validators = Enumerable.Range(0, n).Select(i => new Validator(s_addresses[i], equalPowers ? 1 : Random.Between(1, 3))).ToArray();
        Genesis = ValidatorSet.Create(validators);
        long total = Genesis.TotalVotingPower;
        _scenario.Append($"seed {Seed}: {n} validators, powers [{string.Join(",", validators.Select(v => v.VotingPower))}]");

        // Clock skew: some nodes' timers run fast or slow.
        bool skew = Random.Chance(0.5);
        for (int i = 0; i < n; i++)
        {
            double rate = skew ? 0.6 + Random.NextDouble() : 1.0;
            _nodes.Add(new SimNode(this, i, i, s_secrets[i]) { ClockRate = rate });
        }
        if (skew) _scenario.Append(", clock skew");

        // Twins: a second process on one validator's key, possibly proposing invalid blocks too. Only when that
        // validator holds less than a third of the power, the fault bound the protocol promises safety under.
        var twinCandidates = Enumerable.Range(0, n).Where(i => validators[i].VotingPower * 3 < total).ToList();
        int twin = -1;
        if (twinCandidates.Count > 0 && Random.Chance(0.35))
        {
            twin = twinCandidates[Random.Next(twinCandidates.Count)];
            _nodes[twin] = new SimNode(this, twin, twin, s_secrets[twin]) { IsTwin = true, CorruptsBlocks = Random.Chance(0.5), ClockRate = _nodes[twin].ClockRate };
            _nodes.Add(new SimNode(this, n, twin, s_secrets[twin]) { IsTwin = true, CorruptsBlocks = Random.Chance(0.5) });
            Stats.TwinRuns++;
            _scenario.Append($", twins of validator {twin}");
        }

        Network = new SimNetwork(Scheduler, Random, _nodes.Count) { Deliver = (from, to, message) => _nodes[to].Receive(from, message) };
        // A third of the runs get a hostile network (up to 40 % loss, delays near the timeouts).
        bool hostile = Random.Chance(0.33);
        Network.Conditions = new NetworkConditions(
            Random.Between(1, 5), Random.Between(10, hostile ? 250 : 120), Random.NextDouble() * (hostile ? 0.4 : 0.15), Random.NextDouble() * 0.1);
        HealAtMs = Random.Between(1500, 4000);
        _scenario.Append($", faults until {HealAtMs} ms with delay {Network.Conditions.DelayMinMs}-{Network.Conditions.DelayMaxMs} ms, "
            + $"loss {Network.Conditions.LossProbability:P0}, duplication {Network.Conditions.DuplicateProbability:P0}");

        var correct = Enumerable.Range(0, n).Where(i => i != twin).ToList();
        int lateJoiner = -1;
        if (Random.Chance(0.25))
        {
            lateJoiner = correct[Random.Next(correct.Count)];
            long at = Random.Between(500, HealAtMs);
            Scheduler.At(at, _nodes[lateJoiner].Boot);
            Stats.LateJoins++;
            _scenario.Append($", node {lateJoiner} joins at {at} ms");
        }
        foreach (SimNode node in _nodes)
        {
            if (node.Id != lateJoiner) Scheduler.At(0, node.Boot);
        }

        if (Random.Chance(0.25))
        {
            SimNode withholder = _nodes[correct[Random.Next(correct.Count)]];
            foreach (int peer in Endpoints) if (peer != withholder.Id && Random.Chance(0.6)) withholder.WithheldPeers.Add(peer);
            withholder.WithholdUntilMs = HealAtMs;
            Stats.WithholdRuns++;
            _scenario.Append($", node {withholder.Id} withholds votes from [{string.Join(",", withholder.WithheldPeers)}]");
        }

        int faults = (int)Random.Between(0, 7);
        for (int i = 0; i < faults; i++) PlanFault();
        Scheduler.At(HealAtMs, Heal);
        if (RealChain) ScheduleWorkload(new SimWorkload());
    }

    private void PlanFault()
    {
        long at = Random.Between(0, HealAtMs - 300);
        long duration = Random.Between(100, 2000);
        int kind = Random.Next(5);
        var all = Endpoints.ToList();
        switch (kind)
        {
            case 0 or 1:
            {
                // Minority (one side small), majority split (about half) or one-way (asymmetric) partition.
                int size = kind == 0 ? (int)Random.Between(1, Math.Max(1, (all.Count - 1) / 3)) : all.Count / 2;
                var side = all.OrderBy(_ => Random.NextUInt64()).Take(size).ToList();
                var rest = all.Except(side).ToList();
                bool symmetric = Random.Chance(0.7);
                Scheduler.At(at, () =>
                {
                    Network.Partition(side, rest, symmetric);
                    Stats.Partitions++;
                });
                Scheduler.At(Math.Min(at + duration, HealAtMs), Network.Heal);
                _scenario.Append($", {(symmetric ? "" : "one-way ")}partition [{string.Join(",", side)}] at {at} ms for {duration} ms");
                break;
            }
            case 2 or 3:
            {
                SimNode node = _nodes[all[Random.Next(all.Count)]];
                Scheduler.At(at, node.Crash);
                Scheduler.At(Math.Min(at + duration, HealAtMs), node.Boot);
                _scenario.Append($", crash node {node.Id} at {at} ms for {duration} ms");
                break;
            }
            default:
            {
                SimNode node = _nodes[all[Random.Next(all.Count)]];
                Scheduler.At(at, () => node.Disk.CrashAfterNextSignerSave = true);
                _scenario.Append($", node {node.Id} dies after its next signature is persisted (armed at {at} ms)");
                break;
            }
        }
    }

    private void Heal()
    {
        Network.Heal();
        Network.Conditions = NetworkConditions.Calm;
        foreach (SimNode node in _nodes)
        {
            node.Disk.CrashAfterNextSignerSave = false;
            node.Boot();
        }
    }

    private void RunCore()
    {
        while (_failure is null && Scheduler.RunNext(HealAtMs)) { }
        if (_failure is not null) return;

        List<SimNode> correct = _nodes.Where(n => !n.IsTwin).ToList();
        ulong target = correct.Max(n => n.CommittedHeight) + HeightsAfterHeal;
        long deadline = HealAtMs + LivenessBoundMs;
        while (_failure is null && correct.Any(n => n.CommittedHeight < target))
        {
            if (!Scheduler.RunNext(deadline))
            {
                Fail($"LIVENESS: {LivenessBoundMs} ms after the faults ended, heights are "
                    + $"[{string.Join(", ", _nodes.Select(n => n.Describe()))}], target {target}");
                return;
            }
        }
        Stats.RecoveryMsMax = Scheduler.NowMs - HealAtMs;
    }
}

/// <summary>Simulated milliseconds as Unix time from <see cref="Simulation.GenesisTimestamp"/> + 1 s.</summary>
internal sealed class SimClock(SimScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() =>
        DateTimeOffset.FromUnixTimeMilliseconds(checked(((long)Simulation.GenesisTimestamp + 1) * 1000 + scheduler.NowMs));
}
