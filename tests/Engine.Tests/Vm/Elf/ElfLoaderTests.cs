using System.Buffers.Binary;
using System.Text;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Tests.Vm.Elf;

/// <summary>
/// The loader on real clang-14 objects: its instruction stream against llvm-objdump's listing of the same object, and
/// every relocation followed to what it must point at.
/// </summary>
public sealed class ElfLoaderTests
{
    internal const int HostOneId = 101;
    internal const int HostTwoId = 102;

    internal static readonly HostFunctionTable TestHosts = new([new("host_one", HostOneId), new("host_two", HostTwoId)]);

    internal static string LayoutSource => RepositoryPaths.PathOf("tests", "Engine.Tests", "Vm", "Elf", "Programs", "layout.c");

    public static TheoryData<string, string> Objects => new()
    {
        { "layout.c", "" },
        { "layout.c", "-g" },
        { "layout.c", "-mcpu=v3" },
        { "layout.c", "-ffunction-sections -fdata-sections" }, // a section per function and per variable
        { "../../Differential/Programs/arith.c", "-O0" },         // stack-heavy code, many local calls
        { "../../../../../contracts/counter.c", "" },
    };

    [ObjdumpTheory]
    [MemberData(nameof(Objects))]
    public void Every_instruction_is_the_one_llvm_objdump_lists_except_relocated_immediates(string source, string flags)
    {
        string path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(LayoutSource)!, source));
        string objectPath = CCompiler.CompileBpf(path, flags.Length == 0 ? [] : [flags]);
        ElfProgram program = ElfLoader.Load(File.ReadAllBytes(objectPath), new CombinedHosts());
        ObjdumpListing listing = ObjdumpListing.Of(objectPath);

        Assert.Equal(listing.Sections.Select(s => s.Section), program.CodeSections.Select(s => s.Name));
        int total = 0;
        foreach ((string name, List<ObjdumpInstruction> instructions) in listing.Sections)
        {
            bool secondSlotOfRelocatedLddw = false;
            ElfCodeSection section = program.CodeSections.Single(s => s.Name == name);
            Assert.Equal(instructions.Count, section.InstructionCount);
            foreach (ObjdumpInstruction expected in instructions)
            {
                ReadOnlySpan<byte> actual = Slot(program, section.FirstInstruction + expected.Index);
                if (expected.RelocationType is null && !secondSlotOfRelocatedLddw)
                {
                    Assert.True(actual.SequenceEqual(expected.Bytes), $"{name} instruction {expected.Index} changed");
                }
                else
                {
                    // Only the immediate (and for calls the source register) may change at a relocation site.
                    Assert.Equal(expected.Bytes[0], actual[0]);
                    Assert.Equal(expected.Bytes[1] & 0x0f, actual[1] & 0x0f);
                    Assert.True(actual[2..4].SequenceEqual(expected.Bytes.AsSpan(2, 2)), $"{name} instruction {expected.Index}: offset changed");
                }
                // The second slot of a relocated lddw carries the upper half of the address.
                secondSlotOfRelocatedLddw = expected.RelocationType == "R_BPF_64_64";
            }
            total += instructions.Count;
        }
        Assert.Equal(total, program.InstructionCount);
    }

    [ClangFact]
    public void Lddw_immediates_point_at_the_named_read_only_data()
    {
        ElfProgram program = LoadLayout();

        Assert.Equal("hello, rodata\0", Encoding.ASCII.GetString(Read(program, AddressLoadedBy(program, "greeting_address"), 14)));
        Assert.Equal("a static string\0", Encoding.ASCII.GetString(Read(program, AddressLoadedBy(program, "message_address"), 16)));

        ulong names = AddressLoadedBy(program, "names_address");
        Assert.Equal(VmMemoryMap.ReadOnlyData, names & ~0xffff_ffffUL);
        string[] expected = ["alpha", "beta", "gamma"];
        for (int i = 0; i < expected.Length; i++)
        {
            // R_BPF_64_ABS64 in .rodata: each table entry is the absolute address of its string.
            ulong pointer = BinaryPrimitives.ReadUInt64LittleEndian(Read(program, names + (ulong)(8 * i), 8));
            Assert.Equal(expected[i] + "\0", Encoding.ASCII.GetString(Read(program, pointer, expected[i].Length + 1)));
        }
    }

    [ClangFact]
    public void Lddw_immediates_point_at_the_named_writable_data_and_bss()
    {
        ElfProgram program = LoadLayout();

        ulong counter = AddressLoadedBy(program, "counter_address");
        Assert.Equal(VmMemoryMap.Data, counter & ~0xffff_ffffUL);
        Assert.Equal(0x12345678u, BinaryPrimitives.ReadUInt32LittleEndian(Read(program, counter, 4)));

        ulong mutableNames = AddressLoadedBy(program, "mutable_names_address");
        string[] expected = ["delta", "epsilon"];
        for (int i = 0; i < expected.Length; i++)
        {
            ulong pointer = BinaryPrimitives.ReadUInt64LittleEndian(Read(program, mutableNames + (ulong)(8 * i), 8));
            Assert.Equal(expected[i] + "\0", Encoding.ASCII.GetString(Read(program, pointer, expected[i].Length + 1)));
        }

        ulong alignedData = AddressLoadedBy(program, "aligned_data_address");
        Assert.Equal(0UL, alignedData % 32);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(7 + i, BinaryPrimitives.ReadInt64LittleEndian(Read(program, alignedData + (ulong)(8 * i), 8)));
        }

        ulong zeros = AddressLoadedBy(program, "zeros_address");
        ulong bssStart = VmMemoryMap.Data + (ulong)program.WritableData.Length;
        Assert.InRange(zeros, bssStart, bssStart + (ulong)program.BssSize - 16 * 8);
        ulong staticZeros = AddressLoadedBy(program, "static_zeros_address");
        Assert.InRange(staticZeros, bssStart, bssStart + (ulong)program.BssSize - 16 * 8);
        ulong alignedZeros = AddressLoadedBy(program, "aligned_zeros_address");
        Assert.Equal(0UL, alignedZeros % 64);
        Assert.InRange(alignedZeros, bssStart, bssStart + (ulong)program.BssSize - 8 * 8);
        (ulong Start, ulong End)[] arrays = [(zeros, zeros + 128), (staticZeros, staticZeros + 128), (alignedZeros, alignedZeros + 64)];
        foreach (var a in arrays)
        {
            Assert.Equal(1, arrays.Count(b => b.Start < a.End && a.Start < b.End)); // each overlaps only itself
        }
    }

    [ObjdumpFact]
    public void Calls_become_local_calls_to_the_named_function_or_helper_calls_with_the_resolved_id()
    {
        string objectPath = CCompiler.CompileBpf(LayoutSource);
        ElfProgram program = ElfLoader.Load(File.ReadAllBytes(objectPath), TestHosts);
        ObjdumpListing listing = ObjdumpListing.Of(objectPath);
        (string name, List<ObjdumpInstruction> instructions) = listing.Sections.Single(s => s.Section == "entry_section");
        int first = program.CodeSections.Single(s => s.Name == name).FirstInstruction;

        var seen = new List<string>();
        foreach (ObjdumpInstruction call in instructions.Where(i => i.RelocationType == "R_BPF_64_32"))
        {
            ReadOnlySpan<byte> slot = Slot(program, first + call.Index);
            int source = slot[1] >> 4;
            int immediate = BinaryPrimitives.ReadInt32LittleEndian(slot[4..]);
            switch (call.RelocationSymbol)
            {
                case "host_one" or "host_two":
                    Assert.Equal(0, source);
                    Assert.Equal(call.RelocationSymbol == "host_one" ? HostOneId : HostTwoId, immediate);
                    break;
                default:
                    // A section symbol stands for the static function of that section the source calls.
                    string callee = call.RelocationSymbol switch
                    {
                        ".text" => "static_helper",
                        "helpers" => "static_in_other_section",
                        _ => call.RelocationSymbol!,
                    };
                    Assert.True(program.TryGetFunction(callee, out ElfFunction function), callee);
                    Assert.Equal(1, source);
                    Assert.Equal(function.InstructionIndex, first + call.Index + 1 + immediate);
                    break;
            }
            seen.Add(call.RelocationSymbol!);
        }
        Assert.Equal(["host_one", "host_two", ".text", "global_in_other_section", "helpers"], seen);
    }

    [ClangFact]
    public void Function_symbols_give_their_instruction_index_size_binding_and_section()
    {
        ElfProgram program = LoadLayout();

        Assert.True(program.TryGetFunction("entry", out ElfFunction entry));
        Assert.Equal(("entry_section", true), (entry.SectionName, entry.IsGlobal));
        Assert.Equal(program.CodeSections.Single(s => s.Name == "entry_section").FirstInstruction, entry.InstructionIndex);
        Assert.Equal(program.CodeSections.Single(s => s.Name == "entry_section").InstructionCount, entry.InstructionCount);

        Assert.True(program.TryGetFunction("static_helper", out ElfFunction helper));
        Assert.False(helper.IsGlobal);
        Assert.True(program.TryGetFunction("global_in_other_section", out ElfFunction other));
        Assert.Equal("helpers", other.SectionName);
        Assert.False(program.TryGetFunction("greeting", out _));
        Assert.False(program.TryGetFunction("host_one", out _));

        // Every function's last instruction is an exit (0x95): the symbol sizes line up with the instruction stream.
        foreach (ElfFunction function in program.Functions)
        {
            Assert.Equal(0x95, Slot(program, function.InstructionIndex + function.InstructionCount - 1)[0]);
        }
    }

    [ClangFact]
    public void A_call_to_an_extern_the_resolver_does_not_know_is_rejected_with_its_name()
    {
        byte[] bytes = File.ReadAllBytes(CCompiler.CompileBpf(LayoutSource));
        var onlyOne = new HostFunctionTable([new("host_one", HostOneId)]);

        ElfLoadException e = Assert.Throws<ElfLoadException>(() => ElfLoader.Load(bytes, onlyOne));
        Assert.Equal(ElfLoadError.UnknownHostFunction, e.Error);
        Assert.Contains("'host_two'", e.Message);
    }

    [ClangFact]
    public void A_vm_program_needs_an_entry_function_the_object_defines()
    {
        var helpers = new VmHelperCatalog().Add(HostOneId, "host_one", 10).Add(HostTwoId, "host_two", 10);
        ElfProgram program = ElfLoader.Load(File.ReadAllBytes(CCompiler.CompileBpf(LayoutSource)), new HelperCatalogResolver(helpers));

        ElfLoadException e = Assert.Throws<ElfLoadException>(() => program.CreateVmProgram("nexus_call", helpers));
        Assert.Contains("'nexus_call'", e.Message);
        Assert.Equal(program.InstructionCount, program.CreateVmProgram("entry", helpers).InstructionSlots);
    }

    [ClangFact]
    public void Loading_twice_gives_identical_programs_and_leaves_the_input_unchanged()
    {
        byte[] bytes = File.ReadAllBytes(CCompiler.CompileBpf(LayoutSource));
        byte[] copy = (byte[])bytes.Clone();

        ElfProgram a = ElfLoader.Load(bytes, TestHosts);
        ElfProgram b = ElfLoader.Load(bytes, TestHosts);

        Assert.Equal(copy, bytes);
        Assert.True(a.Code.Span.SequenceEqual(b.Code.Span));
        Assert.True(a.ReadOnlyData.Span.SequenceEqual(b.ReadOnlyData.Span));
        Assert.True(a.WritableData.Span.SequenceEqual(b.WritableData.Span));
        Assert.Equal(a.BssSize, b.BssSize);
    }

    internal static ElfProgram LoadLayout() => ElfLoader.Load(File.ReadAllBytes(CCompiler.CompileBpf(LayoutSource)), TestHosts);

    private static ReadOnlySpan<byte> Slot(ElfProgram program, int index) => program.Code.Span.Slice(index * 8, 8);

    /// <summary>The address in the lddw of an accessor like <c>const char *greeting_address(void) { return greeting; }</c>.</summary>
    private static ulong AddressLoadedBy(ElfProgram program, string function)
    {
        Assert.True(program.TryGetFunction(function, out ElfFunction f), function);
        ReadOnlySpan<byte> code = program.Code.Span;
        int at = f.InstructionIndex * 8;
        Assert.Equal(0x18, code[at]);
        return BinaryPrimitives.ReadUInt32LittleEndian(code[(at + 4)..]) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(code[(at + 12)..]) << 32);
    }

    /// <summary>Reads the program's memory as the VM will map it; .bss reads as zeros.</summary>
    private static byte[] Read(ElfProgram program, ulong address, int length)
    {
        ulong region = address & ~0xffff_ffffUL;
        int offset = (int)(address & 0xffff_ffff);
        if (region == VmMemoryMap.ReadOnlyData)
        {
            Assert.InRange(offset + length, 0, program.ReadOnlyData.Length);
            return program.ReadOnlyData.Slice(offset, length).ToArray();
        }
        Assert.Equal(VmMemoryMap.Data, region);
        Assert.InRange(offset + length, 0, program.WritableRegionSize);
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = offset + i < program.WritableData.Length ? program.WritableData.Span[offset + i] : (byte)0;
        }
        return bytes;
    }

    /// <summary>The test's extern functions and the SDK's host functions, for objects that call either.</summary>
    private sealed class CombinedHosts : IHostFunctionResolver
    {
        public bool TryResolve(string name, out int id) =>
            TestHosts.TryResolve(name, out id) || HostFunctionNames.Table.TryResolve(name, out id);
    }
}
