using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Consensus.ConsensusMessageType;

namespace NexusFast.Engine.Tests.Consensus;

/// <summary>What a validator keeps across a crash: its signed votes, its lock and the locked value with its polka.</summary>
public sealed class RestartTests
{
    private readonly ConsensusKit _kit = new(1, 1, 1, 1);
    private static readonly byte[] s_x = ConsensusKit.Block("block x");
    private static readonly Hash256 s_hashX = ConsensusKit.BlockHash(s_x);

    private int Proposer(int round) => _kit.IndexOf(_kit.Set.ProposerFor(round).Address);

    private IEnumerable<int> Others(int self) => Enumerable.Range(0, 4).Where(i => i != self);

    /// <summary>The validator that proposes round 1, locked on x in round 0 with everything persisted.</summary>
    private (int Self, MemorySignerStateStore Signer, MemoryLockedValueStore Lock) LockedProposerOfRoundOne()
    {
        int self = Proposer(1);
        var signer = new MemorySignerStateStore();
        var lockStore = new MemoryLockedValueStore();
        ConsensusMachine machine = _kit.Machine(self, signer, lockStore: lockStore);
        machine.Start();
        machine.Feed(_kit.Proposal(Proposer(0), 1, 0, -1, s_x));
        foreach (int other in Others(self).Take(2)) machine.Feed(_kit.Vote(other, Prevote, 1, 0, s_hashX));
        Assert.Equal(0, machine.LockedRound);
        return (self, signer, lockStore);
    }

    [Fact]
    public void The_locked_value_is_persisted_with_its_polka_before_the_precommit_is_signed()
    {
        (_, MemorySignerStateStore signer, MemoryLockedValueStore lockStore) = LockedProposerOfRoundOne();
        LockedValue locked = Assert.IsType<LockedValue>(lockStore.Value);
        Assert.Equal((1UL, 0, s_hashX), (locked.Height, locked.Round, locked.BlockHash));
        Assert.Equal(3, locked.Polka.Length);
        Assert.Equal(Precommit, signer.State!.Type);
        LockedValue decoded = LockedValue.Decode(locked.Encode());
        Assert.Equal(locked.Block, decoded.Block);
        Assert.Equal(locked.Polka.Select(VoteCodec.Encode), decoded.Polka.Select(VoteCodec.Encode));
        byte[] corrupt = locked.Encode();
        corrupt[5] ^= 1;
        Assert.Throws<InvalidDataException>(() => LockedValue.Decode(corrupt));
    }

    [Fact]
    public void A_restarted_validator_sends_its_persisted_votes_again()
    {
        (int self, MemorySignerStateStore signer, MemoryLockedValueStore lockStore) = LockedProposerOfRoundOne();
        ConsensusMachine restarted = _kit.Machine(self, signer, lockStore: lockStore);
        restarted.Start();
        List<ConsensusOutput> outputs = restarted.TakeOutputs();
        Assert.Equal(s_hashX, Assert.Single(outputs.Votes(Prevote)).BlockHash);
        Vote precommit = Assert.Single(outputs.Votes(Precommit));
        Assert.Equal(s_hashX, precommit.BlockHash);
        Assert.True(precommit.Authenticate(ConsensusKit.ChainId));
        Assert.Equal(RoundStep.Precommit, restarted.Step);
    }

    [Fact]
    public void A_restarted_proposer_proposes_its_locked_value_again_and_can_show_the_polka()
    {
        (int self, MemorySignerStateStore signer, MemoryLockedValueStore lockStore) = LockedProposerOfRoundOne();
        ConsensusMachine restarted = _kit.Machine(self, signer, lockStore: lockStore);
        restarted.Start();
        Assert.Equal((0, s_hashX), (restarted.ValidRound, restarted.ValidBlock));
        foreach (int other in Others(self).Take(2)) restarted.Feed(_kit.Vote(other, Precommit, 1, 0, Hash256.Zero));
        restarted.OnTimeout(TimeoutKind.Precommit, 1, 0);

        Proposal proposal = Assert.Single(restarted.TakeOutputs().OfType<BroadcastProposal>()).Proposal;
        Assert.Equal((1, 0, s_hashX), (proposal.Round, proposal.PolRound, proposal.BlockHash));
        Assert.Equal(s_x, proposal.Block);
        Assert.Equal(3, restarted.PolkaOf(proposal).Count);

        // A validator that missed round 0 entirely accepts it once it holds the polka.
        int late = Others(self).First();
        ConsensusMachine peer = _kit.Machine(late);
        peer.Start();
        foreach (int other in Others(late).Take(2)) peer.Feed(_kit.Vote(other, Prevote, 1, 1, Hash256.Zero)); // f + 1 pulls it to round 1
        peer.TakeOutputs();
        Assert.Empty(peer.Feed(proposal).Votes(Prevote)); // no polka yet: line 28 waits
        List<ConsensusOutput> outputs = restarted.PolkaOf(proposal).SelectMany(peer.Feed).ToList();
        Assert.Equal(s_hashX, Assert.Single(outputs.Votes(Prevote)).BlockHash);
    }

    [Fact]
    public void A_lock_file_of_another_height_or_block_is_ignored()
    {
        (int self, MemorySignerStateStore signer, MemoryLockedValueStore lockStore) = LockedProposerOfRoundOne();
        lockStore.Value = lockStore.Value! with { BlockHash = ConsensusKit.BlockHash(ConsensusKit.Block("other")) };
        ConsensusMachine restarted = _kit.Machine(self, signer, lockStore: lockStore);
        restarted.Start();
        Assert.Equal((0, s_hashX), (restarted.LockedRound, restarted.LockedBlock));
        Assert.Equal(-1, restarted.ValidRound);
    }
}

public sealed class VoteSetTests
{
    private readonly ConsensusKit _kit = new(1, 1, 1, 1);
    private static readonly Hash256 s_x = ConsensusKit.BlockHash(ConsensusKit.Block("x"));
    private static readonly Hash256 s_y = ConsensusKit.BlockHash(ConsensusKit.Block("y"));

    private VoteAddResult Add(VoteSet set, int validator, Hash256 block) =>
        set.Add(_kit.Vote(validator, Prevote, 1, 0, block), _kit.Set.TryGetIndex(_kit.Addresses[validator], out int i) ? i : -1, out _);

    [Fact]
    public void An_equivocator_counts_for_each_block_it_voted_for_but_once_towards_any()
    {
        var set = new VoteSet(_kit.Set, 1, 0, Prevote);
        Assert.Equal(VoteAddResult.Added, Add(set, 0, s_x));
        Assert.Equal(VoteAddResult.Duplicate, Add(set, 0, s_x));
        Assert.Equal(VoteAddResult.Conflict, Add(set, 0, s_y));
        Assert.Equal(VoteAddResult.Added, Add(set, 1, s_y));
        Assert.Equal(VoteAddResult.Added, Add(set, 2, s_y));
        Assert.True(set.HasQuorumFor(s_y)); // 1, 2 and the equivocator 0
        Assert.Equal(3, set.TotalPower);
        Assert.Equal(3, set.VotesFor(s_y).Count);
        Assert.Equal(s_x, set.VoteOf(_kit.Set.TryGetIndex(_kit.Addresses[0], out int i) ? i : -1)!.BlockHash);
    }

    [Fact]
    public void An_equivocator_is_counted_for_at_most_three_blocks()
    {
        var set = new VoteSet(_kit.Set, 1, 0, Prevote);
        for (int b = 0; b < 5; b++) Add(set, 0, ConsensusKit.BlockHash(ConsensusKit.Block($"b{b}")));
        Assert.Equal(1, set.PowerFor(ConsensusKit.BlockHash(ConsensusKit.Block("b2"))));
        Assert.Equal(0, set.PowerFor(ConsensusKit.BlockHash(ConsensusKit.Block("b3"))));
    }
}

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-lock-" + Guid.NewGuid().ToString("N"));

    public AtomicFileTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_locked_value_file_is_replaced_whole_and_read_back()
    {
        var kit = new ConsensusKit(1, 1, 1, 1);
        byte[] block = ConsensusKit.Block("locked");
        Hash256 hash = ConsensusKit.BlockHash(block);
        var store = new FileLockedValueStore(Path.Combine(_directory, "locked-value"));
        Assert.Null(store.Load());
        store.Save(new LockedValue(4, 1, hash, block, [kit.Vote(0, Prevote, 4, 1, hash)]));
        store.Save(new LockedValue(4, 2, hash, block, [kit.Vote(0, Prevote, 4, 2, hash), kit.Vote(1, Prevote, 4, 2, hash)]));
        LockedValue loaded = Assert.IsType<LockedValue>(store.Load());
        Assert.Equal((4UL, 2, hash, 2), (loaded.Height, loaded.Round, loaded.BlockHash, loaded.Polka.Length));
        Assert.True(loaded.Polka.All(v => v.Authenticate(ConsensusKit.ChainId)));
        Assert.Equal([Path.Combine(_directory, "locked-value")], Directory.GetFiles(_directory));

        File.WriteAllBytes(store.Path, File.ReadAllBytes(store.Path)[..^1]);
        Assert.Throws<InvalidDataException>(store.Load);
    }
}
