using FASTER.core;

namespace NexusFast.Engine.Storage;

/// <summary>
/// The block log on FASTER's FasterLog in a data directory. Each append is followed by a commit that covers the device
/// write and the commit metadata, so after a crash (even SIGKILL mid-append) recovery yields every record whose
/// <see cref="PendingAppend.WaitCommitted"/> returned, and a torn tail is discarded by the per-entry checksum.
/// </summary>
/// <remarks>
/// A FasterLog entry must fit in one page, and a block's size follows its gas limit (50,000 transfers are about 6 MiB).
/// A record larger than <see cref="WholeRecordMax"/> is therefore stored as consecutive fragment entries: the first is
/// <see cref="FirstFragment"/>, the total length (4 bytes, little-endian) and the first chunk; each next one is
/// <see cref="NextFragment"/> and a chunk. Whole records are block records, RLP lists, whose first byte is at least
/// 0xc0, so the two markers cannot be mistaken for one. All fragments are enqueued before the one commit, so a crash
/// leaves either the whole record or none of it (uncommitted entries are past the recovered end).
/// </remarks>
public sealed class FasterBlockLog : IBlockLog
{
    /// <summary>Largest record stored as one entry; the page is 4 MiB.</summary>
    public const int WholeRecordMax = 3 << 20;

    /// <summary>FASTER's page: no entry is larger, and one that does not fit the rest of a page starts the next.</summary>
    public const int PageSize = 1 << PageSizeBits;

    private const int PageSizeBits = 22;

    /// <summary>FASTER's header before each entry's payload with per-entry checksums: length (4) and checksum (8).</summary>
    private const int EntryHeaderLength = 12;

    /// <summary>Below this, the rest of the tail's page is left empty rather than given a fragment of its own.</summary>
    private const int FragmentMin = 64 << 10;

    public const byte FirstFragment = 0x01;
    public const byte NextFragment = 0x02;

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
            PageSizeBits = PageSizeBits,  // 4 MiB pages: a 10,000-transfer block is about 1.6 MiB
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

    /// <summary>
    /// Enqueues the record (its fragments when large) and issues the commit. The commit completes once the device
    /// write and the commit metadata are done; the caller waits for it by blocking, not spinning (on two cores a spin
    /// would take the core that the state apply beside the append needs).
    /// </summary>
    public PendingAppend BeginAppend(ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty) throw new ArgumentException("a block record is never empty", nameof(record));
        lock (_appendGate)
        {
            long address = record.Length <= WholeRecordMax ? _log.Enqueue(record) : EnqueueFragments(record);
            ValueTask commit = _log.CommitAsync();
            return new PendingAppend(address, commit.IsCompletedSuccessfully ? null : commit.AsTask());
        }
    }

    public byte[] Read(long address)
    {
        (byte[] entry, int length) = _log.ReadAsync(address).AsTask().GetAwaiter().GetResult();
        if (entry is null || length == 0) throw new InvalidDataException($"no committed block record at log address {address}");
        if (entry[0] != FirstFragment) return entry.Length == length ? entry : entry.AsSpan(0, length).ToArray();
        // Rare (a block over 3 MiB): its fragments follow it, so scan them from here.
        using FasterLogScanIterator iterator = _log.Scan(address, _log.CommittedUntilAddress);
        if (!iterator.GetNext(out entry, out length, out long at) || at != address)
            throw new InvalidDataException($"no committed block record at log address {address}");
        return Complete(iterator, entry, length, address);
    }

    public IEnumerable<(long Address, byte[] Record)> Scan()
    {
        using FasterLogScanIterator iterator = _log.Scan(_log.BeginAddress, _log.CommittedUntilAddress);
        while (iterator.GetNext(out byte[] entry, out int length, out long address))
        {
            yield return (address, Complete(iterator, entry, length, address));
        }
    }

    /// <summary>
    /// Each fragment is written straight into the log's page (<see cref="Fragment"/>): the record is copied once. The
    /// first fragment fills the rest of the tail's page and each next one a whole page: an entry that does not fit the
    /// rest of its page would start the next and leave a gap that the device writes like data (fixed 2 MiB fragments
    /// left half of every 4 MiB page empty, doubling the bytes written for a 50,000-transfer block).
    /// </summary>
    private unsafe long EnqueueFragments(ReadOnlySpan<byte> record)
    {
        // Entries are 4-byte aligned, so the rest of a page is too, and a payload of exactly that rest minus the
        // header fills it.
        int payload = PageSize - (int)(_log.TailAddress & (PageSize - 1)) - EntryHeaderLength;
        if (payload - FirstHeaderLength < FragmentMin) payload = PageSize - EntryHeaderLength;
        fixed (byte* start = record)
        {
            int chunk = Math.Min(payload - FirstHeaderLength, record.Length);
            long first = _log.Enqueue(new Fragment(FirstFragment, record.Length, start, chunk));
            for (int offset = chunk; offset < record.Length; offset += chunk)
            {
                chunk = Math.Min(PageSize - EntryHeaderLength - NextHeaderLength, record.Length - offset);
                _log.Enqueue(new Fragment(NextFragment, record.Length, start + offset, chunk));
            }
            return first;
        }
    }

    private const int FirstHeaderLength = 1 + 4;
    private const int NextHeaderLength = 1;

    /// <summary>Where the next entry goes (tests check that fragments leave no gaps).</summary>
    internal long TailAddress => _log.TailAddress;

    /// <summary>
    /// One fragment entry as FASTER serializes it into its page: the marker, the record's total length after
    /// <see cref="FirstFragment"/>, then the chunk. The chunk pointer is into the caller's pinned record and only
    /// read inside <see cref="FasterLog.Enqueue{T}(T)"/>.
    /// </summary>
    private readonly unsafe struct Fragment(byte marker, int total, byte* chunk, int chunkLength) : ILogEnqueueEntry
    {
        private int HeaderLength => marker == FirstFragment ? FirstHeaderLength : NextHeaderLength;

        public int SerializedLength => HeaderLength + chunkLength;

        public void SerializeTo(Span<byte> destination)
        {
            destination[0] = marker;
            if (marker == FirstFragment) System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(destination[1..], total);
            new ReadOnlySpan<byte>(chunk, chunkLength).CopyTo(destination[HeaderLength..]);
        }
    }

    /// <summary>The record that starts with this entry: the entry itself, or its fragments joined.</summary>
    private static byte[] Complete(FasterLogScanIterator iterator, byte[] entry, int length, long address)
    {
        if (length == 0) throw new InvalidDataException($"empty entry at log address {address}");
        if (entry[0] == NextFragment) throw new InvalidDataException($"log address {address} is inside a fragmented record, not at its start");
        if (entry[0] != FirstFragment) return entry.Length == length ? entry : entry.AsSpan(0, length).ToArray();
        if (length < 5) throw new InvalidDataException($"truncated fragment header at log address {address}");
        int total = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(entry.AsSpan(1));
        if (total <= WholeRecordMax) throw new InvalidDataException($"fragmented record at log address {address} claims {total} bytes, small enough to be whole");
        var record = new byte[total];
        int filled = Append(record, 0, entry.AsSpan(5, length - 5), address);
        while (filled < total)
        {
            if (!iterator.GetNext(out byte[] next, out int nextLength, out long nextAddress) || nextLength < 1 || next[0] != NextFragment)
                throw new InvalidDataException($"fragmented record at log address {address} ends after {filled} of {total} bytes");
            filled = Append(record, filled, next.AsSpan(1, nextLength - 1), nextAddress);
        }
        return record;
    }

    private static int Append(byte[] record, int filled, ReadOnlySpan<byte> chunk, long address)
    {
        if (chunk.Length > record.Length - filled)
            throw new InvalidDataException($"fragment at log address {address} overruns its record ({filled + chunk.Length} > {record.Length} bytes)");
        chunk.CopyTo(record.AsSpan(filled));
        return filled + chunk.Length;
    }

    public void Dispose()
    {
        _log.Dispose();
        _device.Dispose();
    }
}
