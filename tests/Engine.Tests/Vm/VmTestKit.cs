using NexusFast.Engine.Tests.Vm.Conformance;
using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

/// <summary>Builds programs from the conformance assembly dialect and runs them with a plain host.</summary>
internal static class VmTestKit
{
    public static VmHelperCatalog NoHelpers { get; } = new();

    public static VmProgram Load(string asm, VmHelperCatalog? helpers = null, byte[]? rodata = null, byte[]? data = null, int bss = 0) =>
        VmProgram.Load(BpfAssembler.Assemble(asm), rodata ?? [], data ?? [], bss, 0, helpers ?? NoHelpers);

    public static VmResult Run(VmProgram program, long gas = 1_000_000, byte[]? input = null, int heapSize = 0, VmMachine? machine = null)
    {
        machine ??= new VmMachine();
        machine.Start(program, input ?? [], heapSize);
        var host = new UbpfTestHelpers();
        return machine.Run(ref host, gas);
    }

    public static VmVerificationException Refusal(string asm, VmHelperCatalog? helpers = null) =>
        Assert.Throws<VmVerificationException>(() => Load(asm, helpers));

    public static VmVerificationException Refusal(byte[] code, int entry = 0) =>
        Assert.Throws<VmVerificationException>(() => VmProgram.Load(code, [], [], 0, entry, NoHelpers));
}
