using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

/// <summary>Starting and running a program on a warmed machine allocates nothing, host calls included.</summary>
public sealed class VmAllocationTests
{
    [Fact]
    public void Runs_with_helper_calls_loads_stores_and_local_calls_allocate_nothing()
    {
        var helpers = new VmHelperCatalog().Add(1, "touch", 5);
        VmProgram program = VmTestKit.Load("""
            mov %r6, 100
            loop:
            stxdw [%r10-8], %r6
            mov %r1, %r10
            sub %r1, 8
            call 1
            call local f
            sub %r6, 1
            jne %r6, 0, loop
            exit
            f:
            ldxdw %r0, [%r10-8]
            exit
            """, helpers);
        var machine = new VmMachine();
        byte[] input = [1, 2, 3];
        var host = new TouchingHost();
        machine.Start(program, input, heapSize: 1024);
        Assert.Equal(VmExitKind.Returned, machine.Run(ref host, 1_000_000).Kind);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            machine.Start(program, input, heapSize: 1024);
            machine.Run(ref host, 1_000_000);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(101 * 100, host.Calls);
    }

    /// <summary>Reads 8 bytes through the program's pointer and charges gas for them, as a storage helper would.</summary>
    private struct TouchingHost : IVmHost
    {
        public int Calls;

        public VmHelperOutcome Invoke(uint helperId, VmMachine machine)
        {
            if (!machine.TryRead(machine.Registers[1], 8, out ReadOnlySpan<byte> bytes)) return VmHelperOutcome.Fault;
            if (!machine.TryChargeGas(bytes.Length)) return VmHelperOutcome.OutOfGas;
            machine.Registers[0] = bytes[0];
            Calls++;
            return VmHelperOutcome.Continue;
        }
    }
}
