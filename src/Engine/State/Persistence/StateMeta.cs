using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Persistence;

/// <summary>The metadata record as stored.</summary>
internal readonly record struct StateMeta(ulong Format, UInt256 BlockNumber, Hash256 StateRoot)
{
    /// <summary>"NXSTATE" and format version 1; a store with another value was written by an incompatible build.</summary>
    public const ulong CurrentFormat = 0x4E58_5354_4154_4501UL;
}
