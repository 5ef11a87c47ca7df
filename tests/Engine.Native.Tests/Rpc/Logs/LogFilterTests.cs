using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc.Logs;

namespace NexusFast.Native.Tests.Rpc.Logs;

/// <summary>eth_getLogs filter semantics on hand-made logs (the VM that emits real ones does not exist yet).</summary>
public sealed class LogFilterTests
{
    internal static readonly Address A = Address.Parse("0x00000000000000000000000000000000000000a1");
    internal static readonly Address B = Address.Parse("0x00000000000000000000000000000000000000b2");
    internal static readonly Hash256 T1 = Hash256.Parse("0x" + new string('1', 64));
    internal static readonly Hash256 T2 = Hash256.Parse("0x" + new string('2', 64));
    internal static readonly Hash256 T3 = Hash256.Parse("0x" + new string('3', 64));

    private static LogEntry Log(Address address, params Hash256[] topics) => new(address, topics, [0x01]);

    [Fact]
    public void An_empty_filter_matches_every_log() =>
        Assert.True(LogFilter.Any.Matches(Log(A)) && LogFilter.Any.Matches(Log(B, T1, T2)));

    [Fact]
    public void Addresses_are_alternatives()
    {
        var filter = new LogFilter([A, B], []);
        Assert.True(filter.Matches(Log(A, T1)));
        Assert.True(filter.Matches(Log(B)));
        Assert.False(filter.Matches(Log(Address.Parse("0x00000000000000000000000000000000000000c3"), T1)));
    }

    [Fact]
    public void Topic_positions_are_anded_alternatives_within_a_position_are_ored_and_null_is_a_wildcard()
    {
        var filter = new LogFilter([], [null, [T2, T3]]);
        Assert.True(filter.Matches(Log(A, T1, T2)));
        Assert.True(filter.Matches(Log(A, T3, T3, T1)));
        Assert.False(filter.Matches(Log(A, T2, T1)));
        // A log with fewer topics than the filter has positions never matches, even if the missing ones are wildcards.
        Assert.False(filter.Matches(Log(A, T2)));
        Assert.False(new LogFilter([], [T1 is var _ ? [T1] : null, null]).Matches(Log(A, T1)));
        Assert.True(new LogFilter([], [[T1]]).Matches(Log(A, T1, T2)));
    }

    [Fact]
    public void The_bloom_rules_out_blocks_without_the_address_or_a_topic_and_never_a_matching_one()
    {
        LogsBloom bloom = LogsBloom.FromLogs([Log(A, T1, T2)]);
        Assert.True(new LogFilter([A], [[T1], [T2]]).MayMatch(bloom));
        Assert.True(new LogFilter([A, B], [null, [T3, T2]]).MayMatch(bloom));
        Assert.False(new LogFilter([B], []).MayMatch(bloom));
        Assert.False(new LogFilter([], [[T3]]).MayMatch(bloom));
        Assert.True(LogFilter.Any.MayMatch(LogsBloom.Empty));
        Assert.False(new LogFilter([A], []).MayMatch(LogsBloom.Empty));
    }

    [Fact]
    public void More_than_four_topic_positions_are_refused() =>
        Assert.Throws<ArgumentException>(() => new LogFilter([], [null, null, null, null, null]));
}
