using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>
/// One validator's Tendermint state machine (Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus",
/// arXiv:1807.04938, Algorithm 1), with CometBFT's proposer rotation. Pure: no clock, no thread, no I/O. The host
/// feeds it messages, timer expiries and block build/validation results, and drains <see cref="TakeOutputs"/> after
/// every call. Line numbers in comments refer to Algorithm 1. Not thread-safe: one owner drives it.
/// </summary>
public sealed partial class ConsensusMachine
{
    private readonly ConsensusOptions _options;
    private readonly IConsensusSigner? _signer;
    private readonly ILockedValueStore? _lockStore;
    private List<ConsensusOutput> _outputs = new();

    // Per height.
    private HeightVotes _votes = null!;
    private readonly Dictionary<int, List<Proposal>> _proposals = new();
    private readonly Dictionary<int, Address> _proposerByRound = new();
    private readonly Dictionary<Hash256, byte[]> _blocks = new();
    private readonly Dictionary<Hash256, bool> _validity = new();
    private readonly HashSet<Hash256> _validationRequested = new();
    private readonly List<object> _nextHeight = new();

    // Per round: the "for the first time" guards of lines 34, 36 and 47, and whether a block was requested.
    private bool _prevoteTimeoutScheduled;
    private bool _validUpdatedThisRound;
    private bool _precommitTimeoutScheduled;
    private bool _buildRequested;
    private bool _started;

    /// <param name="validators">The validator set of <paramref name="height"/>, priorities included.</param>
    /// <param name="signer">This validator's signer; null for a node that follows without voting.</param>
    /// <param name="lockStore">Where the locked value is persisted for restarts; null keeps it in memory only.</param>
    public ConsensusMachine(ConsensusOptions options, ValidatorSet validators, ulong height, IConsensusSigner? signer, ILockedValueStore? lockStore = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(validators);
        if (height == 0) throw new ArgumentOutOfRangeException(nameof(height), "consensus starts at height 1 (0 is the genesis)");
        _options = options;
        _signer = signer;
        _lockStore = lockStore;
        Validators = validators;
        Height = height;
        ResetHeight();
    }

    public ulong Height { get; private set; }

    public int Round { get; private set; }

    public RoundStep Step { get; private set; }

    public ValidatorSet Validators { get; private set; }

    public int LockedRound { get; private set; } = -1;

    public Hash256 LockedBlock { get; private set; }

    public int ValidRound { get; private set; } = -1;

    public Hash256 ValidBlock { get; private set; }

    public Address? Self => _signer?.Address;

    /// <summary>The proposer of <paramref name="round"/> at the current height.</summary>
    public Address ProposerOf(int round)
    {
        if (!_proposerByRound.TryGetValue(round, out Address proposer))
        {
            proposer = Validators.ProposerFor(round).Address;
            _proposerByRound[round] = proposer;
        }
        return proposer;
    }

    /// <summary>The outputs produced since the last call, in order.</summary>
    public List<ConsensusOutput> TakeOutputs()
    {
        List<ConsensusOutput> outputs = _outputs;
        _outputs = new List<ConsensusOutput>();
        return outputs;
    }

    /// <summary>
    /// The proposal of the current round (the first one received), for re-gossip; null when none arrived yet.
    /// </summary>
    public Proposal? CurrentProposal => _proposals.TryGetValue(Round, out List<Proposal>? list) ? list[0] : null;

    /// <summary>This validator's own votes at the current height, for re-gossip to peers that missed them.</summary>
    public List<Vote> OwnVotes()
    {
        var own = new List<Vote>();
        if (_signer is null || !Validators.TryGetIndex(_signer.Address, out int index)) return own;
        foreach (int round in _votes.Rounds)
        {
            if (_votes.Prevotes(round).VoteOf(index) is { } prevote) own.Add(prevote);
            if (_votes.Precommits(round).VoteOf(index) is { } precommit) own.Add(precommit);
        }
        return own;
    }

    /// <summary>
    /// Starts the current height. A validator that signed at this height before a restart resumes at the round it last
    /// signed in, with the lock it persisted (Algorithm 1 keeps lockedRound/lockedValue across rounds; losing them
    /// on a crash would let a correct validator help commit a conflicting block).
    /// </summary>
    public void Start()
    {
        Invariant.Check(!_started);
        _started = true;
        SignerState? last = _signer?.LastSigned;
        if (last is null || last.Height != Height)
        {
            StartRound(0);
            Progress();
            return;
        }
        LockedRound = last.LockedRound;
        LockedBlock = last.LockedBlockHash;
        RestoreLockedValue();
        StartRound(last.Round);
        // Send again what we signed (a crash may have come between persisting and sending), and take up the step we
        // had reached: the guard would refuse anything else for it anyway.
        RestoreVote(ConsensusMessageType.Prevote, last.LastPrevote);
        RestoreVote(ConsensusMessageType.Precommit, last.LastPrecommit);
        if (last.Type != ConsensusMessageType.Proposal) Step = last.Type == ConsensusMessageType.Prevote ? RoundStep.Prevote : RoundStep.Precommit;
        Progress();
    }

    /// <summary>The persisted locked value becomes the valid value again, with its polka, if it is the lock we restored.</summary>
    private void RestoreLockedValue()
    {
        if (LockedRound < 0 || _lockStore?.Load() is not { } locked) return;
        if (locked.Height != Height || locked.Round != LockedRound || locked.BlockHash != LockedBlock) return;
        _blocks[locked.BlockHash] = locked.Block;
        _validity[locked.BlockHash] = true; // we validated it before locking on it
        _validationRequested.Add(locked.BlockHash);
        ValidRound = locked.Round;
        ValidBlock = locked.BlockHash;
        foreach (Vote vote in locked.Polka)
        {
            if (vote.Height == Height && vote.Type == ConsensusMessageType.Prevote) AcceptVote(vote);
        }
    }

    /// <summary>
    /// The polka a proposal cites (the prevotes of its proof-of-lock round for its block) as far as we have it, to send
    /// along with the proposal: a peer can accept a re-proposed value only with the polka in hand (line 28).
    /// </summary>
    public List<Vote> PolkaOf(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        if (proposal.Height != Height || proposal.PolRound < 0) return new List<Vote>();
        return _votes.Prevotes(proposal.PolRound).VotesFor(proposal.BlockHash);
    }

    private void RestoreVote(ConsensusMessageType type, SignedVote? signed)
    {
        if (signed is null || !Validators.TryGetIndex(_signer!.Address, out int index)) return;
        var vote = new Vote(type, Height, signed.Round, signed.BlockHash, _signer.Address, signed.Signature);
        // Duplicate when the restored polka already holds our own prevote; it is still ours to send again.
        if (_votes.Of(type, signed.Round).Add(vote, index, out _) == VoteAddResult.Conflict) return;
        _votes.NoteSender(signed.Round, index);
        _outputs.Add(new BroadcastVote(vote));
    }

    public void OnProposal(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        if (proposal.Height == Height + 1)
        {
            BufferNextHeight(proposal);
            return;
        }
        if (proposal.Height != Height || !_started) return;
        if (proposal.Round > Round + _options.RoundsAheadMax) return;
        if (!proposal.Authenticate(_options.ChainId, _options.SignatureCache) || proposal.Proposer != ProposerOf(proposal.Round)) return;
        AcceptProposal(proposal);
        Progress();
    }

    public void OnVote(Vote vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        if (vote.Height == Height + 1)
        {
            BufferNextHeight(vote);
            return;
        }
        if (vote.Height != Height || !_started) return;
        if (AcceptVote(vote)) Progress();
    }

    /// <summary>A timer set by <see cref="ScheduleTimeout"/> expired. Stale timers (other height or round) are ignored.</summary>
    public void OnTimeout(TimeoutKind kind, ulong height, int round)
    {
        if (height != Height || round != Round || !_started) return;
        switch (kind)
        {
            case TimeoutKind.Propose when Step == RoundStep.Propose: // line 57
                CastVote(ConsensusMessageType.Prevote, Hash256.Zero);
                Step = RoundStep.Prevote;
                break;
            case TimeoutKind.Prevote when Step == RoundStep.Prevote: // line 61
                CastVote(ConsensusMessageType.Precommit, Hash256.Zero);
                Step = RoundStep.Precommit;
                break;
            case TimeoutKind.Precommit: // line 65
                StartRound(Round + 1);
                break;
            default:
                return;
        }
        Progress();
    }

    /// <summary>The answer to <see cref="ValidateBlock"/>: whether the block is valid (parses, hashes to the hash, executes).</summary>
    public void OnBlockValidated(ulong height, Hash256 blockHash, bool valid)
    {
        if (height != Height || !_validationRequested.Contains(blockHash)) return;
        _validity[blockHash] = valid;
        Progress();
    }

    /// <summary>The answer to <see cref="BuildBlock"/>: the host built (and so validated) this block.</summary>
    public void OnBlockBuilt(ulong height, int round, Hash256 blockHash, byte[] block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (height != Height || round != Round || Step != RoundStep.Propose || blockHash.IsZero || !_buildRequested) return;
        if (ProposerOf(round) != Self) return;
        _blocks.TryAdd(blockHash, block);
        _validity[blockHash] = true;
        _validationRequested.Add(blockHash);
        SendProposal(blockHash, block, -1);
        Progress();
    }

    /// <summary>
    /// Block sync: a certificate for the current height from a peer that is ahead. The caller has checked that
    /// <paramref name="block"/> hashes to <paramref name="blockHash"/>. Commits and moves on when the certificate
    /// verifies against this height's validator set; false (and nothing changes) otherwise.
    /// </summary>
    public bool OnCommitCertificate(ulong height, Hash256 blockHash, byte[] block, CommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(certificate);
        if (height != Height || !_started || blockHash.IsZero) return false;
        if (CommitVerifier.Verify(_options.ChainId, height, blockHash, certificate, Validators, _options.SignatureCache) != CommitError.None) return false;
        Decide(blockHash, block, certificate);
        Progress();
        return true;
    }

    private void BufferNextHeight(object message)
    {
        if (_nextHeight.Count < _options.NextHeightBufferMax) _nextHeight.Add(message);
    }

    private void AcceptProposal(Proposal proposal)
    {
        if (!_proposals.TryGetValue(proposal.Round, out List<Proposal>? list))
        {
            list = new List<Proposal>(1);
            _proposals.Add(proposal.Round, list);
        }
        foreach (Proposal known in list)
        {
            if (known.BlockHash == proposal.BlockHash && known.PolRound == proposal.PolRound) return;
        }
        if (list.Count >= _options.ProposalsPerRoundMax) return;
        list.Add(proposal);
        if (Validators.TryGetIndex(proposal.Proposer, out int index)) _votes.NoteSender(proposal.Round, index);
        _blocks.TryAdd(proposal.BlockHash, proposal.Block);
        RequestValidation(proposal.BlockHash);
    }

    private bool AcceptVote(Vote vote)
    {
        if (vote.Round > Round + _options.RoundsAheadMax) return false;
        if (!Validators.TryGetIndex(vote.Validator, out int index)) return false;
        if (!vote.Authenticate(_options.ChainId, _options.SignatureCache)) return false;
        VoteAddResult result = _votes.Of(vote.Type, vote.Round).Add(vote, index, out Vote? existing);
        if (result == VoteAddResult.Duplicate) return false;
        if (result == VoteAddResult.Conflict) _outputs.Add(new EvidenceDetected(DuplicateVoteEvidence.Create(existing!, vote)));
        _votes.NoteSender(vote.Round, index);
        return true;
    }

    private void RequestValidation(Hash256 blockHash)
    {
        if (!_validationRequested.Add(blockHash)) return;
        _outputs.Add(new ValidateBlock(Height, blockHash, _blocks[blockHash]));
    }

    private void ResetHeight()
    {
        _votes = new HeightVotes(Validators, Height);
        _proposals.Clear();
        _proposerByRound.Clear();
        _blocks.Clear();
        _validity.Clear();
        _validationRequested.Clear();
        LockedRound = -1;
        LockedBlock = default;
        ValidRound = -1;
        ValidBlock = default;
        Round = 0;
        Step = RoundStep.Propose;
    }
}
