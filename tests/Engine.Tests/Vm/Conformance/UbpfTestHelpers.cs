using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm.Conformance;

/// <summary>
/// The host functions uBPF's test runner registers (ids 0..5), which its helper tests and bpf_conformance's
/// call_unwind_fail call by id. They double as a check of <see cref="IVmHost"/>: arguments in r1..r5, memory through
/// <see cref="VmMachine.TryRead"/>/<see cref="VmMachine.TryWrite"/>, result in r0, and a helper that stops the run.
/// </summary>
public struct UbpfTestHelpers : IVmHost
{
    public const uint GatherBytes = 0, Memfrob = 1, NoOp = 2, Sqrti = 3, StrcmpExt = 4, Unwind = 5;

    public static VmHelperCatalog Catalog() => new VmHelperCatalog()
        .Add(GatherBytes, "gather_bytes", 1)
        .Add(Memfrob, "memfrob", 1)
        .Add(NoOp, "no_op", 1)
        .Add(Sqrti, "sqrti", 1)
        .Add(StrcmpExt, "strcmp_ext", 1)
        .Add(Unwind, "unwind", 1);

    public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine)
    {
        Span<ulong> r = machine.Registers;
        switch (helperId)
        {
            case GatherBytes:
                r[0] = ((r[1] & 0xff) << 32) | ((r[2] & 0xff) << 24) | ((r[3] & 0xff) << 16) | ((r[4] & 0xff) << 8) | (r[5] & 0xff);
                return VmHelperOutcome.Continue;
            case Memfrob:
            {
                if (r[2] > int.MaxValue || !machine.TryWrite(r[1], (int)r[2], out Span<byte> bytes)) return VmHelperOutcome.Fault;
                if (!machine.TryChargeGas(bytes.Length)) return VmHelperOutcome.OutOfGas;
                for (int i = 0; i < bytes.Length; i++) bytes[i] ^= 42;
                r[0] = 0;
                return VmHelperOutcome.Continue;
            }
            case NoOp:
                r[0] = 0;
                return VmHelperOutcome.Continue;
            case Sqrti:
                r[0] = (ulong)Math.Sqrt(r[1]);
                return VmHelperOutcome.Continue;
            case StrcmpExt:
                return Strcmp(machine, r[1], r[2]);
            case Unwind:
                // uBPF's unwind helper returns its argument and stops the program when that is 0.
                r[0] = r[1];
                return r[1] == 0 ? VmHelperOutcome.Stop : VmHelperOutcome.Continue;
            default:
                return VmHelperOutcome.Fault;
        }
    }

    private static VmHelperOutcome Strcmp(VmMachine machine, ulong a, ulong b)
    {
        for (ulong i = 0; ; i++)
        {
            if (!machine.TryChargeGas(1)) return VmHelperOutcome.OutOfGas;
            if (!machine.TryRead(a + i, 1, out ReadOnlySpan<byte> x) || !machine.TryRead(b + i, 1, out ReadOnlySpan<byte> y))
                return VmHelperOutcome.Fault;
            if (x[0] != y[0] || x[0] == 0)
            {
                machine.Registers[0] = (ulong)(long)(x[0] - y[0]);
                return VmHelperOutcome.Continue;
            }
        }
    }
}
