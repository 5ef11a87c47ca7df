using System.Globalization;
using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>Fee suggestions (EIP-1559): the next base fee, the oracle's tip, and the fee history of stored blocks.</summary>
internal static class FeeMethods
{
    /// <summary>A legacy gas price that gets into the next block: its base fee plus the suggested tip (geth).</summary>
    public static RpcError? GasPrice(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        HexJson.WriteQuantity(result, call.Chain.NextBaseFee + call.Node.Fees.SuggestTip(call.Chain));
        return null;
    }

    public static RpcError? MaxPriorityFeePerGas(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        HexJson.WriteQuantity(result, call.Node.Fees.SuggestTip(call.Chain));
        return null;
    }

    /// <summary>
    /// eth_feeHistory [blockCount, newestBlock, rewardPercentiles?] as geth answers it: base fees of the blocks plus the
    /// next block's, each block's gas used / gas limit, and per block the effective tip at each gas-weighted percentile.
    /// </summary>
    public static RpcError? FeeHistory(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(3);
        ulong blockCount = 0;
        if (args.TryGet(0, out Utf8JsonReader countReader))
        {
            if (!JsonValues.TryQuantityOrInteger(ref countReader, out blockCount, out string? why)) args.Fail(0, "blockCount", why);
        }
        else
        {
            args.Missing(0, "blockCount");
        }
        BlockSelector newest = args.RequiredBlock(1, "newestBlock");
        double[] percentiles = ReadPercentiles(call, ref args);
        if (args.Failed) return args.Error;

        Blockchain chain = call.Chain;
        Block head = chain.Head;
        ulong newestNumber;
        switch (newest.Tag)
        {
            case BlockTag.Earliest:
                newestNumber = 0;
                break;
            case BlockTag.Number:
                newestNumber = newest.Number;
                break;
            case BlockTag.Hash:
                if (!chain.Blocks.TryGetNumber(newest.Hash, out newestNumber)) return RpcError.Server($"header for hash {newest.Hash} not found");
                break;
            default:
                newestNumber = head.Number;
                break;
        }
        if (newestNumber > head.Number) return RpcError.Server($"request beyond head block: requested {newestNumber}, head {head.Number}");

        ulong count = Math.Min(Math.Min(blockCount, (ulong)call.Options.FeeHistoryBlocksMax), newestNumber + 1);
        ulong oldest = newestNumber + 1 - count;
        var blocks = new List<(Block Block, Receipt[] Receipts)>((int)count);
        for (ulong n = oldest; n <= newestNumber && count > 0; n++)
        {
            if (!chain.Blocks.TryGetBlock(n, out Block? block, out Receipt[] receipts)) return RpcError.Server($"block {n} is missing from the block store");
            blocks.Add((block, receipts));
        }

        result.WriteStartObject();
        HexJson.WriteQuantity(result, "oldestBlock"u8, count == 0 ? 0 : oldest);
        result.WritePropertyName("baseFeePerGas"u8);
        result.WriteStartArray();
        foreach ((Block block, _) in blocks) HexJson.WriteQuantity(result, block.Header.BaseFeePerGas);
        if (blocks.Count > 0)
        {
            BlockHeader last = blocks[^1].Block.Header;
            HexJson.WriteQuantity(result, FeeMarket.NextBaseFee(chain.Config, last.GasUsed, last.GasLimit, last.BaseFeePerGas));
        }
        result.WriteEndArray();
        result.WritePropertyName("gasUsedRatio"u8);
        result.WriteStartArray();
        foreach ((Block block, _) in blocks)
        {
            BlockHeader header = block.Header;
            result.WriteNumberValue(header.GasLimit == 0 ? 0 : (double)header.GasUsed / header.GasLimit);
        }
        result.WriteEndArray();
        if (percentiles.Length > 0)
        {
            result.WritePropertyName("reward"u8);
            result.WriteStartArray();
            foreach ((Block block, Receipt[] receipts) in blocks)
            {
                result.WriteStartArray();
                foreach (UInt256 reward in Rewards(block, receipts, percentiles)) HexJson.WriteQuantity(result, reward);
                result.WriteEndArray();
            }
            result.WriteEndArray();
        }
        result.WriteEndObject();
        return null;
    }

    /// <summary>geth's rule: sort the block's transactions by effective tip, walk them by gas used to each percentile.</summary>
    internal static UInt256[] Rewards(Block block, Receipt[] receipts, double[] percentiles)
    {
        var rewards = new UInt256[percentiles.Length];
        Transaction[] txs = block.Transactions;
        if (txs.Length == 0) return rewards;
        var ordered = new (UInt256 Tip, int Position, ulong GasUsed)[txs.Length];
        for (int i = 0; i < txs.Length; i++) ordered[i] = (txs[i].EffectiveTip(block.Header.BaseFeePerGas), i, receipts[i].GasUsed);
        // Ties keep block order, as geth's stable sort does.
        Array.Sort(ordered, static (a, b) =>
        {
            int byTip = UInt256.Compare(a.Tip, b.Tip);
            return byTip != 0 ? byTip : a.Position.CompareTo(b.Position);
        });
        int index = 0;
        ulong sumGasUsed = ordered[0].GasUsed;
        for (int p = 0; p < percentiles.Length; p++)
        {
            ulong threshold = (ulong)(block.Header.GasUsed * percentiles[p] / 100);
            while (sumGasUsed < threshold && index < ordered.Length - 1)
            {
                index++;
                sumGasUsed += ordered[index].GasUsed;
            }
            rewards[p] = ordered[index].Tip;
        }
        return rewards;
    }

    private static double[] ReadPercentiles(RpcCall call, ref RpcArgs args)
    {
        if (!args.TryGet(2, out Utf8JsonReader reader)) return [];
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            args.Fail(2, "rewardPercentiles", $"expected an array of numbers, got {JsonValues.Describe(reader.TokenType)}");
            return [];
        }
        var values = new List<double>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (values.Count == call.Options.FeeHistoryPercentilesMax)
            {
                args.Fail(2, "rewardPercentiles", $"more than {call.Options.FeeHistoryPercentilesMax} percentiles");
                return [];
            }
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double value))
            {
                args.Fail(2, "rewardPercentiles", $"percentile {values.Count} is {JsonValues.Describe(reader.TokenType)}, not a number");
                return [];
            }
            if (value is < 0 or > 100 || double.IsNaN(value))
            {
                args.Fail(2, "rewardPercentiles", string.Create(CultureInfo.InvariantCulture, $"invalid reward percentile #{values.Count}: {value} is outside 0..100"));
                return [];
            }
            if (values.Count > 0 && value < values[^1])
            {
                args.Fail(2, "rewardPercentiles", string.Create(CultureInfo.InvariantCulture,
                    $"invalid reward percentile: #{values.Count - 1}:{values[^1]} > #{values.Count}:{value} (they must not decrease)"));
                return [];
            }
            values.Add(value);
        }
        return values.ToArray();
    }
}
