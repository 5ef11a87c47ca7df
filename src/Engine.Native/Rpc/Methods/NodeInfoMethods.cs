using System.Globalization;
using System.Text.Json;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Rpc.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>Identity and status: client version, chain id, head number, accounts.</summary>
internal static class NodeInfoMethods
{
    public static RpcError? ClientVersion(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        result.WriteStringValue(call.Node.ClientVersion);
        return null;
    }

    /// <summary>Keccak-256 of the given data (web3_sha3).</summary>
    public static RpcError? Sha3(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        args.CheckMax(1);
        byte[] data = args.Data(0, "data");
        if (args.Failed) return args.Error;
        HexJson.WriteHash(result, Keccak256.Compute(data));
        return null;
    }

    /// <summary>The network id as a decimal string (net_version predates hex quantities); here the chain id.</summary>
    public static RpcError? NetVersion(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        result.WriteStringValue(call.Chain.Config.ChainId.ToString(CultureInfo.InvariantCulture));
        return null;
    }

    public static RpcError? NetListening(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        result.WriteBooleanValue(true);
        return null;
    }

    /// <summary>No peer-to-peer network yet: a single validator has no peers.</summary>
    public static RpcError? NetPeerCount(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        HexJson.WriteQuantity(result, (ulong)(call.Node.PeerCount?.Invoke() ?? 0));
        return null;
    }

    public static RpcError? ChainId(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        HexJson.WriteQuantity(result, call.Chain.Config.ChainId);
        return null;
    }

    public static RpcError? BlockNumber(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        HexJson.WriteQuantity(result, call.Chain.Head.Number);
        return null;
    }

    /// <summary>A node that produces its own chain is never behind.</summary>
    public static RpcError? Syncing(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        result.WriteBooleanValue(false);
        return null;
    }

    public static RpcError? Accounts(RpcCall call, ref RpcArgs args, Utf8JsonWriter result)
    {
        if (!args.CheckMax(0)) return args.Error;
        result.WriteStartArray();
        foreach (Address account in call.Node.Accounts) HexJson.WriteAddress(result, account);
        result.WriteEndArray();
        return null;
    }
}
