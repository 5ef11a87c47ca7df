using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Simulation;

/// <summary>What committing a block did: why it was invalid (never, for a certified block), the state root after it, the evidence it carried.</summary>
public readonly record struct CommitResult(string? Invalid, Hash256 StateRoot, IReadOnlyList<DuplicateVoteEvidence> Evidence);

/// <summary>
/// The state machine that consensus replicates, as a validator's host drives it: build a block on the last committed
/// one, check a proposed one (valid(v) of the paper), apply a decided one. The simulation runs <see cref="TransferApp"/>;
/// the node will put the engine's Blockchain behind the same three calls (build on a throw-away state overlay, execute
/// and compare roots on another, import on commit).
/// </summary>
public interface IReplicatedApplication
{
    /// <summary>The height of the last committed block (0: genesis).</summary>
    ulong Height { get; }

    Hash256 StateRoot { get; }

    /// <summary>
    /// An encoded block at <see cref="Height"/> + 1 carrying <paramref name="evidence"/>; with <paramref name="corrupt"/> its
    /// state root is wrong on purpose (a byzantine proposer).
    /// </summary>
    byte[] BuildBlock(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence, bool corrupt);

    /// <summary>Null when the block decodes, hashes to <paramref name="hash"/>, extends the chain and executes to its root; otherwise why not.</summary>
    string? Validate(Hash256 hash, byte[] block);

    CommitResult Commit(Hash256 hash, byte[] block);

    /// <summary>Whether a committed block already carried evidence of this equivocation.</summary>
    bool IsCommitted(DuplicateVoteEvidence evidence);
}
