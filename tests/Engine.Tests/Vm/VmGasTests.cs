using NexusFast.Engine.Tests.Vm.Conformance;
using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

public sealed class VmGasTests
{
    // Blocks: [0,1] cost 2 (entry), [2,3,4] cost 3 (loop, a jump target), [5] cost 1 (after the branch).
    private const string CountDown = """
        mov %r0, 0
        mov %r1, 10
        loop:
        add %r0, %r1
        sub %r1, 1
        jne %r1, 0, loop
        exit
        """;

    private const long CountDownGas = 2 + 3 + 9 * 3 + 1;

    [Fact]
    public void A_run_pays_each_basic_block_it_enters_once_per_entry()
    {
        VmResult result = VmTestKit.Run(VmTestKit.Load(CountDown), gas: 1_000);
        Assert.Equal(VmExitKind.Returned, result.Kind);
        Assert.Equal(55UL, result.ReturnValue);
        Assert.Equal(CountDownGas, result.GasUsed);
    }

    [Fact]
    public void Exactly_enough_gas_succeeds_and_one_less_stops_before_the_last_block()
    {
        VmProgram program = VmTestKit.Load(CountDown);
        Assert.Equal(VmExitKind.Returned, VmTestKit.Run(program, gas: CountDownGas).Kind);

        VmResult shortRun = VmTestKit.Run(program, gas: CountDownGas - 1);
        Assert.Equal(VmExitKind.OutOfGas, shortRun.Kind);
        Assert.Equal(5, shortRun.InstructionIndex);
        Assert.Equal(CountDownGas - 1, shortRun.GasUsed);
    }

    [Fact]
    public void An_endless_loop_runs_out_of_gas_at_the_same_instruction_every_time()
    {
        VmProgram program = VmTestKit.Load("""
            mov %r0, 0
            loop:
            add %r0, 1
            ja loop
            """);
        var reused = new VmMachine();
        for (long gas = 1; gas < 40; gas++)
        {
            VmResult first = VmTestKit.Run(program, gas, machine: reused);
            VmResult second = VmTestKit.Run(program, gas);
            Assert.Equal(first, second);
            Assert.Equal(VmExitKind.OutOfGas, first.Kind);
            Assert.Equal(gas, first.GasUsed);
            // Entry block [0] costs 1; after that every payment is for the loop block at slot 1 (2 instructions).
            Assert.Equal(1, first.InstructionIndex);
            Assert.Equal((ulong)Math.Max(0, (gas - 1) / 2), first.ReturnValue);
        }
    }

    [Fact]
    public void Too_little_gas_for_the_entry_block_stops_before_the_first_instruction()
    {
        VmResult result = VmTestKit.Run(VmTestKit.Load("mov %r0, 7\nexit"), gas: 1);
        Assert.Equal(VmExitKind.OutOfGas, result.Kind);
        Assert.Equal(0, result.InstructionIndex);
        Assert.Equal(0UL, result.ReturnValue);
    }

    [Theory]
    [InlineData(200)]   // the block after the branch is paid by the branch's not-taken path
    [InlineData(300)]   // too dear for that byte: the block starts with its own Gas instruction
    public void The_block_after_a_conditional_jump_is_paid_once_either_way(int length)
    {
        string asm = "mov %r0, 0\njeq %r0, 1, end\n" + string.Concat(Enumerable.Repeat("add %r0, 1\n", length)) + "end:\nexit";
        VmProgram program = VmTestKit.Load(asm);
        long total = 2 + length + 1;
        VmResult full = VmTestKit.Run(program, gas: total);
        Assert.Equal(VmExitKind.Returned, full.Kind);
        Assert.Equal((ulong)length, full.ReturnValue);

        VmResult noExit = VmTestKit.Run(program, gas: total - 1);
        Assert.Equal(VmExitKind.OutOfGas, noExit.Kind);
        Assert.Equal(2 + length, noExit.InstructionIndex);

        VmResult noBody = VmTestKit.Run(program, gas: total - 2);
        Assert.Equal(VmExitKind.OutOfGas, noBody.Kind);
        Assert.Equal(2, noBody.InstructionIndex);
        Assert.Equal(0UL, noBody.ReturnValue);
    }

    [Fact]
    public void Divisions_cost_more_than_other_instructions()
    {
        VmProgram program = VmTestKit.Load("mov %r0, 7\ndiv %r0, 2\nmod32 %r0, 2\nexit");
        Assert.Equal(2 * VmGas.Instruction + 2 * VmGas.Division, VmTestKit.Run(program).GasUsed);
    }

    [Fact]
    public void The_heap_is_paid_per_KiB_before_the_first_block()
    {
        VmProgram program = VmTestKit.Load("mov %r0, 7\nexit");
        Assert.Equal(2 + 4 * VmGas.HeapPerKiB, VmTestKit.Run(program, heapSize: 4096).GasUsed);
        Assert.Equal(2 + 1 * VmGas.HeapPerKiB, VmTestKit.Run(program, heapSize: 1).GasUsed);
        Assert.Equal(VmExitKind.OutOfGas, VmTestKit.Run(program, gas: 4 * VmGas.HeapPerKiB + 1, heapSize: 4096).Kind);
    }

    [Fact]
    public void A_local_call_pays_the_frame_and_the_callee_block()
    {
        VmProgram program = VmTestKit.Load("""
            call local f
            exit
            f:
            mov %r0, 3
            exit
            """);
        // Entry [0] 1; call: frame + callee block [2,3] 2; return into block [1] 1.
        Assert.Equal(1 + VmGas.CallFrame + 2 + 1, VmTestKit.Run(program).GasUsed);
    }

    [Fact]
    public void The_block_a_call_returns_to_is_paid_on_return()
    {
        VmProgram program = VmTestKit.Load("""
            call local f
            mov %r0, 5
            exit
            f:
            mov %r0, 1
            exit
            """);
        // Entry [0] 1; call: frame + callee [3,4] 2; return into [1,2] 2.
        long total = 1 + VmGas.CallFrame + 2 + 2;
        Assert.Equal(5UL, VmTestKit.Run(program, gas: total).ReturnValue);
        VmResult result = VmTestKit.Run(program, gas: total - 1);
        Assert.Equal(VmExitKind.OutOfGas, result.Kind);
        Assert.Equal(1, result.InstructionIndex);
        Assert.Equal(1UL, result.ReturnValue);
    }

    [Fact]
    public void A_helper_pays_its_catalog_price_and_may_charge_more()
    {
        var helpers = new VmHelperCatalog().Add(UbpfTestHelpers.Memfrob, "memfrob", 100);
        VmProgram program = VmTestKit.Load("""
            mov %r2, 8
            call 1
            exit
            """, helpers);
        var machine = new VmMachine();
        machine.Start(program, [], heapSize: 8);
        machine.Registers[1] = VmMemoryMap.Heap;
        var host = new UbpfTestHelpers();
        VmResult result = machine.Run(ref host, 1_000);
        Assert.Equal(VmExitKind.Returned, result.Kind);
        // Block [0,1,2] 3 + price 100 + 8 bytes frobbed + heap 1 KiB.
        Assert.Equal(3 + 100 + 8 + VmGas.HeapPerKiB, result.GasUsed);

        machine.Start(program, [], heapSize: 8);
        machine.Registers[1] = VmMemoryMap.Heap;
        VmResult starved = machine.Run(ref host, 3 + 100 + 7 + VmGas.HeapPerKiB);
        Assert.Equal(VmExitKind.OutOfGas, starved.Kind);
        Assert.Equal(1, starved.InstructionIndex);
    }
}
