using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc.Json;
using NexusFast.Native.Rpc.Logs;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>
/// eth_getLogs [{fromBlock, toBlock | blockHash, address, topics}]: geth's filter semantics, bounded by
/// <see cref="RpcOptions.LogsBlockRangeMax"/> blocks and <see cref="RpcOptions.LogsResultsMax"/> results.
/// </summary>
internal static class LogMethods
{
    public static RpcError? GetLogs(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        if (!args.TryGet(0, out Utf8JsonReader reader))
        {
            args.Missing(0, "filter");
            return args.Error;
        }
        if (!TryReadFilter(ref reader, out FilterRequest request, out string? why)) args.Fail(0, "filter", why);
        if (args.Failed) return args.Error;

        Blockchain chain = call.Chain;
        ulong head = chain.Head.Number;
        ulong from, to;
        if (request.BlockHash is { } blockHash)
        {
            if (request.From is not null || request.To is not null)
            {
                args.Fail(0, "filter", "cannot specify both blockHash and fromBlock/toBlock, choose one or the other");
                return args.Error;
            }
            if (!chain.Blocks.TryGetNumber(blockHash, out from)) return RpcError.Server($"unknown block {blockHash}");
            to = from;
        }
        else
        {
            from = Resolve(request.From ?? BlockSelector.Latest, head);
            to = Resolve(request.To ?? BlockSelector.Latest, head);
            if (from > to)
            {
                args.Fail(0, "filter", $"fromBlock {from} is after toBlock {to}");
                return args.Error;
            }
            if (from > head)
            {
                result.WriteStartArray();
                result.WriteEndArray();
                return null;
            }
            to = Math.Min(to, head);
        }
        if (to - from >= (ulong)call.Options.LogsBlockRangeMax)
            return new RpcError(RpcError.LimitExceeded, $"query exceeds max block range {call.Options.LogsBlockRangeMax} (blocks {from} to {to})");

        var matches = new List<LogMatch>();
        LogQueryOutcome outcome = LogQuery.Run(chain.Blocks, request.Filter, from, to, call.Options.LogsResultsMax, matches, call.Cancellation);
        if (outcome == LogQueryOutcome.TooManyResults)
            return new RpcError(RpcError.LimitExceeded, $"query returned more than {call.Options.LogsResultsMax} results; narrow the block range or the filter");
        if (outcome == LogQueryOutcome.Cancelled) return new RpcError(RpcError.Timeout, "request timed out");

        result.WriteStartArray();
        foreach (LogMatch match in matches)
        {
            ChainJson.WriteLog(result, match.Log, match.Block, match.TransactionHash, match.TransactionIndex, match.LogIndex);
        }
        result.WriteEndArray();
        return null;
    }

    private static ulong Resolve(BlockSelector selector, ulong head) => selector.Tag switch
    {
        BlockTag.Earliest => 0,
        BlockTag.Number => selector.Number,
        _ => head,
    };

    internal readonly record struct FilterRequest(BlockSelector? From, BlockSelector? To, Hash256? BlockHash, LogFilter Filter);

    /// <summary>Reads a filter object; block numbers are quantities or tags (a hash belongs in "blockHash").</summary>
    internal static bool TryReadFilter(ref Utf8JsonReader reader, out FilterRequest request, [NotNullWhen(false)] out string? why)
    {
        request = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            why = $"expected a filter object, got {JsonValues.Describe(reader.TokenType)}";
            return false;
        }
        BlockSelector? from = null, to = null;
        Hash256? blockHash = null;
        var addresses = new List<Address>();
        var topics = new List<Hash256[]?>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("fromBlock"u8) || reader.ValueTextEquals("toBlock"u8))
            {
                bool isFrom = reader.ValueTextEquals("fromBlock"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (!JsonValues.TryBlock(ref reader, out BlockSelector selector, out why) || selector.Tag == BlockTag.Hash)
                {
                    why = $"{(isFrom ? "fromBlock" : "toBlock")}: {why ?? "a block hash goes in \"blockHash\""}";
                    return false;
                }
                if (isFrom) from = selector;
                else to = selector;
            }
            else if (reader.ValueTextEquals("blockHash"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (!JsonValues.TryHash(ref reader, out Hash256 hash, out why))
                {
                    why = $"blockHash: {why}";
                    return false;
                }
                blockHash = hash;
            }
            else if (reader.ValueTextEquals("address"u8))
            {
                reader.Read();
                if (!TryReadAddresses(ref reader, addresses, out why)) return false;
            }
            else if (reader.ValueTextEquals("topics"u8))
            {
                reader.Read();
                if (!TryReadTopics(ref reader, topics, out why)) return false;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        request = new FilterRequest(from, to, blockHash, new LogFilter(addresses.ToArray(), topics.ToArray()));
        why = null;
        return true;
    }

    private static bool TryReadAddresses(ref Utf8JsonReader reader, List<Address> addresses, [NotNullWhen(false)] out string? why)
    {
        why = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String:
                if (!JsonValues.TryAddress(ref reader, out Address single, out why))
                {
                    why = $"address: {why}";
                    return false;
                }
                addresses.Add(single);
                return true;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!JsonValues.TryAddress(ref reader, out Address address, out why))
                    {
                        why = $"address {addresses.Count}: {why}";
                        return false;
                    }
                    addresses.Add(address);
                }
                return true;
            default:
                why = $"address: expected an address or an array of addresses, got {JsonValues.Describe(reader.TokenType)}";
                return false;
        }
    }

    /// <summary>
    /// topics: [position...], each null (any), a topic, or an array of alternatives; a null inside an array makes the
    /// whole position a wildcard (geth). Trailing wildcard positions still require the log to have that many topics.
    /// </summary>
    private static bool TryReadTopics(ref Utf8JsonReader reader, List<Hash256[]?> topics, [NotNullWhen(false)] out string? why)
    {
        why = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            why = $"topics: expected an array, got {JsonValues.Describe(reader.TokenType)}";
            return false;
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (topics.Count == LogFilter.TopicPositionsMax)
            {
                why = $"topics: more than {LogFilter.TopicPositionsMax} positions (a log has at most four topics)";
                return false;
            }
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    topics.Add(null);
                    break;
                case JsonTokenType.String:
                    if (!JsonValues.TryHash(ref reader, out Hash256 topic, out why))
                    {
                        why = $"topics[{topics.Count}]: {why}";
                        return false;
                    }
                    topics.Add([topic]);
                    break;
                case JsonTokenType.StartArray:
                    var alternatives = new List<Hash256>();
                    bool wildcard = false;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.Null)
                        {
                            wildcard = true;
                            continue;
                        }
                        if (!JsonValues.TryHash(ref reader, out Hash256 alternative, out why))
                        {
                            why = $"topics[{topics.Count}][{alternatives.Count}]: {why}";
                            return false;
                        }
                        alternatives.Add(alternative);
                    }
                    topics.Add(wildcard || alternatives.Count == 0 ? null : alternatives.ToArray());
                    break;
                default:
                    why = $"topics[{topics.Count}]: expected a topic, null or an array, got {JsonValues.Describe(reader.TokenType)}";
                    return false;
            }
        }
        return true;
    }
}
