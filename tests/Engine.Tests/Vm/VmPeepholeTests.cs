using NexusFast.Engine.Tests.Vm.Differential;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Tests.Vm;

/// <summary>
/// VmPeephole's rewrite (strength-reduced division, fused instructions) must be invisible: the same return value,
/// gas, exit kind, stopping instruction and fault address as the code kept as decoded, for every input, including runs
/// that fault inside a fused pair or run out of gas in a block that holds one.
/// </summary>
public sealed class VmPeepholeTests
{
    private static (VmProgram Fast, VmProgram Plain) LoadBoth(string asm)
    {
        byte[] code = Conformance.BpfAssembler.Assemble(asm);
        return (VmProgram.Load(code, [], [], 0, 0, VmTestKit.NoHelpers),
            VmProgram.Load(code, [], [], 0, 0, VmTestKit.NoHelpers, rewrite: false));
    }

    private static VmResult Run(VmProgram program, ulong[] arguments, long gas, VmMachine machine, out ulong[] registers)
    {
        machine.Start(program, [], heapSize: 1024);
        for (int i = 0; i < arguments.Length; i++) machine.Registers[1 + i] = arguments[i];
        var host = new NoHost();
        VmResult result = machine.Run(ref host, gas);
        registers = machine.Registers.ToArray();
        return result;
    }

    private static void AssertSameRun(VmProgram fast, VmProgram plain, ulong[] arguments, long gas)
    {
        var machine = new VmMachine();
        VmResult expected = Run(plain, arguments, gas, machine, out ulong[] expectedRegisters);
        VmResult actual = Run(fast, arguments, gas, machine, out ulong[] actualRegisters);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedRegisters, actualRegisters);
    }

    private static int FusedCount(VmProgram program) => program.Code.Count(i => i.Op >= VmOp.MovAdd64Imm);

    [Fact]
    public void A_store_that_faults_after_a_fused_xor_reports_the_store_with_the_xor_done()
    {
        (VmProgram fast, VmProgram plain) = LoadBoth("""
            mov %r3, 5
            xor %r3, %r2
            stxdw [%r1+8], %r3
            mov %r0, %r3
            exit
            """);
        Assert.Equal(VmOp.Xor64RegThenStx64, fast.Code[1].Op);
        var machine = new VmMachine();
        VmResult faulted = Run(fast, [0, 3], 100, machine, out ulong[] registers);
        Assert.Equal(VmExitKind.MemoryFault, faulted.Kind);
        Assert.Equal(2, faulted.InstructionIndex);
        Assert.Equal(8UL, faulted.FaultAddress);
        Assert.Equal(6UL, registers[3]);
        AssertSameRun(fast, plain, [0, 3], 100);
        AssertSameRun(fast, plain, [VmMemoryMap.Heap, 3], 100);
    }

    [Fact]
    public void A_load_that_faults_at_the_start_of_a_fused_pair_reports_the_load_and_stores_nothing()
    {
        (VmProgram fast, VmProgram plain) = LoadBoth("""
            ldxdw %r2, [%r1+16]
            stxdw [%r10-8], %r2
            ldxdw %r0, [%r10-8]
            exit
            """);
        Assert.Equal(VmOp.Ldx64ThenFrameStx64, fast.Code[0].Op);
        VmResult faulted = Run(fast, [VmMemoryMap.Input], 100, new VmMachine(), out _);
        Assert.Equal(VmExitKind.MemoryFault, faulted.Kind);
        Assert.Equal(0, faulted.InstructionIndex);
        Assert.Equal(VmMemoryMap.Input + 16, faulted.FaultAddress);
        AssertSameRun(fast, plain, [VmMemoryMap.Input], 100);
        AssertSameRun(fast, plain, [VmMemoryMap.Heap], 100);
    }

    [Fact]
    public void Every_gas_limit_stops_a_loop_of_fused_instructions_where_the_plain_code_stops()
    {
        // A loop body of fusable groups: mov+add, lsh 32+rsh 32, mov+lsh 32+rsh 32, a frame load then xor, a division,
        // an add narrowed to 32 bits by the shifts after it.
        (VmProgram fast, VmProgram plain) = LoadBoth("""
            mov %r0, 0
            stxdw [%r10-8], %r1
            loop:
            mov %r4, %r1
            add %r4, 3
            lsh %r4, 32
            rsh %r4, 32
            mov %r5, %r4
            lsh %r5, 32
            rsh %r5, 32
            ldxdw %r6, [%r10-8]
            xor %r0, %r6
            div %r5, 7
            mov %r3, %r5
            mul %r3, %r2
            add %r0, %r3
            lsh %r0, 32
            rsh %r0, 32
            sub %r1, 1
            jne %r1, 0, loop
            exit
            """);
        Assert.Contains(fast.Code, i => i.Op == VmOp.Add64RegThenZeroExtend);
        Assert.True(FusedCount(fast) >= 6, $"expected the loop body to be fused, found {FusedCount(fast)} fused instructions");
        for (long gas = 0; gas < 400; gas++) AssertSameRun(fast, plain, [12, 0x1234_5678_9abc], gas);
        AssertSameRun(fast, plain, [1000, ulong.MaxValue], 1_000_000);
    }

    [Fact]
    public void A_mov_whose_operation_reads_its_own_destination_reads_the_moved_value()
    {
        // mov r0, r1; add r0, r0 is r1 + r1, not r1 + (old r0).
        (VmProgram fast, VmProgram plain) = LoadBoth("""
            mov %r0, 100
            mov %r0, %r1
            add %r0, %r0
            mov %r2, %r1
            lsh %r2, %r2
            add %r0, %r2
            exit
            """);
        Assert.Equal(VmOp.MovAdd64Reg, fast.Code[1].Op);
        VmResult result = Run(fast, [3], 100, new VmMachine(), out _);
        Assert.Equal(3UL + 3 + (3UL << 3), result.ReturnValue);
        AssertSameRun(fast, plain, [3], 100);
    }

    [Fact]
    public void A_jump_into_the_middle_of_a_fusable_pair_runs_the_second_instruction_alone()
    {
        (VmProgram fast, VmProgram plain) = LoadBoth("""
            mov %r0, 7
            jeq %r1, 0, second
            mov %r0, %r1
            second:
            add %r0, 10
            exit
            """);
        AssertSameRun(fast, plain, [0], 100);
        AssertSameRun(fast, plain, [5], 100);
        Assert.Equal(17UL, Run(fast, [0], 100, new VmMachine(), out _).ReturnValue);
        Assert.Equal(15UL, Run(fast, [5], 100, new VmMachine(), out _).ReturnValue);
    }

    public static TheoryData<string, string> Programs => new()
    {
        { "arith", "v1" }, { "arith", "v3" }, { "loops", "v1" }, { "recursion", "v1" }, { "memory", "v1" },
        { "structs", "v3" }, { "switch", "v1" }, { "keccak", "v1" }, { "keccak", "v3" },
    };

    /// <summary>The differential C programs (clang -target bpf) with the rewrite and without it, on the differential
    /// tests' seeded inputs and at gas limits that stop them part-way.</summary>
    [ClangTheory]
    [MemberData(nameof(Programs))]
    public void Compiled_programs_run_alike_with_and_without_the_rewrite(string program, string variant)
    {
        string source = RepositoryPaths.PathOf("tests", "Engine.Tests", "Vm", "Differential", "Programs", program + ".c");
        string objectPath = CCompiler.CompileBpf(source, variant == "v1" ? [] : [$"-mcpu={variant}"]);
        var helpers = new VmHelperCatalog();
        ElfProgram elf = ElfLoader.Load(File.ReadAllBytes(objectPath), new HelperCatalogResolver(helpers));
        Assert.True(elf.TryGetFunction("diff_main", out ElfFunction entry));
        VmProgram fast = VmProgram.Load(elf.Code.Span, elf.ReadOnlyData.Span, elf.WritableData.Span, elf.BssSize, entry.InstructionIndex, helpers);
        VmProgram plain = VmProgram.Load(elf.Code.Span, elf.ReadOnlyData.Span, elf.WritableData.Span, elf.BssSize, entry.InstructionIndex, helpers, rewrite: false);
        Assert.True(FusedCount(fast) > 0, "nothing was rewritten, so the comparison would prove nothing");

        var machine = new VmMachine();
        ulong[][] inputs = DifferentialTests.RandomInputs(seed: program.Length * 31 + variant.Length, count: 120);
        for (int i = 0; i < inputs.Length; i++)
        {
            // Full runs, and runs cut short by gas at a point that moves with the input.
            foreach (long gas in new long[] { 50_000_000, 37 + i * 13 })
            {
                machine.Start(plain, [], heapSize: 0);
                for (int a = 0; a < 4; a++) machine.Registers[1 + a] = inputs[i][a];
                var host = new NoHost();
                VmResult expected = machine.Run(ref host, gas);
                machine.Start(fast, [], heapSize: 0);
                for (int a = 0; a < 4; a++) machine.Registers[1 + a] = inputs[i][a];
                VmResult actual = machine.Run(ref host, gas);
                Assert.True(expected == actual, $"{program}.c ({variant}) input {string.Join(", ", inputs[i])} gas {gas}: plain {expected}, rewritten {actual}");
            }
        }
    }

    private struct NoHost : IVmHost
    {
        public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine) => VmHelperOutcome.Fault;
    }
}
