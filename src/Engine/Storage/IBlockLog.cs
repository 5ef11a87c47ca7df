namespace NexusFast.Engine.Storage;

/// <summary>
/// Append-only record log of committed blocks. <see cref="Append"/> returns only once the record is durable:
/// a block reported committed must survive a crash (DESIGN.md, data flow step 7).
/// </summary>
public interface IBlockLog : IDisposable
{
    /// <summary>Appends one record and waits until it is committed; returns its address for <see cref="Read"/>.</summary>
    long Append(ReadOnlySpan<byte> record);

    /// <summary>Reads the record at an address returned by <see cref="Append"/> or <see cref="Scan"/>.</summary>
    byte[] Read(long address);

    /// <summary>Every committed record in append order, for rebuilding indexes and replaying after recovery.</summary>
    IEnumerable<(long Address, byte[] Record)> Scan();
}
