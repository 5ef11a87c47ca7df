namespace NexusFast.Engine.Consensus;

/// <summary>
/// Verified equivocation evidence waiting to go into a block. One entry per (validator, height, round, type) slot:
/// a second proof of the same offence adds nothing. Entries leave when a committed block includes them. Bounded:
/// beyond <see cref="Capacity"/> new evidence is refused (a byzantine third can only produce so much per height anyway).
/// </summary>
public sealed class EvidencePool(int capacity = 1024)
{
    private readonly Dictionary<(Primitives.Address, ulong, int, ConsensusMessageType), DuplicateVoteEvidence> _pending = new();
    private readonly HashSet<(Primitives.Address, ulong, int, ConsensusMessageType)> _committed = new();

    public int Capacity { get; } = capacity;

    public int PendingCount => _pending.Count;

    /// <summary>Adds evidence the caller has verified; false when its slot is already pending or committed, or the pool is full.</summary>
    public bool Add(DuplicateVoteEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (_committed.Contains(evidence.Slot) || _pending.Count >= Capacity) return false;
        return _pending.TryAdd(evidence.Slot, evidence);
    }

    public bool IsCommitted(DuplicateVoteEvidence evidence) => _committed.Contains(evidence.Slot);

    /// <summary>Up to <paramref name="max"/> pending entries, oldest slots first by height, for a block proposal.</summary>
    public List<DuplicateVoteEvidence> TakeForProposal(int max)
    {
        var list = new List<DuplicateVoteEvidence>(_pending.Values);
        list.Sort(static (a, b) =>
        {
            int order = a.Height.CompareTo(b.Height);
            if (order == 0) order = a.First.Round.CompareTo(b.First.Round);
            if (order == 0) order = a.First.Type.CompareTo(b.First.Type);
            return order != 0 ? order : a.Validator.CompareTo(b.Validator);
        });
        if (list.Count > max) list.RemoveRange(max, list.Count - max);
        return list;
    }

    /// <summary>A committed block included this evidence: it is no longer pending and must not be included again.</summary>
    public void MarkCommitted(DuplicateVoteEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        _pending.Remove(evidence.Slot);
        _committed.Add(evidence.Slot);
    }
}
