using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Rpc.Logs;

/// <summary>
/// The address and topic criteria of eth_getLogs. Addresses: any of the list (empty = any). Topics: position i matches
/// when it is a wildcard (null) or the log's topic i is one of the alternatives; a log with fewer topics than there are
/// positions does not match (geth's filter rules). The Keccak digests for the logs-bloom test are computed once here.
/// </summary>
public sealed class LogFilter
{
    /// <summary>A log has at most four topics (LOG0..LOG4), so a filter has at most four positions.</summary>
    public const int TopicPositionsMax = 4;

    private readonly Address[] _addresses;
    private readonly Hash256[]?[] _topics;
    private readonly byte[][] _addressDigests;
    private readonly byte[][]?[] _topicDigests;

    /// <param name="addresses">Any of these emitters; empty for any.</param>
    /// <param name="topics">Per position: null (any) or the alternatives.</param>
    public LogFilter(Address[] addresses, Hash256[]?[] topics)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Length > TopicPositionsMax) throw new ArgumentException($"at most {TopicPositionsMax} topic positions", nameof(topics));
        _addresses = addresses;
        _topics = topics;
        _addressDigests = new byte[addresses.Length][];
        for (int i = 0; i < addresses.Length; i++) _addressDigests[i] = Digest(addresses[i].Bytes);
        _topicDigests = new byte[topics.Length][][];
        for (int p = 0; p < topics.Length; p++)
        {
            if (topics[p] is not { } alternatives) continue;
            var digests = new byte[alternatives.Length][];
            for (int i = 0; i < alternatives.Length; i++) digests[i] = Digest(alternatives[i].Bytes);
            _topicDigests[p] = digests;
        }
    }

    public static readonly LogFilter Any = new([], []);

    /// <summary>
    /// False when the bloom proves no log of the block can match (every address and topic of every log is in the bloom,
    /// so a missing one rules the block out); true means "maybe".
    /// </summary>
    public bool MayMatch(LogsBloom bloom)
    {
        ArgumentNullException.ThrowIfNull(bloom);
        if (_addressDigests.Length > 0 && !AnyIn(bloom, _addressDigests)) return false;
        foreach (byte[][]? alternatives in _topicDigests)
        {
            if (alternatives is not null && !AnyIn(bloom, alternatives)) return false;
        }
        return true;
    }

    public bool Matches(LogEntry log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (_addresses.Length > 0 && Array.IndexOf(_addresses, log.Address) < 0) return false;
        if (_topics.Length > log.Topics.Length) return false;
        for (int p = 0; p < _topics.Length; p++)
        {
            if (_topics[p] is { } alternatives && Array.IndexOf(alternatives, log.Topics[p]) < 0) return false;
        }
        return true;
    }

    private static bool AnyIn(LogsBloom bloom, byte[][] digests)
    {
        foreach (byte[] digest in digests)
        {
            if (bloom.ContainsKeccak(digest)) return true;
        }
        return false;
    }

    private static byte[] Digest(ReadOnlySpan<byte> value)
    {
        var digest = new byte[32];
        Keccak256.Hash(value, digest);
        return digest;
    }
}
