using System.Buffers.Binary;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Vm.Elf;

/// <summary>
/// Seeded mutations of real objects (bit flips, truncations, extensions, corrupted header, section, symbol and
/// relocation fields): the loader either loads the result or throws <see cref="ElfLoadException"/>; nothing else may
/// escape. What loads then goes through the verifier (which may refuse it with <see cref="VmVerificationException"/>)
/// and, if accepted, runs under a gas limit, which must end it with a <see cref="VmResult"/>. A failure prints the seed
/// and the mutation, which replay it.
/// </summary>
public sealed class ElfFuzzTests(ITestOutputHelper output)
{
    private const int MutationsPerObject = 4000;

    public static TheoryData<string, string, int> Objects => new()
    {
        { "tests/Engine.Tests/Vm/Elf/Programs/layout.c", "", 1 },
        { "tests/Engine.Tests/Vm/Elf/Programs/layout.c", "-g", 2 },
        { "tests/Engine.Tests/Vm/Differential/Programs/switch.c", "-mcpu=v3", 3 },
        { "contracts/counter.c", "", 4 },
    };

    [ClangTheory]
    [MemberData(nameof(Objects))]
    public void Mutated_objects_are_loaded_or_rejected_with_ElfLoadException_and_nothing_else(string source, string flags, int seed)
    {
        string path = RepositoryPaths.PathOf(source.Split('/'));
        byte[] original = File.ReadAllBytes(CCompiler.CompileBpf(path, flags.Length == 0 ? [] : [flags]));
        var resolver = new AnyNameResolver();
        var machine = new VmMachine();
        var host = new ZeroHost();
        var outcomes = new Dictionary<string, int>();

        for (int i = 0; i < MutationsPerObject; i++)
        {
            var random = new Random(seed * 1_000_003 + i);
            (byte[] mutated, string mutation) = Mutate(original, random);
            string outcome;
            try
            {
                ElfProgram program = ElfLoader.Load(mutated, resolver);
                Assert.Equal(0, program.Code.Length % 8);
                Assert.True(program.Code.Length > 0);
                outcome = VerifyAndRun(program, machine, ref host, random);
            }
            catch (ElfLoadException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                outcome = e.Error.ToString();
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, mutation {i} ({mutation}): {e.GetType().Name} escaped the loader, verifier or interpreter: {e}");
                throw;
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine($"{source} {flags}: " + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        // The mutations reach deep into the file: many are rejected, for more than a handful of distinct reasons.
        Assert.True(outcomes.Count >= 8, "too few distinct outcomes: " + string.Join(", ", outcomes));
    }

    /// <summary>Verifies from a random function (or instruction 0) and runs with a small gas limit.</summary>
    private static string VerifyAndRun(ElfProgram program, VmMachine machine, ref ZeroHost host, Random random)
    {
        int entry = program.Functions.Count == 0 ? 0 : program.Functions[random.Next(program.Functions.Count)].InstructionIndex;
        VmProgram vm;
        try
        {
            vm = VmProgram.Load(program.Code.Span, program.ReadOnlyData.Span, program.WritableData.Span, program.BssSize, entry, AnyNameResolver.Catalog);
        }
        catch (VmVerificationException)
        {
            return "loaded, refused by the verifier";
        }
        machine.Start(vm, new byte[64], heapSize: 1024);
        VmResult result = machine.Run(ref host, 200_000);
        return $"loaded, ran: {result.Kind}";
    }

    private static (byte[] Bytes, string Mutation) Mutate(byte[] original, Random random)
    {
        var editor = new ElfObjectEditor((byte[])original.Clone());
        byte[] bytes = editor.Bytes;
        switch (random.Next(6))
        {
            case 0:
            {
                int flips = random.Next(1, 9);
                for (int i = 0; i < flips; i++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return (bytes, $"{flips} bit flips");
            }
            case 1:
            {
                int length = random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length}");
            }
            case 2:
            {
                int extra = random.Next(1, 64);
                byte[] longer = new byte[bytes.Length + extra];
                bytes.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(bytes.Length));
                return (longer, $"extended by {extra}");
            }
            case 3:
            {
                // A field of a section header: name, type, flags, offset, size, link, info, alignment, entry size.
                int section = random.Next(editor.SectionCount);
                int[] fields = [0, 4, 8, 24, 32, 40, 44, 48, 56];
                int at = editor.SectionHeaderAt(section) + fields[random.Next(fields.Length)];
                WriteInteresting(bytes, at, random);
                return (bytes, $"section {section} header byte {at}");
            }
            case 4:
            {
                // A field of the ELF header past the identification, or of a symbol.
                int at = random.Next(2) == 0
                    ? 16 + 2 * random.Next(24)
                    : editor.SectionOffset(editor.SymbolTableIndex) + random.Next(editor.SectionSize(editor.SymbolTableIndex) / 2) * 2;
                WriteInteresting(bytes, at, random);
                return (bytes, $"header or symbol byte {at}");
            }
            default:
            {
                // A relocation's offset, type or symbol, or an instruction's immediate.
                int[] rels = Enumerable.Range(0, editor.SectionCount).Where(s => editor.SectionType(s) == 9 && editor.SectionSize(s) > 0).ToArray();
                int rel = rels[random.Next(rels.Length)];
                int at = editor.SectionOffset(rel) + random.Next(editor.SectionSize(rel) / 4) * 4;
                WriteInteresting(bytes, at, random);
                return (bytes, $"relocation byte {at} of section {rel}");
            }
        }
    }

    /// <summary>Writes a value at a boundary (0, 1, -1, sign bits, the file length, near the limits) or a random one.</summary>
    private static void WriteInteresting(byte[] bytes, int at, Random random)
    {
        ulong[] values = [0, 1, 7, 8, 16, 0xff, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, (ulong)bytes.Length,
            (ulong)bytes.Length - 1, 1UL << 32, 1UL << 40, long.MaxValue, ulong.MaxValue, ulong.MaxValue - 7];
        ulong value = random.Next(3) == 0 ? (ulong)random.NextInt64() : values[random.Next(values.Length)];
        int width = Math.Min(random.Next(2) == 0 ? 8 : 4, bytes.Length - at);
        if (width == 8) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), value);
        else if (width >= 4) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)value);
        else if (width > 0) bytes[at] = (byte)value;
    }

    /// <summary>
    /// Gives most extern names an id (1-64, by length), so that mutations that rename symbols still reach the
    /// relocation code; the catalog knows every such id, so the verifier accepts the calls.
    /// </summary>
    private sealed class AnyNameResolver : IHostFunctionResolver
    {
        public static VmHelperCatalog Catalog { get; } = CreateCatalog();

        public bool TryResolve(string name, out int id)
        {
            id = 1 + name.Length % 64;
            return name.Length % 5 != 0;
        }

        private static VmHelperCatalog CreateCatalog()
        {
            var catalog = new VmHelperCatalog();
            for (uint id = 1; id <= 64; id++) catalog.Add(id, $"helper_{id}", 10);
            return catalog;
        }
    }

    /// <summary>Every host function returns 0 and lets the program go on.</summary>
    private struct ZeroHost : IVmHost
    {
        public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine)
        {
            machine.Registers[0] = 0;
            return VmHelperOutcome.Continue;
        }
    }
}
