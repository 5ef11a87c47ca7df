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
/// The votes of one type at one height and round, with the power behind each block hash (nil counts as
/// <see cref="Hash256.Zero"/>). Counting follows the paper: the power for a block is that of the distinct validators that
/// sent a vote for it, so an equivocator counts for each block it voted for (up to <see cref="BlocksPerValidatorMax"/>),
/// and "2f + 1 of any" counts each validator once. Counting only a validator's first vote would let an equivocator hide
/// a real polka from the nodes that heard its other vote first, and stall them (CometBFT's VoteSet tracks conflicting
/// votes per block for the same reason). The caller has authenticated the votes; this class only counts.
/// </summary>
public sealed class VoteSet
{
    /// <summary>Distinct blocks counted per validator: bounds the memory one equivocator can take.</summary>
    public const int BlocksPerValidatorMax = 3;

    private readonly ValidatorSet _validators;
    private readonly List<Vote>?[] _byValidator;
    private readonly Dictionary<Hash256, long> _powerByBlock = new();

    public VoteSet(ValidatorSet validators, ulong height, int round, ConsensusMessageType type)
    {
        ArgumentNullException.ThrowIfNull(validators);
        if (type is not (ConsensusMessageType.Prevote or ConsensusMessageType.Precommit)) throw new ArgumentOutOfRangeException(nameof(type));
        _validators = validators;
        _byValidator = new List<Vote>?[validators.Count];
        Height = height;
        Round = round;
        Type = type;
    }

    public ulong Height { get; }

    public int Round { get; }

    public ConsensusMessageType Type { get; }

    /// <summary>The power of every validator that voted, whatever for, each counted once.</summary>
    public long TotalPower { get; private set; }

    public bool HasQuorumAny => _validators.IsQuorum(TotalPower);

    /// <summary>
    /// Adds an authenticated vote of the validator at <paramref name="validatorIndex"/>. On a conflict the validator's
    /// first vote is returned in <paramref name="existing"/> so that the caller can build evidence from the pair; the new
    /// vote is counted for its block too.
    /// </summary>
    public VoteAddResult Add(Vote vote, int validatorIndex, out Vote? existing)
    {
        ArgumentNullException.ThrowIfNull(vote);
        Invariant.Check(vote.Height == Height && vote.Round == Round && vote.Type == Type);
        Invariant.Check(_validators[validatorIndex].Address == vote.Validator);
        long power = _validators[validatorIndex].VotingPower;
        List<Vote>? votes = _byValidator[validatorIndex];
        if (votes is null)
        {
            existing = null;
            _byValidator[validatorIndex] = new List<Vote>(1) { vote };
            TotalPower += power;
            _powerByBlock[vote.BlockHash] = _powerByBlock.GetValueOrDefault(vote.BlockHash) + power;
            return VoteAddResult.Added;
        }

        existing = votes[0];
        foreach (Vote known in votes)
        {
            if (known.BlockHash == vote.BlockHash) return VoteAddResult.Duplicate;
        }
        if (votes.Count < BlocksPerValidatorMax)
        {
            votes.Add(vote);
            _powerByBlock[vote.BlockHash] = _powerByBlock.GetValueOrDefault(vote.BlockHash) + power;
        }
        return VoteAddResult.Conflict;
    }

    public long PowerFor(Hash256 blockHash) => _powerByBlock.GetValueOrDefault(blockHash);

    public bool HasQuorumFor(Hash256 blockHash) => _validators.IsQuorum(PowerFor(blockHash));

    /// <summary>A block (or nil) that more than two thirds voted for, if any (two can only with more than f equivocating).</summary>
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

    /// <summary>The first vote of the validator at <paramref name="validatorIndex"/>, null if none.</summary>
    public Vote? VoteOf(int validatorIndex) => _byValidator[validatorIndex]?[0];

    /// <summary>The votes for <paramref name="blockHash"/> in validator (address) order, one per validator.</summary>
    public List<Vote> VotesFor(Hash256 blockHash)
    {
        var result = new List<Vote>();
        foreach (List<Vote>? votes in _byValidator)
        {
            if (votes is null) continue;
            foreach (Vote vote in votes)
            {
                if (vote.BlockHash == blockHash) result.Add(vote);
            }
        }
        return result;
    }
}
