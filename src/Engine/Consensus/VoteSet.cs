using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>What happened to a vote offered to a <see cref="VoteSet"/>.</summary>
public enum VoteAddResult
{
    Added,

    /// <summary>The same validator already cast this exact vote (a relay or re-broadcast).</summary>
    Duplicate,

    /// <summary>The validator already voted for a different block at this height, round and type: equivocation.</summary>
    Conflict,
}

/// <summary>
/// The votes of one type at one height and round, at most one per validator, with the power behind each block hash
/// (nil counts as <see cref="Hash256.Zero"/>). The caller has authenticated the votes; this class only counts.
/// </summary>
public sealed class VoteSet
{
    private readonly ValidatorSet _validators;
    private readonly Vote?[] _byValidator;
    private readonly Dictionary<Hash256, long> _powerByBlock = new();

    public VoteSet(ValidatorSet validators, ulong height, int round, ConsensusMessageType type)
    {
        ArgumentNullException.ThrowIfNull(validators);
        if (type is not (ConsensusMessageType.Prevote or ConsensusMessageType.Precommit)) throw new ArgumentOutOfRangeException(nameof(type));
        _validators = validators;
        _byValidator = new Vote?[validators.Count];
        Height = height;
        Round = round;
        Type = type;
    }

    public ulong Height { get; }

    public int Round { get; }

    public ConsensusMessageType Type { get; }

    /// <summary>The power of every validator that voted, whatever for.</summary>
    public long TotalPower { get; private set; }

    public bool HasQuorumAny => _validators.IsQuorum(TotalPower);

    /// <summary>
    /// Adds an authenticated vote of the validator at <paramref name="validatorIndex"/>. On a conflict the first vote
    /// stays counted and is returned in <paramref name="existing"/>, so the caller can build evidence from the pair.
    /// </summary>
    public VoteAddResult Add(Vote vote, int validatorIndex, out Vote? existing)
    {
        ArgumentNullException.ThrowIfNull(vote);
        Invariant.Check(vote.Height == Height && vote.Round == Round && vote.Type == Type);
        Invariant.Check(_validators[validatorIndex].Address == vote.Validator);
        existing = _byValidator[validatorIndex];
        if (existing is not null) return existing.BlockHash == vote.BlockHash ? VoteAddResult.Duplicate : VoteAddResult.Conflict;

        _byValidator[validatorIndex] = vote;
        long power = _validators[validatorIndex].VotingPower;
        TotalPower += power;
        _powerByBlock[vote.BlockHash] = _powerByBlock.GetValueOrDefault(vote.BlockHash) + power;
        return VoteAddResult.Added;
    }

    public long PowerFor(Hash256 blockHash) => _powerByBlock.GetValueOrDefault(blockHash);

    public bool HasQuorumFor(Hash256 blockHash) => _validators.IsQuorum(PowerFor(blockHash));

    /// <summary>The block (or nil) that more than two thirds voted for, if any; at most one can have a quorum.</summary>
    public bool TryGetQuorumBlock(out Hash256 blockHash)
    {
        foreach (KeyValuePair<Hash256, long> entry in _powerByBlock)
        {
            if (_validators.IsQuorum(entry.Value))
            {
                blockHash = entry.Key;
                return true;
            }
        }
        blockHash = default;
        return false;
    }

    public Vote? VoteOf(int validatorIndex) => _byValidator[validatorIndex];

    /// <summary>The votes for <paramref name="blockHash"/> in validator (address) order.</summary>
    public List<Vote> VotesFor(Hash256 blockHash)
    {
        var votes = new List<Vote>();
        foreach (Vote? vote in _byValidator)
        {
            if (vote is not null && vote.BlockHash == blockHash) votes.Add(vote);
        }
        return votes;
    }
}
