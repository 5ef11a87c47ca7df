using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

// The upon-rules of Algorithm 1. Progress() applies them until none fires, so the order in which inputs arrive does not
// matter beyond what the paper allows.
public sealed partial class ConsensusMachine
{
    private void Progress()
    {
        while (true)
        {
            if (TryDecide() || TrySkipRound() || TryPrevoteOnProposal()) continue;
            ScheduleVoteTimeouts();
            if (TryPrecommitOnPolka() || TryPrecommitNil()) continue;
            return;
        }
    }

    // Line 11: StartRound.
    private void StartRound(int round)
    {
        Invariant.Check(round >= 0);
        Round = round;
        Step = RoundStep.Propose;
        _prevoteTimeoutScheduled = false;
        _validUpdatedThisRound = false;
        _precommitTimeoutScheduled = false;
        _buildRequested = false;
        if (Self is { } self && ProposerOf(round) == self)
        {
            if (ValidRound >= 0 && _blocks.TryGetValue(ValidBlock, out byte[]? block))
            {
                SendProposal(ValidBlock, block, ValidRound); // line 15: re-propose the valid value with its proof-of-lock round
            }
            else
            {
                _buildRequested = true; // line 18: getValue()
                _outputs.Add(new BuildBlock(Height, round));
            }
        }
        // The paper sets this timer only on non-proposers; setting it everywhere also moves a proposer on whose own
        // proposal was refused by the double-sign guard (after a restart) or never built.
        _outputs.Add(new ScheduleTimeout(TimeoutKind.Propose, Height, round, _options.Timeouts.DurationMs(TimeoutKind.Propose, round)));
    }

    // Lines 22-33: prevote for the round's proposal, or nil.
    private bool TryPrevoteOnProposal()
    {
        if (Step != RoundStep.Propose || !_proposals.TryGetValue(Round, out List<Proposal>? list)) return false;
        Proposal proposal = list[0];
        if (proposal.PolRound >= 0 && !_votes.Prevotes(proposal.PolRound).HasQuorumFor(proposal.BlockHash)) return false; // line 28 waits for the polka
        if (!_validity.TryGetValue(proposal.BlockHash, out bool valid)) return false; // valid(v) still being computed
        bool acceptable = proposal.PolRound < 0
            ? LockedRound == -1 || LockedBlock == proposal.BlockHash // line 23
            : LockedRound <= proposal.PolRound || LockedBlock == proposal.BlockHash; // line 29
        CastVote(ConsensusMessageType.Prevote, valid && acceptable ? proposal.BlockHash : Hash256.Zero);
        Step = RoundStep.Prevote;
        return true;
    }

    // Lines 34 and 47: a quorum of any votes starts the step's timeout, once per round.
    private void ScheduleVoteTimeouts()
    {
        if (Step == RoundStep.Prevote && !_prevoteTimeoutScheduled && _votes.Prevotes(Round).HasQuorumAny)
        {
            _prevoteTimeoutScheduled = true;
            _outputs.Add(new ScheduleTimeout(TimeoutKind.Prevote, Height, Round, _options.Timeouts.DurationMs(TimeoutKind.Prevote, Round)));
        }
        if (!_precommitTimeoutScheduled && _votes.Precommits(Round).HasQuorumAny)
        {
            _precommitTimeoutScheduled = true;
            _outputs.Add(new ScheduleTimeout(TimeoutKind.Precommit, Height, Round, _options.Timeouts.DurationMs(TimeoutKind.Precommit, Round)));
        }
    }

    // Lines 36-43: a polka (2f + 1 prevotes) for a valid proposal locks it (if still prevoting) and makes it the valid value.
    private bool TryPrecommitOnPolka()
    {
        if (Step < RoundStep.Prevote || _validUpdatedThisRound) return false;
        if (!_votes.Prevotes(Round).TryGetQuorumBlock(out Hash256 block) || block.IsZero) return false;
        if (!HasProposal(Round, block) || !_validity.TryGetValue(block, out bool valid) || !valid) return false;
        _validUpdatedThisRound = true;
        if (Step == RoundStep.Prevote)
        {
            // Durable before the precommit that takes the lock is signed (see LockedValue).
            _lockStore?.Save(new LockedValue(Height, Round, block, _blocks[block], _votes.Prevotes(Round).VotesFor(block).ToArray()));
            LockedBlock = block;
            LockedRound = Round;
            CastVote(ConsensusMessageType.Precommit, block);
            Step = RoundStep.Precommit;
        }
        ValidBlock = block;
        ValidRound = Round;
        return true;
    }

    // Lines 44-46: a polka for nil.
    private bool TryPrecommitNil()
    {
        if (Step != RoundStep.Prevote || !_votes.Prevotes(Round).HasQuorumFor(Hash256.Zero)) return false;
        CastVote(ConsensusMessageType.Precommit, Hash256.Zero);
        Step = RoundStep.Precommit;
        return true;
    }

    // Lines 49-54: 2f + 1 precommits for a valid block in any round decide it.
    private bool TryDecide()
    {
        foreach (int round in _votes.Rounds)
        {
            VoteSet precommits = _votes.Precommits(round);
            if (!precommits.TryGetQuorumBlock(out Hash256 block) || block.IsZero) continue;
            if (!_blocks.TryGetValue(block, out byte[]? content)) continue; // the block arrives by gossip or block sync
            if (!_validity.TryGetValue(block, out bool valid))
            {
                RequestValidation(block);
                continue;
            }
            // 2f + 1 precommits include f + 1 correct validators that validated the block; an invalid verdict here
            // means our own execution disagrees with theirs, which no amount of waiting fixes.
            Invariant.Check(valid);
            Decide(block, content, CommitVerifier.FromPrecommits(round, precommits.VotesFor(block), block));
            return true;
        }
        return false;
    }

    // Line 55: f + 1 power seen at a higher round means a correct validator is there; follow it.
    private bool TrySkipRound()
    {
        int target = -1;
        foreach (int round in _votes.Rounds)
        {
            if (round > Round && round > target && Validators.IsOneThird(_votes.SenderPower(round))) target = round;
        }
        if (target < 0) return false;
        StartRound(target);
        return true;
    }

    private void Decide(Hash256 block, byte[] content, CommitCertificate certificate)
    {
        _outputs.Add(new CommitBlock(Height, block, content, certificate));
        Height++;
        Validators = Validators.NextHeight();
        ResetHeight();
        StartRound(0);
        object[] buffered = _nextHeight.ToArray();
        _nextHeight.Clear();
        foreach (object message in buffered)
        {
            switch (message)
            {
                case Vote vote when vote.Height == Height:
                    AcceptVote(vote);
                    break;
                case Proposal proposal when proposal.Height == Height
                    && proposal.Authenticate(_options.ChainId, _options.SignatureCache) && proposal.Proposer == ProposerOf(proposal.Round):
                    AcceptProposal(proposal);
                    break;
            }
        }
    }

    private bool HasProposal(int round, Hash256 block)
    {
        if (!_proposals.TryGetValue(round, out List<Proposal>? list)) return false;
        foreach (Proposal proposal in list)
        {
            if (proposal.BlockHash == block) return true;
        }
        return false;
    }

    private void SendProposal(Hash256 block, byte[] content, int polRound)
    {
        var payload = new SigningPayload(ConsensusMessageType.Proposal, Height, Round, polRound, block);
        byte[]? signature = _signer!.TrySign(payload, LockedRound, LockedBlock);
        if (signature is null) return; // the guard refused: we proposed something else here before a restart
        var proposal = new Proposal(Height, Round, polRound, block, content, _signer.Address, signature);
        _outputs.Add(new BroadcastProposal(proposal));
        AcceptProposal(proposal);
    }

    private void CastVote(ConsensusMessageType type, Hash256 block)
    {
        if (_signer is null || !Validators.TryGetIndex(_signer.Address, out int index)) return;
        var payload = new SigningPayload(type, Height, Round, -1, block);
        byte[]? signature = _signer.TrySign(payload, LockedRound, LockedBlock);
        if (signature is null) return; // the guard refused: this step was signed differently before a restart
        var vote = new Vote(type, Height, Round, block, _signer.Address, signature);
        _outputs.Add(new BroadcastVote(vote));
        VoteAddResult result = _votes.Of(type, Round).Add(vote, index, out Vote? existing);
        // A conflict with our own key means another process runs it (a misconfigured twin): that is equivocation
        // like any other, and the evidence says so. Our guard never signs two different votes itself.
        if (result == VoteAddResult.Conflict) _outputs.Add(new EvidenceDetected(DuplicateVoteEvidence.Create(existing!, vote)));
        _votes.NoteSender(Round, index);
    }
}
