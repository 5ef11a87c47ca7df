using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>
/// The transaction object of eth_call and eth_estimateGas (geth's TransactionArgs): every field optional, quantities
/// strict, "input" preferred over the older "data" (both accepted; if both are given they must agree).
/// Unknown fields are ignored, as geth ignores them.
/// </summary>
internal sealed class CallRequest
{
    public Address? From { get; private set; }

    public Address? To { get; private set; }

    public ulong? Gas { get; private set; }

    public UInt256? GasPrice { get; private set; }

    public UInt256? MaxFeePerGas { get; private set; }

    public UInt256? MaxPriorityFeePerGas { get; private set; }

    public UInt256 Value { get; private set; }

    public byte[] Data { get; private set; } = [];

    public ulong? Nonce { get; private set; }

    public ulong? ChainId { get; private set; }

    public AccessListEntry[] AccessList { get; private set; } = AccessListEntry.None;

    public static CallRequest? Read(ref RpcArgs args, int index, string name)
    {
        if (!args.TryGet(index, out Utf8JsonReader reader))
        {
            args.Missing(index, name);
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            args.Fail(index, name, $"expected a transaction object, got {JsonValues.Describe(reader.TokenType)}");
            return null;
        }
        var request = new CallRequest();
        byte[]? data = null, input = null;
        string? why = null;
        string field = string.Empty;
        while (why is null && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            field = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null) continue;
            switch (field)
            {
                case "from":
                    if (JsonValues.TryAddress(ref reader, out Address from, out why)) request.From = from;
                    break;
                case "to":
                    if (JsonValues.TryAddress(ref reader, out Address to, out why)) request.To = to;
                    break;
                case "gas":
                    if (JsonValues.TryQuantity(ref reader, out ulong gas, out why)) request.Gas = gas;
                    break;
                case "gasPrice":
                    if (JsonValues.TryQuantity(ref reader, out UInt256 gasPrice, out why)) request.GasPrice = gasPrice;
                    break;
                case "maxFeePerGas":
                    if (JsonValues.TryQuantity(ref reader, out UInt256 maxFee, out why)) request.MaxFeePerGas = maxFee;
                    break;
                case "maxPriorityFeePerGas":
                    if (JsonValues.TryQuantity(ref reader, out UInt256 tip, out why)) request.MaxPriorityFeePerGas = tip;
                    break;
                case "value":
                    if (JsonValues.TryQuantity(ref reader, out UInt256 value, out why)) request.Value = value;
                    break;
                case "nonce":
                    if (JsonValues.TryQuantity(ref reader, out ulong nonce, out why)) request.Nonce = nonce;
                    break;
                case "chainId":
                    if (JsonValues.TryQuantity(ref reader, out ulong chainId, out why)) request.ChainId = chainId;
                    break;
                case "type":
                    if (JsonValues.TryQuantity(ref reader, out ulong type, out why) && type > (ulong)TxType.DynamicFee)
                        why = $"transaction type {type} is not supported";
                    break;
                case "data":
                    JsonValues.TryData(ref reader, out data, out why);
                    break;
                case "input":
                    JsonValues.TryData(ref reader, out input, out why);
                    break;
                case "accessList":
                    if (TryReadAccessList(ref reader, out AccessListEntry[]? list, out why)) request.AccessList = list;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (why is not null)
        {
            args.Fail(index, name, $"{field}: {why}");
            return null;
        }
        if (data is not null && input is not null && !data.AsSpan().SequenceEqual(input))
        {
            args.Fail(index, name, "both \"data\" and \"input\" are set and not equal; pass the call data in \"input\"");
            return null;
        }
        request.Data = input ?? data ?? [];
        if (request.GasPrice is not null && (request.MaxFeePerGas is not null || request.MaxPriorityFeePerGas is not null))
        {
            args.Fail(index, name, "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
            return null;
        }
        if (request.MaxFeePerGas is { } cap && request.MaxPriorityFeePerGas is { } priority && priority > cap)
        {
            args.Fail(index, name, $"maxFeePerGas ({cap}) < maxPriorityFeePerGas ({priority})");
            return null;
        }
        return request;
    }

    private static bool TryReadAccessList(ref Utf8JsonReader reader, [NotNullWhen(true)] out AccessListEntry[]? list, [NotNullWhen(false)] out string? why)
    {
        list = null;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            why = $"expected an array, got {JsonValues.Describe(reader.TokenType)}";
            return false;
        }
        var entries = new List<AccessListEntry>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                why = $"entry {entries.Count}: expected an object";
                return false;
            }
            Address? address = null;
            var keys = new List<Hash256>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("address"u8))
                {
                    reader.Read();
                    if (!JsonValues.TryAddress(ref reader, out Address a, out why))
                    {
                        why = $"entry {entries.Count} address: {why}";
                        return false;
                    }
                    address = a;
                }
                else if (reader.ValueTextEquals("storageKeys"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        why = $"entry {entries.Count} storageKeys: expected an array";
                        return false;
                    }
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (!JsonValues.TryHash(ref reader, out Hash256 key, out why))
                        {
                            why = $"entry {entries.Count} storage key {keys.Count}: {why}";
                            return false;
                        }
                        keys.Add(key);
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (address is null)
            {
                why = $"entry {entries.Count}: missing address";
                return false;
            }
            entries.Add(new AccessListEntry(address.Value, keys.ToArray()));
        }
        list = entries.ToArray();
        why = null;
        return true;
    }
}
