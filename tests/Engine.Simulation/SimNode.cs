using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;

namespace NexusFast.Engine.Simulation;

/// <summary>
/// One validator process in the simulation: the engine's <see cref="ConsensusHost"/> over a simulated transport, timers
/// and disk. A crash drops the host and everything in memory; <see cref="Disk"/> survives. Every entry into the host
/// comes from a simulation event, and a <see cref="SimulatedCrashException"/> thrown inside (by the signer's store) kills
/// the process right there, outputs not yet carried out included.
/// </summary>
public sealed class SimNode
{
    private readonly Simulation _sim;
    private readonly byte[] _secret;
    private ConsensusHost? _host;

    public SimNode(Simulation sim, int id, int validatorIndex, byte[] secret)
    {
        _sim = sim;
        Id = id;
        ValidatorIndex = validatorIndex;
        _secret = secret;
    }

    /// <summary>Network endpoint; differs from <see cref="ValidatorIndex"/> only for the second twin.</summary>
    public int Id { get; }

    public int ValidatorIndex { get; }

    public SimDisk Disk { get; } = new();

    public bool IsUp { get; private set; }

    public int Incarnation { get; private set; }

    /// <summary>Runs on the same key as another node (equivocates): byzantine, excluded from the correctness checks.</summary>
    public bool IsTwin { get; init; }

    /// <summary>Proposes blocks with a wrong state root now and then (only twins do).</summary>
    public bool CorruptsBlocks { get; init; }

    /// <summary>How fast this node's clock runs: its timers last delay / rate of simulated time.</summary>
    public double ClockRate { get; init; } = 1.0;

    public HashSet<int> WithheldPeers { get; } = new();

    public long WithholdUntilMs { get; set; }

    public ConsensusMachine? Machine => _host?.Machine;

    /// <summary>The running incarnation's application (its memory: lost at a crash).</summary>
    public IReplicatedApplication? Application { get; private set; }

    public ulong CommittedHeight => (ulong)Disk.Blocks.Count;

    /// <summary>Blocks this node took from block sync, over all its incarnations.</summary>
    public long SyncedBlocks => _syncedBefore + (_host?.SyncedBlockCount ?? 0);

    private long _syncedBefore;

    /// <summary>Where the node stands, for failure messages.</summary>
    public string Describe() => Machine is { } m
        ? $"{Id}: h{m.Height} r{m.Round} {m.Step} lock {m.LockedRound} valid {m.ValidRound}"
        : $"{Id}: down at committed height {CommittedHeight}";

    public void Boot()
    {
        if (IsUp) return;
        IsUp = true;
        Incarnation++;
        IReplicatedApplication app = _sim.CreateApplication();
        Application = app;
        if (CorruptsBlocks) app = new CorruptingApplication(app, _sim.Random, 0.3, _sim.RealChain ? ChainApplication.Corrupt : TransferApp.Corrupt);
        var signer = new GuardedSigner(Simulation.ChainId, _secret, new SimSignerStateStore(Disk));
        _host = new ConsensusHost(_sim.Options, _sim.HostOptions, _sim.Genesis, signer, new SimLockedValueStore(Disk), app,
            new SimBlockStore(Disk), new SimTransport(this, _sim), new SimTimers(this, _sim, Incarnation));
        _host.Committed = (block, result, certificate) => _sim.OnCommit(this, block, result, certificate);
        Enter(_host.Start);
    }

    public void Crash()
    {
        if (!IsUp) return;
        IsUp = false;
        Incarnation++;
        _host!.Stop();
        _syncedBefore += _host.SyncedBlockCount;
        _host = null;
        ReleaseApplication();
        _sim.Stats.Crashes++;
    }

    /// <summary>Frees what the application holds outside managed memory (a real chain's state files).</summary>
    internal void ReleaseApplication()
    {
        (Application as IDisposable)?.Dispose();
        Application = null;
    }

    public void Receive(int from, object message)
    {
        if (!IsUp) return;
        ConsensusHost host = _host!;
        Enter(() => host.Receive(from, message));
    }

    /// <summary>Runs one event inside the process; a simulated crash ends the process there.</summary>
    internal void Enter(Action action)
    {
        try
        {
            action();
        }
        catch (SimulatedCrashException)
        {
            _sim.Stats.CrashesAfterPersist++;
            Crash();
            _sim.ScheduleRestart(this);
        }
    }

    internal bool Withholds(int peer) => WithheldPeers.Contains(peer) && _sim.Scheduler.NowMs < WithholdUntilMs;

    /// <summary>The simulated network as a node's peer links; a withholding node drops its votes to some peers here.</summary>
    private sealed class SimTransport(SimNode node, Simulation sim) : IPeerTransport
    {
        private readonly int[] _peers = sim.Endpoints.Where(peer => peer != node.Id).ToArray();

        public IReadOnlyList<int> Peers => _peers;

        public void Send(int peer, object message)
        {
            if (message is Vote && node.Withholds(peer)) return;
            sim.Network.Send(node.Id, peer, message);
        }
    }

    /// <summary>Timers on simulated time at this node's clock rate; a timer of an earlier incarnation never fires.</summary>
    private sealed class SimTimers(SimNode node, Simulation sim, int incarnation) : IHostTimers
    {
        public void Schedule(long delayMs, Action callback)
        {
            sim.Scheduler.After((long)Math.Ceiling(delayMs / node.ClockRate), () =>
            {
                if (node.IsUp && node.Incarnation == incarnation) node.Enter(callback);
            });
        }
    }
}
