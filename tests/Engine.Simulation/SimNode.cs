using NexusFast.Engine.Consensus;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Simulation;

/// <summary>
/// One validator process in the simulation: the consensus machine, the application, an evidence pool and the host
/// logic that carries out the machine's outputs (network, timers, block building and validation, the block store).
/// Memory is lost on a crash; <see cref="Disk"/> survives. Timers of a previous incarnation never fire.
/// </summary>
public sealed class SimNode
{
    private const int SyncBlocksPerReply = 8;

    private readonly Simulation _sim;
    private readonly byte[] _secret;

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

    /// <summary>How fast this node's clock runs: its timeouts last DurationMs / rate of simulated time.</summary>
    public double ClockRate { get; init; } = 1.0;

    public HashSet<int> WithheldPeers { get; } = new();

    public long WithholdUntilMs { get; set; }

    public ConsensusMachine? Machine { get; private set; }

    public IReplicatedApplication? App { get; private set; }

    public EvidencePool? Evidence { get; private set; }

    public ulong CommittedHeight => (ulong)Disk.Blocks.Count;

    /// <summary>Where the node stands, for failure messages.</summary>
    public string Describe() => Machine is { } m
        ? $"{Id}: h{m.Height} r{m.Round} {m.Step} lock {m.LockedRound} valid {m.ValidRound}"
        : $"{Id}: down at committed height {CommittedHeight}";

    public void Boot()
    {
        if (IsUp) return;
        IsUp = true;
        Incarnation++;
        // Application state is memory: rebuilt from the node's own block store.
        App = _sim.CreateApplication();
        foreach (StoredBlock stored in Disk.Blocks) App.Commit(stored.Hash, stored.Block);
        Evidence = new EvidencePool();
        var signer = new GuardedSigner(Simulation.ChainId, _secret, new SimSignerStateStore(Disk));
        Machine = new ConsensusMachine(_sim.Options, _sim.Genesis.AdvanceHeights(App.Height), App.Height + 1, signer, new SimLockedValueStore(Disk));
        Drive(static machine => machine.Start());
        ScheduleGossip();
    }

    public void Crash()
    {
        if (!IsUp) return;
        IsUp = false;
        Incarnation++;
        Machine = null;
        App = null;
        Evidence = null;
        _sim.Stats.Crashes++;
    }

    public void Receive(int from, object message)
    {
        if (!IsUp) return;
        switch (message)
        {
            case Proposal proposal:
                Drive(machine => machine.OnProposal(proposal));
                break;
            case Vote vote:
                Drive(machine => machine.OnVote(vote));
                break;
            case StatusMessage status:
                AnswerStatus(from, status);
                break;
            case CommittedBlockMessage block:
                if (block.Height != Machine!.Height || Keccak256.Compute(block.Block) != block.BlockHash) break;
                _sim.Stats.SyncedBlocks++;
                Drive(machine => machine.OnCommitCertificate(block.Height, block.BlockHash, block.Block, block.Certificate));
                break;
        }
    }

    /// <summary>Gives the machine one input and carries out everything it decides; a simulated crash ends the process.</summary>
    private void Drive(Action<ConsensusMachine> input)
    {
        if (!IsUp) return;
        try
        {
            input(Machine!);
            Carry();
        }
        catch (SimulatedCrashException)
        {
            _sim.Stats.CrashesAfterPersist++;
            Crash();
            _sim.ScheduleRestart(this);
        }
    }

    private void Carry()
    {
        while (IsUp)
        {
            List<ConsensusOutput> outputs = Machine!.TakeOutputs();
            if (outputs.Count == 0) return;
            foreach (ConsensusOutput output in outputs)
            {
                switch (output)
                {
                    case BroadcastProposal broadcast:
                        foreach (int peer in _sim.Endpoints)
                        {
                            if (peer != Id) SendProposal(peer, broadcast.Proposal);
                        }
                        break;
                    case BroadcastVote broadcast:
                        SendVote(broadcast.Vote);
                        break;
                    case ScheduleTimeout timeout:
                        ScheduleTimeout(timeout);
                        break;
                    case BuildBlock build:
                        ScheduleBuild(build);
                        break;
                    case ValidateBlock validate:
                        Machine.OnBlockValidated(validate.Height, validate.BlockHash, App!.Validate(validate.BlockHash, validate.Block) is null);
                        break;
                    case CommitBlock commit:
                        ApplyCommit(commit);
                        break;
                    case EvidenceDetected detected:
                        if (detected.Evidence.Verify(Simulation.ChainId, _sim.Genesis, _sim.Cache) == EvidenceError.None && !App!.IsCommitted(detected.Evidence))
                        {
                            Evidence!.Add(detected.Evidence);
                        }
                        break;
                }
            }
        }
    }

    private void ApplyCommit(CommitBlock commit)
    {
        CommitResult result = App!.Commit(commit.BlockHash, commit.Block);
        CommitError certificate = CommitVerifier.Verify(Simulation.ChainId, commit.Height, commit.BlockHash, commit.Certificate, _sim.Genesis, _sim.Cache);
        Disk.Blocks.Add(new StoredBlock(commit.Height, commit.BlockHash, commit.Block, commit.Certificate));
        foreach (DuplicateVoteEvidence evidence in result.Evidence) Evidence!.MarkCommitted(evidence);
        _sim.OnCommit(this, commit.Height, (int)commit.Certificate.Round, commit.BlockHash, result, certificate);
    }

    private void ScheduleTimeout(ScheduleTimeout timeout)
    {
        int incarnation = Incarnation;
        _sim.Scheduler.After(Scaled(timeout.DurationMs), () =>
        {
            if (IsUp && Incarnation == incarnation) Drive(machine => machine.OnTimeout(timeout.Kind, timeout.Height, timeout.Round));
        });
    }

    /// <summary>The host takes a moment to collect transactions, as a real proposer does; the machine waits for the answer.</summary>
    private void ScheduleBuild(BuildBlock build)
    {
        int incarnation = Incarnation;
        _sim.Scheduler.After(_sim.Random.Between(20, 80), () =>
        {
            if (!IsUp || Incarnation != incarnation || Machine!.Height != build.Height || Machine.Round != build.Round) return;
            byte[] encoded = App!.BuildBlock(Machine.Self!.Value, Evidence!.TakeForProposal(4), CorruptsBlocks && _sim.Random.Chance(0.3));
            Drive(machine => machine.OnBlockBuilt(build.Height, build.Round, Keccak256.Compute(encoded), encoded));
        });
    }

    private void ScheduleGossip()
    {
        int incarnation = Incarnation;
        _sim.Scheduler.After(Scaled(Simulation.GossipIntervalMs), () =>
        {
            if (!IsUp || Incarnation != incarnation) return;
            SendToAll(new StatusMessage(Machine!.Height, Machine.Round));
            ScheduleGossip();
        });
    }

    /// <summary>
    /// A peer's status: one that is behind gets committed blocks with their certificates; one at our height gets our own
    /// votes and the current proposal again (the loss-tolerant half of gossip; CometBFT's reactor does the same by
    /// tracking what each peer has).
    /// </summary>
    private void AnswerStatus(int from, StatusMessage status)
    {
        ConsensusMachine machine = Machine!;
        if (status.Height < machine.Height && status.Height >= 1)
        {
            int first = (int)status.Height - 1;
            int count = Math.Min(SyncBlocksPerReply, Disk.Blocks.Count - first);
            for (int i = first; i < first + count; i++)
            {
                StoredBlock stored = Disk.Blocks[i];
                _sim.Network.Send(Id, from, new CommittedBlockMessage(stored.Height, stored.Hash, stored.Block, stored.Certificate));
            }
        }
        else if (status.Height == machine.Height)
        {
            if (machine.CurrentProposal is { } proposal) SendProposal(from, proposal);
            foreach (Vote vote in machine.OwnVotes())
            {
                if (!Withholds(from)) _sim.Network.Send(Id, from, vote);
            }
        }
    }

    /// <summary>A proposal travels with the polka it cites, which the receiver needs before it may prevote for it.</summary>
    private void SendProposal(int peer, Proposal proposal)
    {
        _sim.Network.Send(Id, peer, proposal);
        foreach (Vote vote in Machine!.PolkaOf(proposal)) _sim.Network.Send(Id, peer, vote);
    }

    private void SendVote(Vote vote)
    {
        foreach (int peer in _sim.Endpoints)
        {
            if (peer != Id && !Withholds(peer)) _sim.Network.Send(Id, peer, vote);
        }
    }

    private bool Withholds(int peer) => WithheldPeers.Contains(peer) && _sim.Scheduler.NowMs < WithholdUntilMs;

    private void SendToAll(object message)
    {
        foreach (int peer in _sim.Endpoints)
        {
            if (peer != Id) _sim.Network.Send(Id, peer, message);
        }
    }

    private long Scaled(long durationMs) => (long)Math.Ceiling(durationMs / ClockRate);
}
