using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Network;

/// <summary>Where a node stands; a peer that is behind gets committed blocks, one at the same height gets our votes again.</summary>
public sealed record StatusMessage(ulong Height, int Round);

/// <summary>A committed block with its certificate (block sync for a node that is behind or restarting).</summary>
public sealed record CommittedBlockMessage(ulong Height, Hash256 BlockHash, byte[] Block, CommitCertificate Certificate);

/// <summary>The kind byte in front of every message on a peer link.</summary>
public enum PeerMessageKind : byte
{
    Proposal = 1,
    Vote = 2,
    Status = 3,
    CommittedBlock = 4,

    /// <summary>One part of a message too large for one frame (<see cref="MessageParts"/>).</summary>
    Part = 5,
}
