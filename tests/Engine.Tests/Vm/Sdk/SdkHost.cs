using NexusFast.Engine.Crypto;
using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Tests.Vm.Sdk;

/// <summary>
/// Just enough of the chain's host functions to run SDK programs in the VM: storage in a dictionary, a fixed caller,
/// Keccak-256, return and revert. Other ids fault, so a program that needs more fails loudly instead of reading zeros.
/// </summary>
internal sealed class SdkHost : IVmHost
{
    public static VmHelperCatalog Catalog { get; } = CreateCatalog();

    public Dictionary<string, byte[]> Storage { get; } = [];

    public byte[] Caller { get; set; } = Convert.FromHexString("00112233445566778899aabbccddeeff00112233");

    /// <summary>Data passed to nexus_return or nexus_revert by the last run.</summary>
    public byte[] Output { get; private set; } = [];

    public VmHelperOutcome Invoke(uint helperId, VmMachine machine)
    {
        Span<ulong> r = machine.Registers;
        switch ((int)helperId)
        {
            case HostFunctionNames.StorageLoad:
            {
                if (!machine.TryRead(r[1], 32, out ReadOnlySpan<byte> key) || !machine.TryWrite(r[2], 32, out Span<byte> value)) return VmHelperOutcome.Fault;
                (Storage.TryGetValue(Convert.ToHexString(key), out byte[]? stored) ? stored : new byte[32]).CopyTo(value);
                return VmHelperOutcome.Continue;
            }
            case HostFunctionNames.StorageStore:
            {
                if (!machine.TryRead(r[1], 32, out ReadOnlySpan<byte> key) || !machine.TryRead(r[2], 32, out ReadOnlySpan<byte> value)) return VmHelperOutcome.Fault;
                Storage[Convert.ToHexString(key)] = value.ToArray();
                return VmHelperOutcome.Continue;
            }
            case HostFunctionNames.Caller:
            {
                if (!machine.TryWrite(r[1], 20, out Span<byte> destination)) return VmHelperOutcome.Fault;
                Caller.CopyTo(destination);
                return VmHelperOutcome.Continue;
            }
            case HostFunctionNames.Keccak256:
            {
                if (r[2] > int.MaxValue || !machine.TryRead(r[1], (int)r[2], out ReadOnlySpan<byte> data) || !machine.TryWrite(r[3], 32, out Span<byte> hash))
                {
                    return VmHelperOutcome.Fault;
                }
                Keccak256.Hash(data, hash);
                return VmHelperOutcome.Continue;
            }
            case HostFunctionNames.Return or HostFunctionNames.Revert:
            {
                if (r[2] > int.MaxValue || !machine.TryRead(r[1], (int)r[2], out ReadOnlySpan<byte> data)) return VmHelperOutcome.Fault;
                Output = data.ToArray();
                return helperId == HostFunctionNames.Return ? VmHelperOutcome.Stop : VmHelperOutcome.Revert;
            }
            default:
                return VmHelperOutcome.Fault;
        }
    }

    /// <summary>Runs <c>nexus_call</c> with <paramref name="input"/> as call data; a run that ends without nexus_return or
    /// nexus_revert has empty output.</summary>
    public VmResult Call(VmProgram program, VmMachine machine, byte[] input)
    {
        Output = [];
        machine.Start(program, input, heapSize: 0);
        SdkHost self = this;
        return machine.Run(ref self, 10_000_000);
    }

    private static VmHelperCatalog CreateCatalog()
    {
        var catalog = new VmHelperCatalog();
        foreach ((string name, int id) in HostFunctionNames.All) catalog.Add((uint)id, name, 100);
        return catalog;
    }
}
