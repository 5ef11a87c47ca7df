using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus.Host;

/// <summary>What committing a block did: why it was invalid (never, for a certified block), the state root after it, the evidence it carried.</summary>
public readonly record struct CommitResult(string? Invalid, Hash256 StateRoot, IReadOnlyList<DuplicateVoteEvidence> Evidence);

/// <summary>
/// The state machine that consensus replicates: build a block on the last committed one, check a proposed one (valid(v)
/// of the paper), apply a decided one. The simulation runs a small transfer application; the node puts the engine's
/// Blockchain behind the same calls (build on a throw-away state overlay, execute and compare roots on another, import
/// on commit).
/// </summary>
public interface IReplicatedApplication
{
    /// <summary>The height of the last committed block (0: genesis).</summary>
    ulong Height { get; }

    Hash256 StateRoot { get; }

    /// <summary>The hash consensus votes on for an encoded block.</summary>
    Hash256 ComputeHash(byte[] block);

    /// <summary>An encoded block at <see cref="Height"/> + 1 proposed by <paramref name="proposer"/>, carrying <paramref name="evidence"/>.</summary>
    byte[] BuildBlock(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence);

    /// <summary>Null when the block decodes, hashes to <paramref name="hash"/>, extends the chain and executes to its root; otherwise why not.</summary>
    string? Validate(Hash256 hash, byte[] block);

    /// <summary>
    /// Applies a decided block. <paramref name="certificate"/> is what decided it: an application that keeps blocks
    /// durably stores it with the block, so that the node can prove its tip after a restart (no later header carries it yet).
    /// </summary>
    CommitResult Commit(Hash256 hash, byte[] block, CommitCertificate certificate);

    /// <summary>Whether a committed block already carried evidence of this equivocation.</summary>
    bool IsCommitted(DuplicateVoteEvidence evidence);
}

/// <summary>One committed block as a node's block store keeps it, with the certificate that proves it.</summary>
public sealed record StoredBlock(ulong Height, Hash256 Hash, byte[] Block, CommitCertificate Certificate);

/// <summary>The node's committed blocks, 1..<see cref="Height"/>; <see cref="Append"/> is durable when it returns.</summary>
public interface ICommittedBlockStore
{
    ulong Height { get; }

    StoredBlock Get(ulong height);

    void Append(StoredBlock block);
}

/// <summary>Peer links as the host sees them: peers by number, messages as objects (the link encodes them).</summary>
public interface IPeerTransport
{
    IReadOnlyList<int> Peers { get; }

    void Send(int peer, object message);
}

/// <summary>Timers; callbacks must run on the host's one thread (the host is not thread-safe).</summary>
public interface IHostTimers
{
    void Schedule(long delayMs, Action callback);
}
