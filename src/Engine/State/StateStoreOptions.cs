using NexusFast.Engine.Crypto;

namespace NexusFast.Engine.State;

/// <summary>Sizes fixed when a state store opens (TigerBeetle style: memory is decided at start-up).</summary>
public sealed class StateStoreOptions
{
    /// <summary>FASTER hash index, in bytes (a power of two; 64 bytes per bucket of 7 keys): 16 MiB fits ~1.8 M records.</summary>
    public long IndexSizeBytes { get; init; } = 1L << 24;

    /// <summary>
    /// In-memory part of the record store's log (accounts, storage, code), in bytes (a power of two); older records are
    /// read from disk. Pages are allocated as the log reaches them, so a small state uses less; a long-running node
    /// eventually fills all of it. 512 MiB holds 1,000,000 accounts (216 bytes each) with room for the copies that
    /// updates after a checkpoint append, so blocks read no account from disk.
    /// </summary>
    public long LogMemoryBytes { get; init; } = 1L << 29;

    /// <summary>FASTER log page, in bytes (a power of two).</summary>
    public long LogPageBytes { get; init; } = 1L << 22;

    /// <summary>
    /// The tree store's hash index (tree nodes and preimages, about three records per account), in bytes (a power of
    /// two); by default twice <see cref="IndexSizeBytes"/>: 32 MiB fits ~3.6 M records.
    /// </summary>
    public long? TreeIndexSizeBytes { get; init; }

    /// <summary>
    /// In-memory part of the tree store's log, in bytes (a power of two, at least 4 tree pages). Small on purpose: the
    /// node cache holds the tree, this log only buffers its writes at checkpoints on their way to disk.
    /// </summary>
    public long TreeLogMemoryBytes { get; init; } = 1L << 25;

    /// <summary>The tree store's log page, in bytes (a power of two).</summary>
    public long TreeLogPageBytes { get; init; } = 1L << 20;

    internal long EffectiveTreeIndexSizeBytes => TreeIndexSizeBytes ?? 2 * IndexSizeBytes;
    /// <summary>
    /// Tree nodes kept in memory: 80 bytes each, in chunks of 65,536 allocated as the tree grows. A tree of n accounts
    /// has about 2 n nodes, and a block adds its path copies (about 6 per changed account) until it is accepted. Past this, changed nodes are written to FASTER and the storage
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
        Require(IsPowerOfTwo(EffectiveTreeIndexSizeBytes) && EffectiveTreeIndexSizeBytes >= 1 << 16, nameof(TreeIndexSizeBytes), EffectiveTreeIndexSizeBytes, "a power of two of at least 64 KiB");
        Require(IsPowerOfTwo(TreeLogPageBytes) && TreeLogPageBytes >= 1 << 12, nameof(TreeLogPageBytes), TreeLogPageBytes, "a power of two of at least 4 KiB");
        Require(IsPowerOfTwo(TreeLogMemoryBytes) && TreeLogMemoryBytes >= 4 * TreeLogPageBytes, nameof(TreeLogMemoryBytes), TreeLogMemoryBytes, "a power of two of at least 4 tree pages");
        Require(NodeCacheCapacity >= 1024, nameof(NodeCacheCapacity), NodeCacheCapacity, "at least 1024");
    }

    private static bool IsPowerOfTwo(long value) => value > 0 && (value & (value - 1)) == 0;

    private static void Require(bool condition, string name, long value, string rule)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, value, $"StateStoreOptions.{name} must be {rule}");
    }
}
