using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Execution.Contracts;

/// <summary>
/// Every gas price of contracts on the chain, in one place. VM instructions cost <see cref="VmGas"/> (1 per
/// instruction, charged per basic block); a host function costs its base price (charged by the interpreter before the
/// function runs) plus the size-dependent parts below (charged by the function before it does the work).
/// </summary>
/// <remarks>
/// The prices follow Ethereum's where the work is the same, so that wallets' expectations hold roughly: storage as in
/// EIP-2200 without refunds (a flat read price instead of warm/cold, because the VM has no access lists), logs as LOG0-4,
/// Keccak-256 as SHA3, SHA-256 and ecrecover as their precompiles, calls as EIP-150 (700, plus 9,000 with value, and
/// at most 63/64 of the remaining gas passed on). Code deposit is EIP-170's 200 per byte of the stored object.
/// </remarks>
public static class ContractGas
{
    public const int StorageLoad = 800;
    /// <summary>Writing a slot that stays non-zero, or becomes zero.</summary>
    public const int StorageStore = 5_000;
    /// <summary>Extra for a slot that goes from zero to non-zero (the 20,000 of SSTORE_SET in all).</summary>
    public const int StorageStoreSetExtra = 15_000;
    /// <summary>caller, origin, own address, call value, block number, timestamp, gas left, return data size.</summary>
    public const int Context = 2;
    public const int Balance = 700;
    /// <summary>Sending wei from the contract (CALL with value, without the call).</summary>
    public const int Transfer = 9_000;
    public const int Log = 375;
    public const int LogPerTopic = 375;
    public const int LogPerByte = 8;
    public const int Keccak256 = 30;
    public const int Keccak256PerWord = 6;
    public const int Sha256 = 60;
    public const int Sha256PerWord = 12;
    public const int EcRecover = 3_000;
    /// <summary>Return and revert: the copy of the data out of the VM (per 32-byte word, like memory copies).</summary>
    public const int ReturnOrRevert = 0;
    public const int CopyPerWord = 3;
    public const int Call = 700;
    public const int CallValueExtra = 9_000;
    /// <summary>A read-only call: CALL's 700, as EIP-214 prices STATICCALL (it can carry no value, so no extra).</summary>
    public const int StaticCall = 700;
    public const int ReturnDataCopy = 3;

    /// <summary>Per byte of the ELF object stored by a creation.</summary>
    public const int CodeDepositPerByte = 200;

    /// <summary>Gas for <paramref name="bytes"/> bytes at <paramref name="perWord"/> per 32-byte word, rounded up.</summary>
    public static long PerWord(long bytes, int perWord) => (bytes + 31) / 32 * perWord;

    /// <summary>The host functions of <see cref="HostFunctionNames"/> with their base prices, for the verifier.</summary>
    public static VmHelperCatalog Catalog { get; } = BuildCatalog();

    private static VmHelperCatalog BuildCatalog()
    {
        var catalog = new VmHelperCatalog();
        foreach ((string name, int id) in HostFunctionNames.All) catalog.Add((uint)id, name, BasePrice(id));
        return catalog;
    }

    private static int BasePrice(int id) => id switch
    {
        HostFunctionNames.StorageLoad => StorageLoad,
        HostFunctionNames.StorageStore => StorageStore,
        HostFunctionNames.Caller or HostFunctionNames.Origin or HostFunctionNames.SelfAddress or HostFunctionNames.CallValue
            or HostFunctionNames.BlockNumber or HostFunctionNames.BlockTimestamp or HostFunctionNames.GasLeft
            or HostFunctionNames.ReturnDataSize => Context,
        HostFunctionNames.Balance => Balance,
        HostFunctionNames.Transfer => Transfer,
        HostFunctionNames.EmitLog => Log,
        HostFunctionNames.Keccak256 => Keccak256,
        HostFunctionNames.Sha256 => Sha256,
        HostFunctionNames.EcRecover => EcRecover,
        HostFunctionNames.Return or HostFunctionNames.Revert => ReturnOrRevert,
        HostFunctionNames.Call => Call,
        HostFunctionNames.StaticCall => StaticCall,
        HostFunctionNames.ReturnDataCopy => ReturnDataCopy,
        _ => throw new InvalidOperationException($"host function {id} has no gas price in ContractGas"),
    };
}
