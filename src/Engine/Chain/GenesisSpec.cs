using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Chain;

/// <summary>A funded account at genesis.</summary>
public readonly record struct GenesisAllocation(Address Address, UInt256 Balance);

/// <summary>The first block: its timestamp and the balances it creates. Every validator must use the same spec.</summary>
public sealed record GenesisSpec
{
    public ulong Timestamp { get; init; }

    public IReadOnlyList<GenesisAllocation> Allocations { get; init; } = [];
}
