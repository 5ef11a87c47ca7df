using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>
/// A fixed set of validators with the proposer priorities of CometBFT's weighted round robin
/// (spec/consensus/proposer-selection.md): each run adds every validator's power to its priority, elects the
/// highest (ties to the smaller address) and takes the total power off the winner; priorities are first rescaled so
/// that max - min stays within 2 * total power, then centred on their average. Over any window of P runs each
/// validator proposes in proportion to its power.
/// Immutable: <see cref="NextHeight"/> and <see cref="ProposerFor"/> compute on copies, so every node that starts from
/// the same genesis set derives the same proposer for every height and round.
/// </summary>
public sealed class ValidatorSet
{
    /// <summary>Total power stays below this so that 3 * power and the priority arithmetic cannot overflow.</summary>
    public const long TotalVotingPowerMax = long.MaxValue / 8;

    private readonly Validator[] _validators; // sorted by address, distinct
    private readonly long[] _priorities;
    private readonly int _proposerIndex;
    private readonly Dictionary<Address, int> _indexByAddress;

    private ValidatorSet(Validator[] validators, long[] priorities, int proposerIndex, Dictionary<Address, int> indexByAddress, long total)
    {
        _validators = validators;
        _priorities = priorities;
        _proposerIndex = proposerIndex;
        _indexByAddress = indexByAddress;
        TotalVotingPower = total;
    }

    public long TotalVotingPower { get; }

    public int Count => _validators.Length;

    public Validator this[int index] => _validators[index];

    /// <summary>The proposer of round 0 at the height this set is for.</summary>
    public Validator Proposer => _validators[_proposerIndex];

    /// <summary>
    /// The set for the first height: priorities start equal and one selection run elects the first proposer
    /// (CometBFT's NewValidatorSet does the same).
    /// </summary>
    /// <exception cref="ArgumentException">Empty, a duplicate address, a power below 1, or a total above <see cref="TotalVotingPowerMax"/>.</exception>
    public static ValidatorSet Create(IEnumerable<Validator> validators)
    {
        ArgumentNullException.ThrowIfNull(validators);
        Validator[] sorted = validators.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("a validator set needs at least one validator", nameof(validators));
        Array.Sort(sorted, static (a, b) => a.Address.CompareTo(b.Address));
        long total = 0;
        var index = new Dictionary<Address, int>(sorted.Length);
        for (int i = 0; i < sorted.Length; i++)
        {
            Validator validator = sorted[i];
            if (validator.VotingPower < 1)
                throw new ArgumentException($"validator {validator.Address} has voting power {validator.VotingPower}; it must be at least 1", nameof(validators));
            if (!index.TryAdd(validator.Address, i))
                throw new ArgumentException($"validator {validator.Address} appears twice", nameof(validators));
            if (validator.VotingPower > TotalVotingPowerMax - total)
                throw new ArgumentException($"total voting power exceeds {TotalVotingPowerMax}", nameof(validators));
            total += validator.VotingPower;
        }
        long[] priorities = new long[sorted.Length];
        int proposer = Increment(sorted, priorities, total, 1);
        return new ValidatorSet(sorted, priorities, proposer, index, total);
    }

    /// <summary>The set for the next height: one more selection run (CometBFT's state update after every block).</summary>
    public ValidatorSet NextHeight() => Advance(1);

    /// <summary>The proposer of <paramref name="round"/> at this height: round 0's proposer, then one run per round.</summary>
    public Validator ProposerFor(int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        return round == 0 ? Proposer : Advance(round).Proposer;
    }

    /// <summary>The set after <paramref name="heights"/> more heights (a node that starts at a later height).</summary>
    public ValidatorSet AdvanceHeights(ulong heights)
    {
        ValidatorSet set = this;
        for (ulong i = 0; i < heights; i++) set = set.NextHeight();
        return set;
    }

    public bool TryGetIndex(Address address, out int index) => _indexByAddress.TryGetValue(address, out index);

    public bool Contains(Address address) => _indexByAddress.ContainsKey(address);

    public long PriorityOf(int index) => _priorities[index];

    /// <summary>More than two thirds of the total power: a quorum (2f + 1 of n = 3f + 1).</summary>
    public bool IsQuorum(long power) => power * 3 > TotalVotingPower * 2;

    /// <summary>More than one third of the total power: at least one correct validator is among them (f + 1).</summary>
    public bool IsOneThird(long power) => power * 3 > TotalVotingPower;

    private ValidatorSet Advance(int runs)
    {
        long[] priorities = (long[])_priorities.Clone();
        int proposer = Increment(_validators, priorities, TotalVotingPower, runs);
        return new ValidatorSet(_validators, priorities, proposer, _indexByAddress, TotalVotingPower);
    }

    private static int Increment(Validator[] validators, long[] priorities, long total, int runs)
    {
        Rescale(priorities, 2 * total);
        ShiftByAverage(priorities);
        int proposer = -1;
        for (int run = 0; run < runs; run++)
        {
            for (int i = 0; i < priorities.Length; i++) priorities[i] = AddClipped(priorities[i], validators[i].VotingPower);
            proposer = 0;
            for (int i = 1; i < priorities.Length; i++)
            {
                // Strictly greater: on a tie the earlier (smaller) address stays elected.
                if (priorities[i] > priorities[proposer]) proposer = i;
            }
            priorities[proposer] = AddClipped(priorities[proposer], -total);
        }
        return proposer;
    }

    private static void Rescale(long[] priorities, long diffMax)
    {
        long min = priorities.Min();
        long max = priorities.Max();
        Int128 diff = (Int128)max - min;
        if (diff <= diffMax) return;
        long ratio = (long)((diff + diffMax - 1) / diffMax);
        for (int i = 0; i < priorities.Length; i++) priorities[i] /= ratio;
    }

    private static void ShiftByAverage(long[] priorities)
    {
        Int128 sum = 0;
        foreach (long priority in priorities) sum += priority;
        // Floor division, as Go's big.Int.Div (Euclidean for a positive divisor), which CometBFT uses here.
        Int128 count = priorities.Length;
        Int128 average = sum / count;
        if (sum % count < 0) average -= 1;
        for (int i = 0; i < priorities.Length; i++) priorities[i] = AddClipped(priorities[i], -(long)average);
    }

    private static long AddClipped(long a, long b)
    {
        long sum = a + b;
        // Overflow iff both operands have the same sign and the result's sign differs.
        if (((a ^ sum) & (b ^ sum)) < 0) return a < 0 ? long.MinValue : long.MaxValue;
        return sum;
    }
}
