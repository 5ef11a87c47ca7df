using NexusFast.Engine.Tests.Vm.Conformance;
using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

public sealed class VmMachineApiTests
{
    [Fact]
    public void Running_without_starting_and_starting_during_a_run_are_refused()
    {
        var machine = new VmMachine();
        var host = new UbpfTestHelpers();
        Assert.Throws<InvalidOperationException>(() => machine.Run(ref host, 100));

        VmProgram program = VmTestKit.Load("mov %r0, 1\nexit");
        machine.Start(program, []);
        machine.Run(ref host, 10_000);
        // A run consumes its Start.
        Assert.Throws<InvalidOperationException>(() => machine.Run(ref host, 100));

        var helpers = new VmHelperCatalog().Add(1, "restart", 1);
        VmProgram reentrant = VmTestKit.Load("call 1\nexit", helpers);
        machine.Start(reentrant, []);
        var restarting = new RestartingHost { Program = program };
        Assert.Throws<InvalidOperationException>(() => machine.Run(ref restarting, 10_000));
        // The machine is usable again afterwards.
        machine.Start(program, []);
        Assert.Equal(1UL, machine.Run(ref host, 10_000).ReturnValue);
    }

    [Fact]
    public void Start_checks_its_arguments()
    {
        var machine = new VmMachine();
        VmProgram program = VmTestKit.Load("exit");
        Assert.Throws<ArgumentOutOfRangeException>(() => machine.Start(program, [], heapSize: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => machine.Start(program, [], heapSize: VmLimits.MaxHeapSize + 1));
        machine.Start(program, []);
        var host = new UbpfTestHelpers();
        Assert.Throws<ArgumentOutOfRangeException>(() => machine.Run(ref host, -1));
    }

    [Fact]
    public void Start_sets_the_documented_registers()
    {
        var machine = new VmMachine();
        machine.Start(VmTestKit.Load("exit"), [1, 2, 3]);
        Assert.Equal(VmMemoryMap.Input, machine.Registers[1]);
        Assert.Equal(3UL, machine.Registers[2]);
        Assert.Equal(VmMemoryMap.Stack + VmLimits.StackFrameSize, machine.Registers[10]);
        Assert.Equal(0UL, machine.Registers[0] | machine.Registers[3] | machine.Registers[9]);
    }

    [Fact]
    public void The_helper_catalog_refuses_duplicates_and_finds_by_name_and_id()
    {
        var catalog = new VmHelperCatalog().Add(3, "storage_load", 200);
        Assert.Throws<ArgumentException>(() => catalog.Add(3, "other", 1));
        Assert.Throws<ArgumentException>(() => catalog.Add(4, "storage_load", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.Add(5, "negative", -1));
        Assert.True(catalog.TryGetId("storage_load", out uint id));
        Assert.Equal(3u, id);
        Assert.True(catalog.TryGetGasPrice(3, out int price));
        Assert.Equal(200, price);
        Assert.True(catalog.TryGetName(3, out string? name));
        Assert.Equal("storage_load", name);
        Assert.False(catalog.TryGetGasPrice(4, out _));
        Assert.Equal(1, catalog.Count);
    }

    [Fact]
    public void A_helper_cannot_move_the_frame_pointer()
    {
        var helpers = new VmHelperCatalog().Add(1, "clobber", 1);
        VmProgram program = VmTestKit.Load("call 1\nmov %r0, %r10\nexit", helpers);
        var machine = new VmMachine();
        machine.Start(program, []);
        var host = new ClobberingHost();
        Assert.Equal(VmMemoryMap.Stack + VmLimits.StackFrameSize, machine.Run(ref host, 1_000).ReturnValue);
    }

    private struct RestartingHost : IVmHost
    {
        public VmProgram Program;

        public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine)
        {
            machine.Start(Program, []);
            return VmHelperOutcome.Continue;
        }
    }

    private struct ClobberingHost : IVmHost
    {
        public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine)
        {
            machine.Registers[10] = 12345;
            return VmHelperOutcome.Continue;
        }
    }
}
