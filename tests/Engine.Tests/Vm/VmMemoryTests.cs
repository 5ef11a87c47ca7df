using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

public sealed class VmMemoryTests
{
    [Fact]
    public void A_null_pointer_load_faults_with_address_zero_and_the_instruction()
    {
        VmResult result = VmTestKit.Run(VmTestKit.Load("mov %r1, 0\nmov %r0, 1\nldxdw %r0, [%r1]\nexit"));
        Assert.Equal(VmExitKind.MemoryFault, result.Kind);
        Assert.Equal(0UL, result.FaultAddress);
        Assert.Equal(2, result.InstructionIndex);
    }

    [Fact]
    public void The_input_is_readable_but_not_writable()
    {
        VmProgram reader = VmTestKit.Load("ldxw %r0, [%r1+4]\nexit");
        Assert.Equal(0x08070605UL, VmTestKit.Run(reader, input: [1, 2, 3, 4, 5, 6, 7, 8]).ReturnValue);

        VmResult pastEnd = VmTestKit.Run(VmTestKit.Load("ldxw %r0, [%r1+5]\nexit"), input: [1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Equal(VmExitKind.MemoryFault, pastEnd.Kind);
        Assert.Equal(VmMemoryMap.Input + 5, pastEnd.FaultAddress);

        VmResult write = VmTestKit.Run(VmTestKit.Load("stb [%r1+1], 9\nexit"), input: [1, 2]);
        Assert.Equal(VmExitKind.MemoryFault, write.Kind);
        Assert.Equal(VmMemoryMap.Input + 1, write.FaultAddress);
        Assert.Equal(0, write.InstructionIndex);
    }

    [Fact]
    public void Read_only_data_is_reached_through_an_absolute_lddw_and_cannot_be_written()
    {
        string asm = $"lddw %r1, 0x{VmMemoryMap.ReadOnlyData + 2:x}\nldxh %r0, [%r1]\nexit";
        VmProgram program = VmTestKit.Load(asm, rodata: [0x10, 0x20, 0x30, 0x40]);
        Assert.Equal(0x4030UL, VmTestKit.Run(program).ReturnValue);

        VmProgram writer = VmTestKit.Load($"lddw %r1, 0x{VmMemoryMap.ReadOnlyData:x}\nstb [%r1], 1\nexit", rodata: [0]);
        VmResult result = VmTestKit.Run(writer);
        Assert.Equal(VmExitKind.MemoryFault, result.Kind);
        Assert.Equal(VmMemoryMap.ReadOnlyData, result.FaultAddress);
        Assert.Equal(2, result.InstructionIndex);
    }

    [Fact]
    public void Writable_data_starts_every_run_from_its_image_with_zeroed_bss()
    {
        // Reads .data[0] (5) and .bss (first byte after .data), then overwrites both.
        string asm = $"""
            lddw %r1, 0x{VmMemoryMap.Data:x}
            ldxb %r0, [%r1]
            ldxb %r2, [%r1+1]
            add %r0, %r2
            stb [%r1], 100
            stb [%r1+1], 100
            exit
            """;
        VmProgram program = VmTestKit.Load(asm, data: [5], bss: 3);
        var machine = new VmMachine();
        Assert.Equal(5UL, VmTestKit.Run(program, machine: machine).ReturnValue);
        Assert.Equal(5UL, VmTestKit.Run(program, machine: machine).ReturnValue);

        VmResult pastBss = VmTestKit.Run(VmTestKit.Load($"lddw %r1, 0x{VmMemoryMap.Data:x}\nldxb %r0, [%r1+4]\nexit", data: [5], bss: 3));
        Assert.Equal(VmExitKind.MemoryFault, pastBss.Kind);
        Assert.Equal(VmMemoryMap.Data + 4, pastBss.FaultAddress);
    }

    [Fact]
    public void The_heap_is_zero_at_the_start_of_every_run()
    {
        string asm = $"""
            lddw %r1, 0x{VmMemoryMap.Heap:x}
            ldxdw %r0, [%r1+1016]
            stdw [%r1+1016], -1
            exit
            """;
        VmProgram program = VmTestKit.Load(asm);
        var machine = new VmMachine();
        Assert.Equal(0UL, VmTestKit.Run(program, heapSize: 1024, machine: machine).ReturnValue);
        Assert.Equal(0UL, VmTestKit.Run(program, heapSize: 1024, machine: machine).ReturnValue);
        VmResult outside = VmTestKit.Run(program, heapSize: 1020, machine: machine);
        Assert.Equal(VmExitKind.MemoryFault, outside.Kind);
        Assert.Equal(VmMemoryMap.Heap + 1016, outside.FaultAddress);
    }

    [Fact]
    public void The_stack_frame_ends_at_r10_and_a_callee_frame_is_gone_after_return()
    {
        VmResult atTop = VmTestKit.Run(VmTestKit.Load("stb [%r10], 0\nexit"));
        Assert.Equal(VmExitKind.MemoryFault, atTop.Kind);
        Assert.Equal(VmMemoryMap.Stack + VmLimits.StackFrameSize, atTop.FaultAddress);

        // The callee leaves its r10 in r0; after the return the caller cannot reach that frame any more.
        VmProgram program = VmTestKit.Load("""
            call local f
            ldxb %r1, [%r0-1]
            exit
            f:
            stb [%r10-1], 7
            mov %r0, %r10
            exit
            """);
        VmResult result = VmTestKit.Run(program);
        Assert.Equal(VmExitKind.MemoryFault, result.Kind);
        Assert.Equal(VmMemoryMap.Stack + 2 * VmLimits.StackFrameSize - 1, result.FaultAddress);
        Assert.Equal(1, result.InstructionIndex);
    }

    [Fact]
    public void The_whole_frame_below_r10_is_usable_and_the_byte_below_it_faults()
    {
        VmProgram program = VmTestKit.Load("stdw [%r10-4096], 5\nldxdw %r0, [%r10-4096]\nexit");
        Assert.Equal(5UL, VmTestKit.Run(program).ReturnValue);

        // One byte below the first frame is the last byte of the region before the stack, which is not mapped there.
        VmResult below = VmTestKit.Run(VmTestKit.Load("stb [%r10-4097], 1\nexit"));
        Assert.Equal(VmExitKind.MemoryFault, below.Kind);
        Assert.Equal(VmMemoryMap.Stack - 1, below.FaultAddress);

        // Straddling the top of the frame is caught too.
        VmResult straddle = VmTestKit.Run(VmTestKit.Load("ldxdw %r0, [%r10-4]\nexit"));
        Assert.Equal(VmExitKind.MemoryFault, straddle.Kind);
        Assert.Equal(VmMemoryMap.Stack + VmLimits.StackFrameSize - 4, straddle.FaultAddress);
    }

    [Fact]
    public void A_deeper_frame_written_by_one_run_is_zero_in_the_next()
    {
        // The callee returns what it finds in its frame, then writes there.
        VmProgram program = VmTestKit.Load("""
            call local f
            exit
            f:
            ldxdw %r0, [%r10-8]
            stdw [%r10-8], 99
            exit
            """);
        var machine = new VmMachine();
        Assert.Equal(0UL, VmTestKit.Run(program, machine: machine).ReturnValue);
        Assert.Equal(0UL, VmTestKit.Run(program, machine: machine).ReturnValue);
    }

    [Fact]
    public void Addresses_wrap_at_64_bits_into_unmapped_memory_instead_of_reaching_another_region()
    {
        VmResult result = VmTestKit.Run(VmTestKit.Load("mov %r6, -16\nstb [%r6+16], 0\nexit"));
        Assert.Equal(VmExitKind.MemoryFault, result.Kind);
        Assert.Equal(0UL, result.FaultAddress);

        VmResult high = VmTestKit.Run(VmTestKit.Load($"lddw %r1, 0x{(7UL << 32) + 8:x}\nldxb %r0, [%r1]\nexit"));
        Assert.Equal(VmExitKind.MemoryFault, high.Kind);
        Assert.Equal((7UL << 32) + 8, high.FaultAddress);
    }

    [Fact]
    public void A_helper_given_a_bad_pointer_faults_with_that_address()
    {
        var helpers = new VmHelperCatalog().Add(1, "memfrob", 1);
        VmProgram program = VmTestKit.Load($"lddw %r1, 0x{VmMemoryMap.ReturnData + 3:x}\nmov %r2, 4\ncall 1\nexit", helpers);
        VmResult result = VmTestKit.Run(program);
        Assert.Equal(VmExitKind.HelperFault, result.Kind);
        Assert.Equal(VmMemoryMap.ReturnData + 3, result.FaultAddress);
        Assert.Equal(3, result.InstructionIndex);
    }

    [Fact]
    public void Return_data_set_by_the_host_is_readable_but_not_writable()
    {
        VmProgram program = VmTestKit.Load($"lddw %r1, 0x{VmMemoryMap.ReturnData:x}\nldxb %r0, [%r1+1]\nexit");
        var machine = new VmMachine();
        machine.Start(program, []);
        machine.SetReturnData([4, 5, 6]);
        var host = new Conformance.UbpfTestHelpers();
        Assert.Equal(5UL, machine.Run(ref host, 10_000).ReturnValue);
        Assert.False(machine.TryWrite(VmMemoryMap.ReturnData, 1, out _));
    }
}
