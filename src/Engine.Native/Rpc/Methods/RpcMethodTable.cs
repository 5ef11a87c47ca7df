using System.Collections.Frozen;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>Every method the node answers, looked up by the UTF-8 name straight from the request bytes.</summary>
internal static class RpcMethodTable
{
    public static readonly RpcMethod[] Methods =
    [
        new("web3_clientVersion", NodeInfoMethods.ClientVersion),
        new("web3_sha3", NodeInfoMethods.Sha3),
        new("net_version", NodeInfoMethods.NetVersion),
        new("net_listening", NodeInfoMethods.NetListening),
        new("net_peerCount", NodeInfoMethods.NetPeerCount),
        new("eth_chainId", NodeInfoMethods.ChainId),
        new("eth_blockNumber", NodeInfoMethods.BlockNumber),
        new("eth_syncing", NodeInfoMethods.Syncing),
        new("eth_accounts", NodeInfoMethods.Accounts),
        new("eth_getBalance", StateMethods.GetBalance),
        new("eth_getTransactionCount", StateMethods.GetTransactionCount),
        new("eth_getCode", StateMethods.GetCode),
        new("eth_getStorageAt", StateMethods.GetStorageAt),
        new("nexus_getProof", StateMethods.GetProof),
        new("nexus_resolveDid", DidMethods.Resolve),
        new("eth_gasPrice", FeeMethods.GasPrice),
        new("eth_maxPriorityFeePerGas", FeeMethods.MaxPriorityFeePerGas),
        new("eth_feeHistory", FeeMethods.FeeHistory),
        new("eth_estimateGas", CallMethods.EstimateGas),
        new("eth_call", CallMethods.Call),
        new("eth_sendRawTransaction", TransactionMethods.SendRawTransaction),
        new("eth_getTransactionByHash", TransactionMethods.GetTransactionByHash),
        new("eth_getTransactionByBlockNumberAndIndex", TransactionMethods.GetTransactionByBlockNumberAndIndex),
        new("eth_getTransactionByBlockHashAndIndex", TransactionMethods.GetTransactionByBlockHashAndIndex),
        new("eth_getTransactionReceipt", TransactionMethods.GetTransactionReceipt),
        new("eth_getBlockByNumber", BlockMethods.GetBlockByNumber),
        new("eth_getBlockByHash", BlockMethods.GetBlockByHash),
        new("eth_getBlockTransactionCountByNumber", BlockMethods.GetBlockTransactionCountByNumber),
        new("eth_getBlockTransactionCountByHash", BlockMethods.GetBlockTransactionCountByHash),
        new("eth_getBlockReceipts", BlockMethods.GetBlockReceipts),
        new("eth_getLogs", LogMethods.GetLogs),
        new("evm_snapshot", DevMethods.Snapshot, DevOnly: true),
        new("evm_revert", DevMethods.Revert, DevOnly: true),
        new("evm_mine", DevMethods.Mine, DevOnly: true),
        new("evm_setAutomine", DevMethods.SetAutomine, DevOnly: true),
        new("evm_increaseTime", DevMethods.IncreaseTime, DevOnly: true),
        new("evm_setNextBlockTimestamp", DevMethods.SetNextBlockTimestamp, DevOnly: true),
        new("anvil_setBalance", DevMethods.SetBalance, DevOnly: true),
        new("hardhat_setBalance", DevMethods.SetBalanceHardhat, DevOnly: true),
        new("anvil_setNonce", DevMethods.SetNonce, DevOnly: true),
        new("hardhat_setNonce", DevMethods.SetNonceHardhat, DevOnly: true),
    ];

    private static readonly FrozenDictionary<string, int> s_byName = BuildIndex();
    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> s_lookup =
        s_byName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The index of the method named by these UTF-8 bytes, or -1.</summary>
    public static int Find(ReadOnlySpan<byte> utf8Name)
    {
        Span<char> name = stackalloc char[utf8Name.Length];
        for (int i = 0; i < utf8Name.Length; i++)
        {
            // Method names are ASCII; anything else cannot name a method.
            if (utf8Name[i] >= 0x80) return -1;
            name[i] = (char)utf8Name[i];
        }
        return s_lookup.TryGetValue(name, out int index) ? index : -1;
    }

    public static int Find(string name) => s_byName.TryGetValue(name, out int index) ? index : -1;

    private static FrozenDictionary<string, int> BuildIndex()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Methods.Length; i++) index.Add(Methods[i].Name, i);
        return index.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
