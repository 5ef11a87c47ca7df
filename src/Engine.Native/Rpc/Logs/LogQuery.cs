using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Storage;

namespace NexusFast.Native.Rpc.Logs;

/// <summary>One log found by a query, with what its JSON needs.</summary>
public readonly record struct LogMatch(Block Block, LogEntry Log, Hash256 TransactionHash, int TransactionIndex, int LogIndex);

/// <summary>How a log query ended.</summary>
public enum LogQueryOutcome
{
    Complete,
    TooManyResults,
    Cancelled,
}

/// <summary>
/// Runs a <see cref="LogFilter"/> over a range of stored blocks. A block whose header bloom rules the filter out is
/// skipped without looking at its receipts.
/// </summary>
/// <remarks>
/// The block store returns whole records (header, transactions, receipts), so a skipped block still costs one record
/// read for blocks outside its recent-block cache; a header-only index would make the bloom test skip that too.
/// </remarks>
public static class LogQuery
{
    /// <summary>Appends matches from blocks <paramref name="from"/>..<paramref name="to"/> (inclusive, both stored).</summary>
    public static LogQueryOutcome Run(BlockStore blocks, LogFilter filter, ulong from, ulong to, int resultsMax,
        List<LogMatch> results, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(results);
        for (ulong number = from; number <= to; number++)
        {
            if ((number & 63) == 0 && cancellationToken.IsCancellationRequested) return LogQueryOutcome.Cancelled;
            if (!blocks.TryGetBlock(number, out Block? block, out Receipt[] receipts)) break;
            if (!filter.MayMatch(block.Header.LogsBloom)) continue;
            int logIndex = 0;
            for (int r = 0; r < receipts.Length; r++)
            {
                LogEntry[] logs = receipts[r].Logs;
                for (int l = 0; l < logs.Length; l++, logIndex++)
                {
                    if (!filter.Matches(logs[l])) continue;
                    if (results.Count >= resultsMax) return LogQueryOutcome.TooManyResults;
                    results.Add(new LogMatch(block, logs[l], receipts[r].TransactionHash, r, logIndex));
                }
            }
            if (number == ulong.MaxValue) break;
        }
        return LogQueryOutcome.Complete;
    }
}
