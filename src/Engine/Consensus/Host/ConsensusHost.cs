using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus.Host;

/// <summary>Fixed parameters of a <see cref="ConsensusHost"/>.</summary>
public sealed record HostOptions
{
    /// <summary>How often the node tells its peers where it stands (which drives re-sending and block sync).</summary>
    public long GossipIntervalMs { get; init; } = 150;

    /// <summary>How long a proposer waits for transactions before building its block.</summary>
    public long BuildDelayMs { get; init; } = 50;

    /// <summary>Committed blocks sent in answer to one status of a peer that is behind.</summary>
    public int SyncBlocksPerReply { get; init; } = 8;

    /// <summary>Evidence entries a proposer puts in one block.</summary>
    public int EvidencePerBlockMax { get; init; } = 4;
}

/// <summary>
/// Carries out a consensus machine's decisions for one validator process: messages to peers, timers, block building and
/// validation by the application, the block store, the evidence pool; and the loss-tolerant half of gossip (a periodic
/// status; a peer that is behind gets committed blocks, one at our height gets our votes and the current proposal with
/// its polka again). Single-threaded: every entry point (start, receive, timer callbacks) must come from one thread.
/// The simulation and the node run this same class over different transports, timers and disks.
/// </summary>
public sealed class ConsensusHost
{
    private readonly ConsensusOptions _options;
    private readonly HostOptions _hostOptions;
    private readonly ValidatorSet _genesis;
    private readonly IConsensusSigner _signer;
    private readonly ILockedValueStore? _lockStore;
    private readonly IReplicatedApplication _app;
    private readonly ICommittedBlockStore _blocks;
    private readonly IPeerTransport _transport;
    private readonly IHostTimers _timers;
    private bool _stopped;

    public ConsensusHost(
        ConsensusOptions options, HostOptions hostOptions, ValidatorSet genesis, IConsensusSigner signer, ILockedValueStore? lockStore,
        IReplicatedApplication app, ICommittedBlockStore blocks, IPeerTransport transport, IHostTimers timers)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _hostOptions = hostOptions ?? throw new ArgumentNullException(nameof(hostOptions));
        _genesis = genesis ?? throw new ArgumentNullException(nameof(genesis));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _lockStore = lockStore;
        _app = app ?? throw new ArgumentNullException(nameof(app));
        _blocks = blocks ?? throw new ArgumentNullException(nameof(blocks));
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _timers = timers ?? throw new ArgumentNullException(nameof(timers));
    }

    public ConsensusMachine? Machine { get; private set; }

    public EvidencePool Evidence { get; } = new();

    /// <summary>Called after every block this node commits: (stored block, what the application made of it, certificate check).</summary>
    public Action<StoredBlock, CommitResult, CommitError>? Committed { get; set; }

    /// <summary>Blocks applied through block sync rather than through our own votes.</summary>
    public long SyncedBlockCount { get; private set; }

    /// <summary>
    /// Replays the block store into the application (its state is memory), then starts consensus at the next height.
    /// </summary>
    public void Start()
    {
        if (Machine is not null) throw new InvalidOperationException("the host is already started");
        for (ulong height = _app.Height + 1; height <= _blocks.Height; height++)
        {
            StoredBlock stored = _blocks.Get(height);
            _app.Commit(stored.Hash, stored.Block, stored.Certificate);
        }
        if (_app.Height != _blocks.Height) throw new InvalidOperationException($"the application is at height {_app.Height}, the block store at {_blocks.Height}");
        Machine = new ConsensusMachine(_options, _genesis.AdvanceHeights(_app.Height), _app.Height + 1, _signer, _lockStore);
        Drive(static machine => machine.Start());
        ScheduleGossip();
    }

    /// <summary>Stops reacting: pending timers become no-ops. The object is not reusable (a restart builds a new host).</summary>
    public void Stop() => _stopped = true;

    public void Receive(int peer, object message)
    {
        if (_stopped || Machine is null) return;
        switch (message)
        {
            case Proposal proposal:
                Drive(machine => machine.OnProposal(proposal));
                break;
            case Vote vote:
                Drive(machine => machine.OnVote(vote));
                break;
            case StatusMessage status:
                AnswerStatus(peer, status);
                break;
            case CommittedBlockMessage block:
                if (block.Height != Machine.Height || _app.ComputeHash(block.Block) != block.BlockHash) break;
                SyncedBlockCount++;
                Drive(machine => machine.OnCommitCertificate(block.Height, block.BlockHash, block.Block, block.Certificate));
                break;
        }
    }

    private void Drive(Action<ConsensusMachine> input)
    {
        if (_stopped) return;
        ConsensusMachine machine = Machine!;
        input(machine);
        while (!_stopped)
        {
            List<ConsensusOutput> outputs = machine.TakeOutputs();
            if (outputs.Count == 0) return;
            foreach (ConsensusOutput output in outputs) Carry(machine, output);
        }
    }

    private void Carry(ConsensusMachine machine, ConsensusOutput output)
    {
        switch (output)
        {
            case BroadcastProposal broadcast:
                foreach (int peer in _transport.Peers) SendProposal(peer, broadcast.Proposal);
                break;
            case BroadcastVote broadcast:
                foreach (int peer in _transport.Peers) _transport.Send(peer, broadcast.Vote);
                break;
            case ScheduleTimeout timeout:
                _timers.Schedule(timeout.DurationMs, () => Drive(m => m.OnTimeout(timeout.Kind, timeout.Height, timeout.Round)));
                break;
            case BuildBlock build:
                _timers.Schedule(_hostOptions.BuildDelayMs, () => BuildAndPropose(build));
                break;
            case ValidateBlock validate:
                machine.OnBlockValidated(validate.Height, validate.BlockHash, _app.Validate(validate.BlockHash, validate.Block) is null);
                break;
            case CommitBlock commit:
                ApplyCommit(commit);
                break;
            case EvidenceDetected detected:
                if (detected.Evidence.Verify(_options.ChainId, _genesis, _options.SignatureCache) == EvidenceError.None && !_app.IsCommitted(detected.Evidence))
                {
                    Evidence.Add(detected.Evidence);
                }
                break;
        }
    }

    private void BuildAndPropose(BuildBlock build)
    {
        ConsensusMachine machine = Machine!;
        if (_stopped || machine.Height != build.Height || machine.Round != build.Round) return;
        byte[] block = _app.BuildBlock(_signer.Address, Evidence.TakeForProposal(_hostOptions.EvidencePerBlockMax));
        Drive(m => m.OnBlockBuilt(build.Height, build.Round, _app.ComputeHash(block), block));
    }

    private void ApplyCommit(CommitBlock commit)
    {
        CommitResult result = _app.Commit(commit.BlockHash, commit.Block, commit.Certificate);
        CommitError certificate = CommitVerifier.Verify(_options.ChainId, commit.Height, commit.BlockHash, commit.Certificate, _genesis, _options.SignatureCache);
        var stored = new StoredBlock(commit.Height, commit.BlockHash, commit.Block, commit.Certificate);
        _blocks.Append(stored);
        foreach (DuplicateVoteEvidence evidence in result.Evidence) Evidence.MarkCommitted(evidence);
        Committed?.Invoke(stored, result, certificate);
    }

    private void ScheduleGossip()
    {
        _timers.Schedule(_hostOptions.GossipIntervalMs, () =>
        {
            if (_stopped) return;
            var status = new StatusMessage(Machine!.Height, Machine.Round);
            foreach (int peer in _transport.Peers) _transport.Send(peer, status);
            ScheduleGossip();
        });
    }

    private void AnswerStatus(int peer, StatusMessage status)
    {
        ConsensusMachine machine = Machine!;
        if (status.Height < machine.Height && status.Height >= 1)
        {
            ulong last = Math.Min(_blocks.Height, status.Height + (ulong)_hostOptions.SyncBlocksPerReply - 1);
            for (ulong height = status.Height; height <= last; height++)
            {
                StoredBlock stored = _blocks.Get(height);
                _transport.Send(peer, new CommittedBlockMessage(stored.Height, stored.Hash, stored.Block, stored.Certificate));
            }
        }
        else if (status.Height == machine.Height)
        {
            if (machine.CurrentProposal is { } proposal) SendProposal(peer, proposal);
            foreach (Vote vote in machine.OwnVotes()) _transport.Send(peer, vote);
        }
    }

    /// <summary>A proposal travels with the polka it cites, which the receiver needs before it may prevote for it (line 28).</summary>
    private void SendProposal(int peer, Proposal proposal)
    {
        _transport.Send(peer, proposal);
        foreach (Vote vote in Machine!.PolkaOf(proposal)) _transport.Send(peer, vote);
    }
}
