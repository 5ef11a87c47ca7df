using NexusFast.Engine.Ledger;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Chain;

/// <summary>How to open a chain: where its data lives, its consensus parameters, genesis and node policy.</summary>
public sealed record ChainOptions
{
    /// <summary>Directory for the state and the block log; null keeps everything in memory (lost at exit).</summary>
    public string? DataDirectory { get; init; }

    public ChainConfig Config { get; init; } = new();

    public GenesisSpec Genesis { get; init; } = new();

    /// <summary>The state is checkpointed after every block whose number is a multiple of this (at least 1).</summary>
    public ulong CheckpointIntervalBlocks { get; init; } = 64;

    /// <summary>Receives the priority fees of the blocks this node proposes.</summary>
    public Address Proposer { get; init; }

    public MempoolLimits Mempool { get; init; } = new();

    public StateStoreOptions? State { get; init; }
}
