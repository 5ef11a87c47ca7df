using System.Globalization;
using System.Text;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Tests.Vm.Differential;

/// <summary>
/// The same C program compiled by clang-14 for BPF and run in our VM (through the ELF loader and the verifier) and
/// compiled by gcc -O2 and run natively must give the same result for the same seeded random inputs. Each program is
/// built three times for BPF: for the default CPU (v1: 64-bit ALU and jumps only), for -mcpu=v3 (32-bit ALU and
/// JMP32), and with a section per function and variable ("sections"), so that every call and data reference crosses
/// sections through a relocation.
/// </summary>
public sealed class DifferentialTests
{
    private const int InputsPerProgram = 300;
    private const long GasPerRun = 50_000_000;

    private static string ProgramsDirectory => RepositoryPaths.PathOf("tests", "Engine.Tests", "Vm", "Differential", "Programs");

    public static TheoryData<string, string> Programs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string program in new[] { "arith", "loops", "recursion", "memory", "structs", "switch", "keccak" })
            {
                data.Add(program, "v1");
                data.Add(program, "v3");
                data.Add(program, "sections");
            }
            // Atomics that return the old value exist only from v3 on.
            data.Add("atomics", "v3");
            return data;
        }
    }

    [ClangTheory]
    [MemberData(nameof(Programs))]
    public void The_VM_running_clang_bpf_output_agrees_with_gcc_native_code(string program, string variant)
    {
        Assert.True(CCompiler.GccAvailable, "gcc is needed for the native side of the differential tests");
        string source = Path.Combine(ProgramsDirectory, program + ".c");
        string[] flags = variant switch
        {
            "v1" => [],
            "sections" => ["-ffunction-sections", "-fdata-sections"],
            _ => [$"-mcpu={variant}"],
        };
        string objectPath = CCompiler.CompileBpf(source, flags);
        string native = CCompiler.CompileNative(source, [Path.Combine(ProgramsDirectory, "native_main.c")]);

        int seed = StableSeed(program);
        ulong[][] inputs = RandomInputs(seed, InputsPerProgram);
        ulong[] expected = RunNative(native, inputs);

        var helpers = new VmHelperCatalog();
        ElfProgram elf = ElfLoader.Load(File.ReadAllBytes(objectPath), new HelperCatalogResolver(helpers));
        VmProgram vm = elf.CreateVmProgram("diff_main", helpers);
        var machine = new VmMachine();
        var host = new NoHostFunctions();
        var mismatches = new List<string>();
        for (int i = 0; i < inputs.Length; i++)
        {
            machine.Start(vm, [], heapSize: 0);
            for (int argument = 0; argument < 4; argument++) machine.Registers[1 + argument] = inputs[i][argument];
            VmResult result = machine.Run(ref host, GasPerRun);
            if (result.Kind != VmExitKind.Returned || result.ReturnValue != expected[i])
            {
                mismatches.Add($"diff_main({string.Join(", ", inputs[i])}): native {expected[i]}, VM {result}");
            }
        }
        Assert.True(mismatches.Count == 0,
            $"{program}.c ({variant}, seed {seed}): {mismatches.Count} of {inputs.Length} inputs differ:\n" + string.Join("\n", mismatches.Take(8)));
    }

    /// <summary>
    /// Inputs mixing edge values of every width (0, ±1, the signed and unsigned extremes) with random numbers of random
    /// bit lengths. The first argument counts up, so every program's operation selector (a % N) takes every value.
    /// </summary>
    internal static ulong[][] RandomInputs(int seed, int count)
    {
        ulong[] edges =
        [
            0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
            0x1_0000_0000, long.MaxValue, 1UL << 63, ulong.MaxValue, ulong.MaxValue - 1,
        ];
        var random = new Random(seed);
        ulong Next() => random.Next(4) switch
        {
            0 => edges[random.Next(edges.Length)],
            1 => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63),
            2 => (ulong)random.NextInt64() >> random.Next(1, 63),
            _ => 0UL - ((ulong)random.NextInt64() >> random.Next(1, 63)),
        };
        var inputs = new ulong[count][];
        for (int i = 0; i < count; i++) inputs[i] = [(ulong)i, Next(), Next(), Next()];
        return inputs;
    }

    private static ulong[] RunNative(string executable, ulong[][] inputs)
    {
        var lines = new StringBuilder();
        foreach (ulong[] input in inputs) lines.AppendLine(string.Join(' ', input));
        string[] output = CCompiler.Run(executable, "", lines.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(inputs.Length, output.Length);
        return output.Select(line => ulong.Parse(line, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A seed from the program's name that is the same in every process (string.GetHashCode is not).</summary>
    private static int StableSeed(string name)
    {
        uint hash = 2166136261;
        foreach (char c in name) hash = (hash ^ c) * 16777619;
        return (int)(hash & 0x7fff_ffff);
    }

    /// <summary>The differential programs call no host function; the verifier already refuses any helper id.</summary>
    private struct NoHostFunctions : IVmHost
    {
        public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine) => VmHelperOutcome.Fault;
    }
}
