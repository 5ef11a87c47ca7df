using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Consensus.ConsensusMessageType;

namespace NexusFast.Engine.Tests.Consensus;

/// <summary>
/// One machine against scripted messages from the other validators (4 of equal power: a quorum is 3, f + 1 is 2), one
/// test per rule of Algorithm 1 that matters for safety or liveness.
/// </summary>
public sealed class ConsensusMachineTests
{
    private readonly ConsensusKit _kit = new(1, 1, 1, 1);

    private static readonly byte[] s_x = ConsensusKit.Block("block x");
    private static readonly byte[] s_y = ConsensusKit.Block("block y");
    private static readonly Hash256 s_hashX = ConsensusKit.BlockHash(s_x);
    private static readonly Hash256 s_hashY = ConsensusKit.BlockHash(s_y);

    /// <summary>A validator that proposes in none of the first <paramref name="rounds"/> rounds of height 1.</summary>
    private int NonProposer(int rounds)
    {
        var proposers = Enumerable.Range(0, rounds).Select(r => _kit.IndexOf(_kit.Set.ProposerFor(r).Address)).ToHashSet();
        return Enumerable.Range(0, 4).First(i => !proposers.Contains(i));
    }

    private int Proposer(int round) => _kit.IndexOf(_kit.Set.ProposerFor(round).Address);

    private IEnumerable<int> Others(int self) => Enumerable.Range(0, 4).Where(i => i != self);

    /// <summary>Brings a fresh machine to a lock on x in round 0 (it prevoted and precommitted x).</summary>
    private ConsensusMachine LockedOnX(int self, MemorySignerStateStore? store = null)
    {
        ConsensusMachine machine = _kit.Machine(self, store);
        machine.Start();
        machine.TakeOutputs();
        machine.Feed(_kit.Proposal(Proposer(0), 1, 0, -1, s_x));
        foreach (int other in Others(self).Take(2)) machine.Feed(_kit.Vote(other, Prevote, 1, 0, s_hashX));
        Assert.Equal(0, machine.LockedRound);
        Assert.Equal(s_hashX, machine.LockedBlock);
        return machine;
    }

    /// <summary>Ends the current round with two nil precommits from others and the precommit timeout.</summary>
    private static void EndRound(ConsensusMachine machine, ConsensusKit kit, IEnumerable<int> others)
    {
        int round = machine.Round;
        foreach (int other in others.Take(2)) machine.Feed(kit.Vote(other, Precommit, 1, round, Hash256.Zero));
        machine.OnTimeout(TimeoutKind.Precommit, 1, round);
        Assert.Equal(round + 1, machine.Round);
    }

    [Fact]
    public void A_valid_proposal_gets_a_prevote_and_a_polka_gets_a_precommit()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        machine.TakeOutputs();

        List<ConsensusOutput> outputs = machine.Feed(_kit.Proposal(Proposer(0), 1, 0, -1, s_x));
        Assert.Equal(s_hashX, Assert.Single(outputs.Votes(Prevote)).BlockHash);

        outputs = machine.Feed(_kit.Vote(Others(self).First(), Prevote, 1, 0, s_hashX));
        Assert.Empty(outputs.Votes(Precommit)); // two of four is no quorum
        outputs = machine.Feed(_kit.Vote(Others(self).Last(), Prevote, 1, 0, s_hashX));
        Assert.Equal(s_hashX, Assert.Single(outputs.Votes(Precommit)).BlockHash);
        Assert.Equal(RoundStep.Precommit, machine.Step);
        Assert.Equal(0, machine.ValidRound);
    }

    [Fact]
    public void An_invalid_block_gets_a_nil_prevote()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        List<ConsensusOutput> outputs = machine.Feed(_kit.Proposal(Proposer(0), 1, 0, -1, ConsensusKit.Block("bad block")));
        Assert.True(Assert.Single(outputs.Votes(Prevote)).IsNil);
    }

    [Fact]
    public void A_proposal_from_a_validator_that_is_not_the_rounds_proposer_is_ignored()
    {
        int self = NonProposer(1);
        int impostor = Others(self).First(i => i != Proposer(0));
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        machine.TakeOutputs();
        Assert.Empty(machine.Feed(_kit.Proposal(impostor, 1, 0, -1, s_x)));
        Assert.Equal(RoundStep.Propose, machine.Step);
    }

    [Fact]
    public void A_vote_whose_signature_is_not_the_validators_is_ignored()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        int[] others = Others(self).ToArray();
        Vote forged = _kit.Vote(others[0], Prevote, 1, 5, s_hashX) with { Validator = _kit.Addresses[others[1]] };
        machine.Feed(forged);
        machine.Feed(_kit.Vote(others[2], Prevote, 1, 5, s_hashX));
        Assert.Equal(0, machine.Round); // one genuine sender at round 5 is not f + 1
    }

    [Fact]
    public void A_locked_validator_prevotes_nil_for_a_different_block_without_a_newer_polka()
    {
        int self = NonProposer(2);
        ConsensusMachine machine = LockedOnX(self);
        EndRound(machine, _kit, Others(self));

        List<ConsensusOutput> outputs = machine.Feed(_kit.Proposal(Proposer(1), 1, 1, -1, s_y));
        Assert.True(Assert.Single(outputs.Votes(Prevote)).IsNil);
        Assert.Equal(0, machine.LockedRound);
    }

    [Fact]
    public void A_locked_validator_prevotes_for_the_locked_block_when_it_is_proposed_again()
    {
        int self = NonProposer(2);
        ConsensusMachine machine = LockedOnX(self);
        EndRound(machine, _kit, Others(self));

        List<ConsensusOutput> outputs = machine.Feed(_kit.Proposal(Proposer(1), 1, 1, -1, s_x));
        Assert.Equal(s_hashX, Assert.Single(outputs.Votes(Prevote)).BlockHash);
    }

    [Fact]
    public void A_proposal_with_a_polka_newer_than_the_lock_unlocks()
    {
        int self = NonProposer(3);
        ConsensusMachine machine = LockedOnX(self);
        int[] others = Others(self).ToArray();
        EndRound(machine, _kit, others);

        // Round 1: the others reach a polka for y that this validator never saw a proposal for; it times out to nil.
        foreach (int other in others) machine.Feed(_kit.Vote(other, Prevote, 1, 1, s_hashY));
        machine.OnTimeout(TimeoutKind.Propose, 1, 1);
        machine.OnTimeout(TimeoutKind.Prevote, 1, 1);
        machine.TakeOutputs();
        EndRound(machine, _kit, others);

        // Round 2: y is proposed with proof-of-lock round 1; lockedRound 0 <= 1 lets it through (line 29).
        List<ConsensusOutput> outputs = machine.Feed(_kit.Proposal(Proposer(2), 1, 2, 1, s_y));
        Assert.Equal(s_hashY, Assert.Single(outputs.Votes(Prevote)).BlockHash);
    }

    [Fact]
    public void A_proposal_citing_a_polka_that_did_not_happen_waits_and_then_times_out_to_nil()
    {
        int self = NonProposer(2);
        ConsensusMachine machine = LockedOnX(self);
        EndRound(machine, _kit, Others(self));
        // Round 1 cites proof-of-lock round 0, where the polka was for x, not y.
        Assert.Empty(machine.Feed(_kit.Proposal(Proposer(1), 1, 1, 0, s_y)).Votes(Prevote));
        machine.OnTimeout(TimeoutKind.Propose, 1, 1);
        Assert.True(Assert.Single(machine.TakeOutputs().Votes(Prevote)).IsNil);
    }

    [Fact]
    public void A_proposer_with_a_valid_value_proposes_it_again_with_its_round()
    {
        int self = Proposer(1);
        Assert.NotEqual(Proposer(0), self); // equal powers rotate through all four
        ConsensusMachine machine = LockedOnX(self);
        foreach (int other in Others(self).Take(2)) machine.Feed(_kit.Vote(other, Precommit, 1, 0, Hash256.Zero));
        machine.OnTimeout(TimeoutKind.Precommit, 1, 0);

        List<ConsensusOutput> outputs = machine.TakeOutputs();
        Proposal proposal = Assert.Single(outputs.OfType<BroadcastProposal>()).Proposal;
        Assert.Equal((1, 0, s_hashX), (proposal.Round, proposal.PolRound, proposal.BlockHash));
        Assert.Empty(outputs.OfType<BuildBlock>());
    }

    [Fact]
    public void A_proposer_without_a_valid_value_asks_for_a_new_block_and_proposes_it()
    {
        int self = Proposer(0);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        BuildBlock request = Assert.Single(machine.TakeOutputs().OfType<BuildBlock>());
        machine.OnBlockBuilt(request.Height, request.Round, s_hashX, s_x);
        List<ConsensusOutput> outputs = machine.TakeOutputs();
        Assert.Equal(-1, Assert.Single(outputs.OfType<BroadcastProposal>()).Proposal.PolRound);
        Assert.Equal(s_hashX, Assert.Single(outputs.Votes(Prevote)).BlockHash); // its own proposal, prevoted at once
    }

    [Fact]
    public void Messages_from_f_plus_one_validators_at_a_higher_round_make_it_skip_there()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        int[] others = Others(self).ToArray();
        machine.Feed(_kit.Vote(others[0], Prevote, 1, 5, Hash256.Zero));
        Assert.Equal(0, machine.Round);
        machine.Feed(_kit.Vote(others[1], Precommit, 1, 5, Hash256.Zero));
        Assert.Equal(5, machine.Round);
        Assert.Equal(RoundStep.Propose, machine.Step);
    }

    [Fact]
    public void Timeouts_grow_with_the_round()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        ScheduleTimeout first = Assert.Single(machine.TakeOutputs().OfType<ScheduleTimeout>());
        Assert.Equal((TimeoutKind.Propose, 0, 300L), (first.Kind, first.Round, first.DurationMs));

        int[] others = Others(self).ToArray();
        machine.Feed(_kit.Vote(others[0], Prevote, 1, 3, Hash256.Zero));
        List<ConsensusOutput> outputs = machine.Feed(_kit.Vote(others[1], Prevote, 1, 3, Hash256.Zero));
        ScheduleTimeout propose = Assert.Single(outputs.OfType<ScheduleTimeout>());
        Assert.Equal((TimeoutKind.Propose, 3, 600L), (propose.Kind, propose.Round, propose.DurationMs));

        machine.OnTimeout(TimeoutKind.Propose, 1, 3);
        outputs = machine.Feed(_kit.Vote(others[2], Prevote, 1, 3, Hash256.Zero));
        ScheduleTimeout prevote = Assert.Single(outputs.OfType<ScheduleTimeout>());
        Assert.Equal((TimeoutKind.Prevote, 350L), (prevote.Kind, prevote.DurationMs));
        Assert.Equal(400L, ConsensusKit.Timeouts.DurationMs(TimeoutKind.Precommit, 4));
    }

    [Fact]
    public void A_timeout_of_another_round_or_step_changes_nothing()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        machine.TakeOutputs();
        machine.OnTimeout(TimeoutKind.Propose, 1, 1);
        machine.OnTimeout(TimeoutKind.Propose, 2, 0);
        machine.OnTimeout(TimeoutKind.Prevote, 1, 0);
        Assert.Empty(machine.TakeOutputs());
        Assert.Equal((0, RoundStep.Propose), (machine.Round, machine.Step));
    }

    [Fact]
    public void Precommits_of_a_quorum_commit_the_block_with_a_certificate_that_verifies()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        machine.Feed(_kit.Proposal(Proposer(0), 1, 0, -1, s_x));
        var outputs = new List<ConsensusOutput>();
        foreach (int other in Others(self)) outputs.AddRange(machine.Feed(_kit.Vote(other, Precommit, 1, 0, s_hashX)));

        CommitBlock commit = Assert.Single(outputs.OfType<CommitBlock>());
        Assert.Equal((1UL, s_hashX), (commit.Height, commit.BlockHash));
        Assert.Equal(CommitError.None, CommitVerifier.Verify(ConsensusKit.ChainId, 1, s_hashX, commit.Certificate, _kit.Set));
        Assert.Equal(2UL, machine.Height);
        Assert.Equal(-1, machine.LockedRound);
    }

    [Fact]
    public void A_late_validator_decides_on_precommits_of_an_earlier_round()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        int[] others = Others(self).ToArray();
        foreach (int other in others.Take(2)) machine.Feed(_kit.Vote(other, Prevote, 1, 4, Hash256.Zero));
        Assert.Equal(4, machine.Round);
        machine.Feed(_kit.Proposal(Proposer(0), 1, 0, -1, s_x));
        List<ConsensusOutput> outputs = others.SelectMany(o => machine.Feed(_kit.Vote(o, Precommit, 1, 0, s_hashX))).ToList();
        Assert.Equal(s_hashX, Assert.Single(outputs.OfType<CommitBlock>()).BlockHash);
    }

    [Fact]
    public void Votes_for_the_next_height_are_kept_until_the_machine_gets_there()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        int[] others = Others(self).ToArray();
        foreach (int other in others.Take(2)) machine.Feed(_kit.Vote(other, Prevote, 2, 3, Hash256.Zero));
        Assert.Equal(1UL, machine.Height);
        machine.Feed(_kit.Proposal(Proposer(0), 1, 0, -1, s_x));
        foreach (int other in others) machine.Feed(_kit.Vote(other, Precommit, 1, 0, s_hashX));
        Assert.Equal((2UL, 3), (machine.Height, machine.Round)); // the buffered f + 1 at round 3 pulled it there
    }

    [Fact]
    public void Two_different_votes_of_one_validator_produce_evidence_that_anyone_can_verify()
    {
        int self = NonProposer(1);
        ConsensusMachine machine = _kit.Machine(self);
        machine.Start();
        int culprit = Others(self).First();
        machine.Feed(_kit.Vote(culprit, Prevote, 1, 0, s_hashX));
        List<ConsensusOutput> outputs = machine.Feed(_kit.Vote(culprit, Prevote, 1, 0, s_hashY));

        DuplicateVoteEvidence evidence = Assert.Single(outputs.OfType<EvidenceDetected>()).Evidence;
        Assert.Equal(_kit.Addresses[culprit], evidence.Validator);
        Assert.Equal(EvidenceError.None, evidence.Verify(ConsensusKit.ChainId, _kit.Set));
        Assert.Equal(EvidenceError.BadSignature, evidence.Verify(ConsensusKit.ChainId + 1, _kit.Set));
        DuplicateVoteEvidence decoded = DuplicateVoteEvidence.Decode(evidence.Encode());
        Assert.Equal(EvidenceError.None, decoded.Verify(ConsensusKit.ChainId, _kit.Set));
        Assert.Equal(evidence.Encode(), decoded.Encode());
    }

    [Fact]
    public void Evidence_of_two_votes_for_the_same_block_or_of_different_rounds_is_refused()
    {
        Vote a = _kit.Vote(0, Prevote, 1, 0, s_hashX);
        Assert.Equal(EvidenceError.SameBlock, DuplicateVoteEvidence.Create(a, _kit.Vote(0, Prevote, 1, 0, s_hashX)).Verify(ConsensusKit.ChainId, _kit.Set));
        Assert.Equal(EvidenceError.DifferentVoteKinds, DuplicateVoteEvidence.Create(a, _kit.Vote(0, Prevote, 1, 1, s_hashY)).Verify(ConsensusKit.ChainId, _kit.Set));
        Assert.Equal(EvidenceError.DifferentVoteKinds, DuplicateVoteEvidence.Create(a, _kit.Vote(1, Prevote, 1, 0, s_hashY)).Verify(ConsensusKit.ChainId, _kit.Set));
        Vote forged = _kit.Vote(1, Prevote, 1, 0, s_hashY) with { Validator = _kit.Addresses[0] };
        Assert.Equal(EvidenceError.BadSignature, DuplicateVoteEvidence.Create(a, forged).Verify(ConsensusKit.ChainId, _kit.Set));
    }

    [Fact]
    public void A_restarted_validator_resumes_its_round_and_lock_and_does_not_sign_against_them()
    {
        int self = NonProposer(2);
        var store = new MemorySignerStateStore();
        LockedOnX(self, store);

        ConsensusMachine restarted = _kit.Machine(self, store);
        restarted.Start();
        Assert.Equal((0, 0, s_hashX), (restarted.Round, restarted.LockedRound, restarted.LockedBlock));
        restarted.TakeOutputs();
        // Round 0 again: a prevote comes before the precommit it already signed, so the guard refuses it...
        Assert.Empty(restarted.Feed(_kit.Proposal(Proposer(0), 1, 0, -1, s_x)).Votes(Prevote));
        // ...and a nil precommit on a nil polka conflicts with the precommit for x: refused too.
        var outputs = Others(self).SelectMany(other => restarted.Feed(_kit.Vote(other, Prevote, 1, 0, Hash256.Zero))).ToList();
        Assert.Empty(outputs.Votes(Precommit));
        Assert.Equal(RoundStep.Precommit, restarted.Step);
        EndRound(restarted, _kit, Others(self));
        outputs = restarted.Feed(_kit.Proposal(Proposer(1), 1, 1, -1, s_y));
        Assert.True(Assert.Single(outputs.Votes(Prevote)).IsNil); // still locked on x
    }
}
