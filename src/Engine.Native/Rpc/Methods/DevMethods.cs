using System.Text.Json;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>
/// The development methods of anvil and hardhat that developers use most (CLIENTS.md), on a devnet only. State edits
/// are blocks of their own (see <see cref="BlockProducer.TryEditAccount"/>), so they survive restarts and rewinds.
/// </summary>
internal static class DevMethods
{
    /// <summary>Most blocks one evm_mine may produce.</summary>
    public const ulong MineBlocksMax = 10_000;

    public static RpcError? Snapshot(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        HexJson.WriteQuantity(result, call.Node.Producer.Snapshot());
        return null;
    }

    /// <summary>True when reverted; false for an unknown (or already used) snapshot id, as anvil and hardhat answer.</summary>
    public static RpcError? Revert(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        ulong id = args.UInt64(0, "snapshotId");
        if (args.Failed) return args.Error;
        if (!call.Node.Producer.TryRevert(id, out bool reverted, out string? error)) return RpcError.Server(error!);
        result.WriteBooleanValue(reverted);
        return null;
    }

    /// <summary>evm_mine [timestamp?] or [{timestamp?, blocks?}] (anvil's form): mines now; answers "0x0".</summary>
    public static RpcError? Mine(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        ulong? timestamp = null;
        ulong blocks = 1;
        if (args.TryGet(0, out Utf8JsonReader reader))
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool isTimestamp = reader.ValueTextEquals("timestamp"u8);
                    bool isBlocks = reader.ValueTextEquals("blocks"u8);
                    reader.Read();
                    if (!isTimestamp && !isBlocks || reader.TokenType == JsonTokenType.Null)
                    {
                        reader.Skip();
                        continue;
                    }
                    if (!JsonValues.TryQuantityOrInteger(ref reader, out ulong value, out string? why))
                    {
                        args.Fail(0, "options", $"{(isTimestamp ? "timestamp" : "blocks")}: {why}");
                        break;
                    }
                    if (isTimestamp) timestamp = value;
                    else blocks = value;
                }
            }
            else if (JsonValues.TryQuantityOrInteger(ref reader, out ulong value, out string? why))
            {
                timestamp = value;
            }
            else
            {
                args.Fail(0, "timestamp", why);
            }
        }
        if (blocks > MineBlocksMax) args.Fail(0, "options", $"blocks {blocks} is more than {MineBlocksMax}");
        if (args.Failed) return args.Error;
        for (ulong i = 0; i < blocks; i++)
        {
            if (!call.Node.Producer.TryMine(i == 0 ? timestamp : null, out _, out string? error)) return RpcError.Server(error!);
        }
        result.WriteStringValue("0x0"u8);
        return null;
    }

    public static RpcError? SetAutomine(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        if (!args.TryGet(0, out Utf8JsonReader reader))
        {
            args.Missing(0, "enabled");
            return args.Error;
        }
        if (!JsonValues.TryBool(ref reader, out bool enabled, out string? why)) args.Fail(0, "enabled", why);
        if (args.Failed) return args.Error;
        call.Node.Producer.Automine = enabled;
        result.WriteBooleanValue(true);
        return null;
    }

    /// <summary>evm_increaseTime [seconds]: the total offset in seconds, as a JSON number (anvil and hardhat).</summary>
    public static RpcError? IncreaseTime(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        ulong seconds = ReadNumber(ref args, 0, "seconds");
        if (args.Failed) return args.Error;
        result.WriteNumberValue(call.Node.Producer.IncreaseTime(seconds));
        return null;
    }

    public static RpcError? SetNextBlockTimestamp(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        ulong timestamp = ReadNumber(ref args, 0, "timestamp");
        if (args.Failed) return args.Error;
        if (!call.Node.Producer.TrySetNextBlockTimestamp(timestamp, out string? error))
        {
            args.Fail(0, "timestamp", error!);
            return args.Error;
        }
        result.WriteNullValue();
        return null;
    }

    public static RpcError? SetBalance(RpcCall call, ref RpcArgs args, Utf8JsonWriter result) => EditAccount(call, ref args, result, balance: true, hardhat: false);

    public static RpcError? SetBalanceHardhat(RpcCall call, ref RpcArgs args, Utf8JsonWriter result) => EditAccount(call, ref args, result, balance: true, hardhat: true);

    public static RpcError? SetNonce(RpcCall call, ref RpcArgs args, Utf8JsonWriter result) => EditAccount(call, ref args, result, balance: false, hardhat: false);

    public static RpcError? SetNonceHardhat(RpcCall call, ref RpcArgs args, Utf8JsonWriter result) => EditAccount(call, ref args, result, balance: false, hardhat: true);

    /// <summary>anvil answers null, hardhat true.</summary>
    private static RpcError? EditAccount(RpcCall call, ref RpcArgs args, Utf8JsonWriter result, bool balance, bool hardhat)
    {
        args.CheckMax(2);
        Address address = args.Address(0, "address");
        UInt256 value = balance ? args.Quantity(1, "balance") : default;
        ulong nonce = balance ? 0 : args.UInt64(1, "nonce");
        if (!balance && nonce == ulong.MaxValue) args.Fail(1, "nonce", "2^64-1 is reserved (EIP-2681)");
        if (args.Failed) return args.Error;
        bool done = balance
            ? call.Node.Producer.TryEditAccount(address, null, value, out string? error)
            : call.Node.Producer.TryEditAccount(address, nonce, null, out error);
        if (!done) return RpcError.Server(error!);
        if (hardhat) result.WriteBooleanValue(true);
        else result.WriteNullValue();
        return null;
    }

    private static ulong ReadNumber(ref RpcArgs args, int index, string name)
    {
        if (!args.TryGet(index, out Utf8JsonReader reader))
        {
            args.Missing(index, name);
            return 0;
        }
        if (!JsonValues.TryQuantityOrInteger(ref reader, out ulong value, out string? why)) args.Fail(index, name, why);
        return value;
    }
}
