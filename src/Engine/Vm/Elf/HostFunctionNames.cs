using System.Collections.Frozen;

namespace NexusFast.Engine.Vm.Elf;

/// <summary>
/// The host functions a contract may call, by the names <c>contracts/nexus.h</c> declares <c>extern</c>, and the helper
/// ids the loader writes into their <c>call</c> instructions. The ids are part of consensus: a deployed object is
/// stored with its ids resolved, so an id is never reused or renumbered; new functions take new ids.
/// </summary>
/// <remarks>
/// Arguments arrive in r1-r5 and the result in r0 (RFC 9669 calling convention); pointers are VM addresses. Words are
/// 32 bytes big-endian (Ethereum's encoding); addresses are 20 bytes. The header documents each signature.
/// </remarks>
public static class HostFunctionNames
{
    /// <summary>The entry point a call runs: <c>uint64_t nexus_call(const uint8_t *input, uint64_t input_len)</c>.</summary>
    public const string CallEntry = "nexus_call";

    /// <summary>The entry point run once at creation with the constructor input; optional.</summary>
    public const string DeployEntry = "nexus_deploy";

    /// <summary>(key[32], value_out[32]): reads a storage slot; a slot never written reads as zero.</summary>
    public const int StorageLoad = 1;

    /// <summary>(key[32], value[32]): writes a storage slot; fails the call in a read-only context.</summary>
    public const int StorageStore = 2;

    /// <summary>(out[20]): the immediate caller (msg.sender).</summary>
    public const int Caller = 3;

    /// <summary>(out[20]): the transaction's signer (tx.origin).</summary>
    public const int Origin = 4;

    /// <summary>(out[20]): the contract's own address.</summary>
    public const int SelfAddress = 5;

    /// <summary>(out[32]): the value sent with this call (msg.value).</summary>
    public const int CallValue = 6;

    /// <summary>(address[20], out[32]): the balance of an account.</summary>
    public const int Balance = 7;

    /// <summary>(to[20], amount[32]) -> 0 on success, 1 when the balance does not cover it.</summary>
    public const int Transfer = 8;

    /// <summary>(topics[32 * count], count 0-4, data, data_len): appends a log entry.</summary>
    public const int EmitLog = 9;

    /// <summary>(data, len, out[32]).</summary>
    public const int Keccak256 = 10;

    /// <summary>(data, len, out[32]).</summary>
    public const int Sha256 = 11;

    /// <summary>(hash[32], signature[65] as r, s, v with v 27 or 28, out[20]) -> 0 when recovered, 1 otherwise.</summary>
    public const int EcRecover = 12;

    /// <summary>() -> the current block number.</summary>
    public const int BlockNumber = 13;

    /// <summary>() -> the current block timestamp in seconds.</summary>
    public const int BlockTimestamp = 14;

    /// <summary>(data, len): ends the call successfully with this return data; does not come back.</summary>
    public const int Return = 15;

    /// <summary>(data, len): ends the call, reverting its writes, with this revert data; does not come back.</summary>
    public const int Revert = 16;

    /// <summary>(to[20], value[32], input, input_len, gas) -> 0 on success, 1 when the callee reverted or failed.</summary>
    public const int Call = 17;

    /// <summary>() -> the size of the last call's return data (also mapped at <see cref="VmMemoryMap.ReturnData"/>).</summary>
    public const int ReturnDataSize = 18;

    /// <summary>(destination, offset, len) -> 0, or 1 when offset + len exceeds the return data.</summary>
    public const int ReturnDataCopy = 19;

    /// <summary>() -> the gas left to this call.</summary>
    public const int GasLeft = 20;

    /// <summary>
    /// (to[20], input, input_len, gas) -> 0 on success, 1 when the callee reverted or failed: a read-only call (as
    /// EIP-214's STATICCALL). The callee and every call it makes run read-only: a storage write, a log, a transfer or a
    /// call with value there fails that frame (consuming its gas) and the static call returns 1.
    /// </summary>
    public const int StaticCall = 21;

    /// <summary>Every host function by name, in id order.</summary>
    public static IReadOnlyList<KeyValuePair<string, int>> All { get; } =
    [
        new("nexus_storage_load", StorageLoad),
        new("nexus_storage_store", StorageStore),
        new("nexus_caller", Caller),
        new("nexus_origin", Origin),
        new("nexus_self_address", SelfAddress),
        new("nexus_call_value", CallValue),
        new("nexus_balance", Balance),
        new("nexus_transfer", Transfer),
        new("nexus_emit_log", EmitLog),
        new("nexus_keccak256", Keccak256),
        new("nexus_sha256", Sha256),
        new("nexus_ecrecover", EcRecover),
        new("nexus_block_number", BlockNumber),
        new("nexus_block_timestamp", BlockTimestamp),
        new("nexus_return", Return),
        new("nexus_revert", Revert),
        new("nexus_call_contract", Call),
        new("nexus_return_data_size", ReturnDataSize),
        new("nexus_return_data_copy", ReturnDataCopy),
        new("nexus_gas_left", GasLeft),
        new("nexus_static_call", StaticCall),
    ];

    /// <summary>The resolver the chain uses when it loads a contract.</summary>
    public static HostFunctionTable Table { get; } = new(All);
}

/// <summary>A fixed name -> id map for <see cref="ElfLoader"/>; names and ids must each be unique.</summary>
public sealed class HostFunctionTable : IHostFunctionResolver
{
    private readonly FrozenDictionary<string, int> _ids;

    public HostFunctionTable(IEnumerable<KeyValuePair<string, int>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var seen = new HashSet<int>();
        foreach ((string name, int id) in entries)
        {
            if (!ids.TryAdd(name, id)) throw new ArgumentException($"host function '{name}' is listed twice", nameof(entries));
            if (!seen.Add(id)) throw new ArgumentException($"host function id {id} is used twice", nameof(entries));
        }
        _ids = ids.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public int Count => _ids.Count;

    public bool TryResolve(string name, out int id) => _ids.TryGetValue(name, out id);
}
