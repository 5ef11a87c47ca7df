using FASTER.core;

namespace NexusFast.Engine.Storage;

/// <summary>
/// The block log on FASTER's FasterLog in a data directory. Each append is followed by a commit that waits for
/// the device write and the commit metadata, so after a crash (even SIGKILL mid-append) recovery yields every
/// record whose Append returned, and a torn tail is discarded by the per-entry checksum.
/// </summary>
public sealed class FasterBlockLog : IBlockLog
{
    private readonly IDevice _device;
    private readonly FasterLog _log;
    private readonly object _appendGate = new();

    public FasterBlockLog(string directory)
    {
        Directory.CreateDirectory(directory);
        _device = Devices.CreateLogDevice(Path.Combine(directory, "blocks.log"), preallocateFile: false, recoverDevice: true);
        var settings = new FasterLogSettings
        {
            LogDevice = _device,
            LogCommitDir = Path.Combine(directory, "commits"),
            PageSizeBits = 22,     // 4 MiB pages: a 10,000-transfer block is about 1.2 MiB
            MemorySizeBits = 26,   // 64 MiB of log kept in memory for reads of recent blocks
            SegmentSizeBits = 30,  // 1 GiB files
            LogChecksum = LogChecksumType.PerEntry,
            TryRecoverLatest = true,
            RemoveOutdatedCommits = true,
        };
        try
        {
            _log = new FasterLog(settings);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _device.Dispose();
            throw new InvalidDataException($"block log in '{directory}' cannot be opened: {e.Message}", e);
        }
    }

    public long Append(ReadOnlySpan<byte> record)
    {
        lock (_appendGate)
        {
            long address = _log.Enqueue(record);
            _log.Commit(spinWait: true);
            return address;
        }
    }

    public byte[] Read(long address)
    {
        (byte[] record, int length) = _log.ReadAsync(address).AsTask().GetAwaiter().GetResult();
        if (record is null) throw new InvalidDataException($"no committed block record at log address {address}");
        return record.Length == length ? record : record.AsSpan(0, length).ToArray();
    }

    public IEnumerable<(long Address, byte[] Record)> Scan()
    {
        using FasterLogScanIterator iterator = _log.Scan(_log.BeginAddress, _log.CommittedUntilAddress);
        while (iterator.GetNext(out byte[] record, out int length, out long address))
        {
            yield return (address, record.Length == length ? record : record.AsSpan(0, length).ToArray());
        }
    }

    public void Dispose()
    {
        _log.Dispose();
        _device.Dispose();
    }
}
