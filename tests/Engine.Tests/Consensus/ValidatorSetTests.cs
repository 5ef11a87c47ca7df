using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Consensus;

public sealed class ValidatorSetTests
{
    private static Address Addr(byte last)
    {
        byte[] bytes = new byte[Address.Size];
        bytes[^1] = last;
        return new Address(bytes);
    }

    /// <summary>Proposers of consecutive heights (one selection run per height).</summary>
    private static List<Address> Sequence(ValidatorSet set, int count)
    {
        var proposers = new List<Address>();
        for (int i = 0; i < count; i++)
        {
            proposers.Add(set.Proposer.Address);
            set = set.NextHeight();
        }
        return proposers;
    }

    [Fact]
    public void Powers_one_and_three_rotate_as_the_cometbft_proposer_selection_spec_shows()
    {
        // spec/consensus/proposer-selection.md, "Constant Validator Set": p1 = 1, p2 = 3 gives [p2, p1, p2, p2]*; the
        // tie in run 2 goes to p1, the smaller address.
        Address p1 = Addr(1), p2 = Addr(2);
        var set = ValidatorSet.Create([new Validator(p2, 3), new Validator(p1, 1)]);
        Assert.Equal([p2, p1, p2, p2, p2, p1, p2, p2], Sequence(set, 8));
    }

    [Fact]
    public void Every_validator_proposes_in_proportion_to_its_power()
    {
        long[] powers = [1, 2, 3, 4, 10];
        var set = ValidatorSet.Create(powers.Select((p, i) => new Validator(Addr((byte)(i + 1)), p)));
        long total = powers.Sum();
        List<Address> proposers = Sequence(set, (int)(7 * total));
        for (int i = 0; i < powers.Length; i++) Assert.Equal(7 * powers[i], proposers.Count(a => a == Addr((byte)(i + 1))));
    }

    [Fact]
    public void The_proposer_of_round_r_is_r_selection_runs_past_round_zero()
    {
        var set = ValidatorSet.Create([new Validator(Addr(1), 5), new Validator(Addr(2), 1), new Validator(Addr(3), 2)]);
        for (int round = 0; round < 20; round++) Assert.Equal(set.AdvanceHeights((ulong)round).Proposer, set.ProposerFor(round));
        Assert.Equal(set.ProposerFor(3), set.ProposerFor(3)); // no hidden state: the set itself never changes
    }

    [Fact]
    public void Priorities_stay_centred_and_within_twice_the_total_power()
    {
        var set = ValidatorSet.Create([new Validator(Addr(1), 80_000), new Validator(Addr(2), 10), new Validator(Addr(3), 10)]);
        for (int i = 0; i < 500; i++)
        {
            set = set.NextHeight();
            long min = Enumerable.Range(0, set.Count).Min(set.PriorityOf), max = Enumerable.Range(0, set.Count).Max(set.PriorityOf);
            Assert.InRange(max - min, 0, 2 * set.TotalVotingPower + set.TotalVotingPower);
            Assert.InRange(Enumerable.Range(0, set.Count).Sum(set.PriorityOf), -set.Count, set.Count);
        }
    }

    [Fact]
    public void Quorum_is_more_than_two_thirds_and_skip_power_more_than_one_third()
    {
        var set = ValidatorSet.Create(Enumerable.Range(1, 4).Select(i => new Validator(Addr((byte)i), 1)));
        Assert.False(set.IsQuorum(2));
        Assert.True(set.IsQuorum(3));
        Assert.False(set.IsOneThird(1));
        Assert.True(set.IsOneThird(2));
    }

    [Fact]
    public void A_set_with_a_duplicate_an_empty_list_or_a_zero_power_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ValidatorSet.Create([]));
        Assert.Throws<ArgumentException>(() => ValidatorSet.Create([new Validator(Addr(1), 1), new Validator(Addr(1), 2)]));
        Assert.Throws<ArgumentException>(() => ValidatorSet.Create([new Validator(Addr(1), 0)]));
        Assert.Throws<ArgumentException>(() => ValidatorSet.Create([new Validator(Addr(1), ValidatorSet.TotalVotingPowerMax), new Validator(Addr(2), 1)]));
    }
}
