using NexusFast.Engine.Crypto;

namespace NexusFast.Engine.State;

/// <summary>Sizes fixed when a state store opens (TigerBeetle style: memory is decided at start-up).</summary>
public sealed class StateStoreOptions
{
    /// <summary>FASTER hash index, in bytes (a power of two; 64 bytes per bucket of 7 keys): 16 MiB fits ~1.8 M records.</summary>
    public long IndexSizeBytes { get; init; } = 1L << 24;

    /// <summary>In-memory part of FASTER's log, in bytes (a power of two); older records are read from disk.</summary>
    public long LogMemoryBytes { get; init; } = 1L << 30;

    /// <summary>FASTER log page, in bytes (a power of two).</summary>
    public long LogPageBytes { get; init; } = 1L << 22;

    /// <summary>
    /// Tree nodes kept in memory: 80 bytes each in one array that grows by doubling (so up to twice this many slots).
    /// A tree of n accounts has about 2.5 n nodes. Past this, changed nodes are written to FASTER and the storage
    /// trees and the account tree's deepest levels leave memory; blocks read them back from FASTER as they need them.
    /// </summary>
    public int NodeCacheCapacity { get; init; } = 4_000_000;

    /// <summary>
    /// The tree hasher; by default multi-lane SHA-256 on the CPU's widest path, spread over all cores
    /// (<see cref="ParallelNodeHasher.ForLanes"/>).
    /// </summary>
    public INodeHasher? Hasher { get; init; }

    internal void Validate()
    {
        Require(IsPowerOfTwo(IndexSizeBytes) && IndexSizeBytes >= 1 << 16, nameof(IndexSizeBytes), IndexSizeBytes, "a power of two of at least 64 KiB");
        Require(IsPowerOfTwo(LogPageBytes) && LogPageBytes >= 1 << 12, nameof(LogPageBytes), LogPageBytes, "a power of two of at least 4 KiB");
        Require(IsPowerOfTwo(LogMemoryBytes) && LogMemoryBytes >= 4 * LogPageBytes, nameof(LogMemoryBytes), LogMemoryBytes, "a power of two of at least 4 pages");
        Require(NodeCacheCapacity >= 1024, nameof(NodeCacheCapacity), NodeCacheCapacity, "at least 1024");
    }

    private static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;

    private static void Require(bool condition, string name, long value, string rule)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, value, $"StateStoreOptions.{name} must be {rule}");
    }
}
