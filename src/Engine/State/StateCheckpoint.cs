using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State;

/// <summary>The block a recovered state is at, and its state root (compare it with that block's header).</summary>
public readonly record struct StateCheckpoint(ulong BlockNumber, Hash256 StateRoot);
