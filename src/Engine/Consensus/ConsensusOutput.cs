using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>A decision of the consensus machine for its host to carry out, in the order given.</summary>
public abstract record ConsensusOutput;

/// <summary>Send a proposal (with its block) to every peer.</summary>
public sealed record BroadcastProposal(Proposal Proposal) : ConsensusOutput;

/// <summary>Send a vote to every peer.</summary>
public sealed record BroadcastVote(Vote Vote) : ConsensusOutput;

/// <summary>Call <see cref="ConsensusMachine.OnTimeout"/> with these arguments after <paramref name="DurationMs"/>.</summary>
public sealed record ScheduleTimeout(TimeoutKind Kind, ulong Height, int Round, long DurationMs) : ConsensusOutput;

/// <summary>This validator proposes: build a block on the last committed one and answer with <see cref="ConsensusMachine.OnBlockBuilt"/>.</summary>
public sealed record BuildBlock(ulong Height, int Round) : ConsensusOutput;

/// <summary>Check (execute) a proposed block and answer with <see cref="ConsensusMachine.OnBlockValidated"/>; this is valid(v) of the paper.</summary>
public sealed record ValidateBlock(ulong Height, Hash256 BlockHash, byte[] Block) : ConsensusOutput;

/// <summary>The block is decided: apply it and store it with its certificate. The machine has moved to the next height.</summary>
public sealed record CommitBlock(ulong Height, Hash256 BlockHash, byte[] Block, CommitCertificate Certificate) : ConsensusOutput;

/// <summary>A validator equivocated; the evidence has been verified and should go into a block.</summary>
public sealed record EvidenceDetected(DuplicateVoteEvidence Evidence) : ConsensusOutput;
