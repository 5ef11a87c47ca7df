namespace NexusFast.Engine.Storage;

/// <summary>
/// Append-only record log of committed blocks. A record is durable once its append's commit has completed
/// (<see cref="PendingAppend.WaitCommitted"/>): a block reported committed must survive a crash (DESIGN.md, data flow
/// step 7).
/// </summary>
public interface IBlockLog : IDisposable
{
    /// <summary>
    /// Adds one record at the log's end and starts committing it, without waiting for the device: the caller may work
    /// while the write is in flight, then waits with <see cref="PendingAppend.WaitCommitted"/>. Appends are ordered by
    /// their calls; the caller reports nothing about the record until its commit has completed.
    /// </summary>
    PendingAppend BeginAppend(ReadOnlySpan<byte> record);

    /// <summary>Reads the record at an address returned by <see cref="BeginAppend"/> or <see cref="Scan"/>, once committed.</summary>
    byte[] Read(long address);

    /// <summary>Every committed record in append order, for rebuilding indexes and replaying after recovery.</summary>
    IEnumerable<(long Address, byte[] Record)> Scan();
}

public static class BlockLogExtensions
{
    /// <summary>Appends one record and waits until it is committed; returns its address for <see cref="IBlockLog.Read"/>.</summary>
    public static long Append(this IBlockLog log, ReadOnlySpan<byte> record)
    {
        PendingAppend pending = log.BeginAppend(record);
        pending.WaitCommitted();
        return pending.Address;
    }
}

/// <summary>
/// A record added to a block log whose commit may still be in flight: <see cref="Address"/> is where it will be read,
/// once <see cref="WaitCommitted"/> has returned.
/// </summary>
public readonly struct PendingAppend
{
    private readonly Task? _committed;

    /// <param name="address">The record's address in the log.</param>
    /// <param name="committed">Completes when the record is durable, faults when its commit failed; null when it
    /// already is durable.</param>
    public PendingAppend(long address, Task? committed)
    {
        Address = address;
        _committed = committed;
    }

    public long Address { get; }

    /// <summary>
    /// Blocks (without spinning: the other threads keep the cores) until the record is durable; throws the commit's
    /// error when it failed, and then the record must be treated as never appended.
    /// </summary>
    public void WaitCommitted() => _committed?.GetAwaiter().GetResult();
}
