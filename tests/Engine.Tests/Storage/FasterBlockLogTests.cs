using NexusFast.Engine.Storage;

namespace NexusFast.Engine.Tests.Storage;

public sealed class FasterBlockLogTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-blocklog-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Records_larger_than_a_page_are_stored_in_fragments_and_read_back_whole_also_after_reopening()
    {
        // A block record is an RLP list (first byte >= 0xc0); sizes around the whole/fragment boundary and several pages.
        byte[][] records = [Record(200, 1), Record(FasterBlockLog.WholeRecordMax, 2), Record(FasterBlockLog.WholeRecordMax + 1, 3),
            Record(9 * 1024 * 1024 + 17, 4), Record(5000, 5), Record(2 * FasterBlockLog.PageSize + 5, 6)];
        var addresses = new long[records.Length];
        using (var log = new FasterBlockLog(_directory))
        {
            for (int i = 0; i < records.Length; i++) addresses[i] = log.Append(records[i]);
            for (int i = 0; i < records.Length; i++) Assert.Equal(records[i], log.Read(addresses[i]));
        }
        using (var reopened = new FasterBlockLog(_directory))
        {
            var scanned = reopened.Scan().ToList();
            Assert.Equal(addresses, scanned.Select(s => s.Address));
            for (int i = 0; i < records.Length; i++)
            {
                Assert.Equal(records[i], scanned[i].Record);
                Assert.Equal(records[i], reopened.Read(addresses[i]));
            }
            Assert.Equal(Record(100, 7), reopened.Read(reopened.Append(Record(100, 7))));
        }
    }

    [Fact]
    public void A_record_given_as_the_start_of_a_larger_reused_buffer_is_stored_without_the_rest_whole_or_in_fragments()
    {
        // As BlockStore does: one buffer, each record written over the start of the last, the tail left stale.
        var buffer = new byte[3 * FasterBlockLog.PageSize];
        new Random(11).NextBytes(buffer);
        int[] lengths = [3 * FasterBlockLog.PageSize - 9, 4096, FasterBlockLog.WholeRecordMax + 1, 70];
        var records = new byte[lengths.Length][];
        var addresses = new long[lengths.Length];
        using (var log = new FasterBlockLog(_directory))
        {
            for (int i = 0; i < lengths.Length; i++)
            {
                records[i] = Record(lengths[i], 20 + i);
                records[i].CopyTo(buffer, 0);
                addresses[i] = log.Append(buffer.AsSpan(0, lengths[i]));
            }
            for (int i = 0; i < lengths.Length; i++) Assert.Equal(records[i], log.Read(addresses[i]));
        }
        using var reopened = new FasterBlockLog(_directory);
        Assert.Equal(records, reopened.Scan().Select(s => s.Record));
    }

    [Fact]
    public void An_appended_record_is_committed_once_its_wait_returns_and_reopening_finds_it()
    {
        using (var log = new FasterBlockLog(_directory))
        {
            PendingAppend pending = log.BeginAppend(Record(FasterBlockLog.WholeRecordMax + 5, 30));
            pending.WaitCommitted();
            Assert.Equal(Record(FasterBlockLog.WholeRecordMax + 5, 30), log.Read(pending.Address));
        }
        using var reopened = new FasterBlockLog(_directory);
        Assert.Equal([Record(FasterBlockLog.WholeRecordMax + 5, 30)], reopened.Scan().Select(s => s.Record));
    }

    [Theory]
    [InlineData(0)]        // the tail's page has most of its room left: the first fragment fills it
    [InlineData(40_000)]   // too little room left for a fragment: the record starts on the next page
    public void Fragments_fill_the_pages_they_use_so_a_large_record_takes_little_more_log_than_its_length(int roomLeft)
    {
        using var log = new FasterBlockLog(_directory);
        log.Append(Record(200, 40));
        if (roomLeft > 0)
        {
            log.Append(Record(FasterBlockLog.WholeRecordMax, 44));
            int rest = FasterBlockLog.PageSize - (int)(log.TailAddress & (FasterBlockLog.PageSize - 1));
            log.Append(Record((rest - 12 - roomLeft) & ~3, 45));   // 12: FASTER's entry header
        }
        long tail = log.TailAddress;
        long gap = roomLeft > 0 ? FasterBlockLog.PageSize - (tail & (FasterBlockLog.PageSize - 1)) : 0;
        Assert.True(roomLeft == 0 || gap == roomLeft, $"{gap} bytes left in the page, not {roomLeft}");

        byte[] record = Record(9 * 1024 * 1024 + 3, 41);
        long address = log.Append(record);

        // Each fragment costs FASTER's 12-byte header and our marker; fixed 2 MiB fragments took five 4 MiB pages.
        Assert.InRange(log.TailAddress - tail, record.Length, gap + record.Length + 4 * 32);
        Assert.Equal(record, log.Read(address));
        Assert.Equal(Record(100, 42), log.Read(log.Append(Record(100, 42))));
    }

    [Fact]
    public void A_record_just_over_the_whole_entry_limit_goes_in_fragments_that_read_back_whole()
    {
        byte[] record = Record(FasterBlockLog.WholeRecordMax + 1, 43);
        using (var log = new FasterBlockLog(_directory))
        {
            Assert.Equal(record, log.Read(log.Append(record)));
            Assert.Equal(record, log.Read(log.Append(record)));
        }
        using var reopened = new FasterBlockLog(_directory);
        Assert.Equal([record, record], reopened.Scan().Select(s => s.Record));
    }

    [Fact]
    public void An_empty_record_is_refused()
    {
        using var log = new FasterBlockLog(_directory);
        Assert.Throws<ArgumentException>(() => log.BeginAppend([]));
    }

    private static byte[] Record(int length, int seed)
    {
        var record = new byte[length];
        new Random(seed).NextBytes(record);
        record[0] = 0xf9;
        return record;
    }
}
