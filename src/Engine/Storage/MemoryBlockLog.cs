namespace NexusFast.Engine.Storage;

/// <summary>The block log of a node that keeps no data directory (devnet default): records live in memory only.</summary>
public sealed class MemoryBlockLog : IBlockLog
{
    private readonly List<byte[]> _records = new();
    private readonly object _gate = new();

    /// <summary>Nothing to wait for: the record is as durable as it will ever be once copied.</summary>
    public PendingAppend BeginAppend(ReadOnlySpan<byte> record)
    {
        lock (_gate)
        {
            _records.Add(record.ToArray());
            return new PendingAppend(_records.Count - 1, committed: null);
        }
    }

    public byte[] Read(long address)
    {
        lock (_gate)
        {
            if ((ulong)address >= (ulong)_records.Count) throw new ArgumentOutOfRangeException(nameof(address), address, "no block record at this address");
            return _records[(int)address];
        }
    }

    public IEnumerable<(long Address, byte[] Record)> Scan()
    {
        byte[][] snapshot;
        lock (_gate) snapshot = _records.ToArray();
        for (int i = 0; i < snapshot.Length; i++) yield return (i, snapshot[i]);
    }

    public void Dispose()
    {
    }
}
