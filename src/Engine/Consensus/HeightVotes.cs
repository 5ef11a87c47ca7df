namespace NexusFast.Engine.Consensus;

/// <summary>
/// Every vote of one height, by round, plus which validators sent anything at each round: f + 1 power at a higher
/// round proves a correct validator got there, which is the round-skip rule (Tendermint paper, Algorithm 1 line 55).
/// </summary>
internal sealed class HeightVotes(ValidatorSet validators, ulong height)
{
    private readonly Dictionary<int, RoundVotes> _rounds = new();

    public VoteSet Prevotes(int round) => Get(round).Prevotes;

    public VoteSet Precommits(int round) => Get(round).Precommits;

    public VoteSet Of(ConsensusMessageType type, int round) =>
        type == ConsensusMessageType.Prevote ? Prevotes(round) : Precommits(round);

    public IEnumerable<int> Rounds => _rounds.Keys;

    /// <summary>Records that the validator at <paramref name="validatorIndex"/> sent some message at <paramref name="round"/>.</summary>
    public void NoteSender(int round, int validatorIndex)
    {
        RoundVotes votes = Get(round);
        if (votes.Senders[validatorIndex]) return;
        votes.Senders[validatorIndex] = true;
        votes.SenderPower += validators[validatorIndex].VotingPower;
    }

    public long SenderPower(int round) => _rounds.TryGetValue(round, out RoundVotes? votes) ? votes.SenderPower : 0;

    private RoundVotes Get(int round)
    {
        if (!_rounds.TryGetValue(round, out RoundVotes? votes))
        {
            votes = new RoundVotes(
                new VoteSet(validators, height, round, ConsensusMessageType.Prevote),
                new VoteSet(validators, height, round, ConsensusMessageType.Precommit),
                new bool[validators.Count]);
            _rounds.Add(round, votes);
        }
        return votes;
    }

    private sealed class RoundVotes(VoteSet prevotes, VoteSet precommits, bool[] senders)
    {
        public VoteSet Prevotes { get; } = prevotes;

        public VoteSet Precommits { get; } = precommits;

        public bool[] Senders { get; } = senders;

        public long SenderPower { get; set; }
    }
}
