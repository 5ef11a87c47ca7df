using System.Globalization;
using System.Text;
using NexusFast.Engine.Tests.Support;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Vm.Conformance;

/// <summary>The bpf_conformance and uBPF suites (../shared/conformance/ebpf) run through our assembler, verifier and
/// interpreter. Skipped cases are listed with their reasons in skip-list.txt and reported as SKIP.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    public static TheoryData<string> PositiveCases => ConformanceSuite.Data(ConformanceSuite.Positive);

    public static TheoryData<string> NegativeCases => ConformanceSuite.Data(ConformanceSuite.Negative);

    public static TheoryData<string> UbpfCases => ConformanceSuite.Data(ConformanceSuite.Ubpf);

    [Theory]
    [MemberData(nameof(PositiveCases))]
    public void Bpf_conformance_case_gives_its_expected_result(string file) => Check(file);

    [Theory]
    [MemberData(nameof(NegativeCases))]
    public void Bpf_conformance_negative_case_is_refused(string file) => Check(file);

    [Theory]
    [MemberData(nameof(UbpfCases))]
    public void Ubpf_case_behaves_as_its_file_says(string file) => Check(file);

    [Theory]
    [MemberData(nameof(PositiveCases))]
    public void Assembler_output_matches_the_manifest_bytecode(string file)
    {
        string expected = ManifestBytecode()[file["bpf_conformance/".Length..]];
        ConformanceCase testCase = ConformanceCase.Load(Path.Combine(ConformanceSuite.Root, file));
        byte[] code = BpfAssembler.Assemble(testCase.Asm!);
        Assert.Equal(expected, HexSlots(code));
    }

    /// <summary>uBPF's encoding cases (and lddw.data) pair asm with raw; the two must agree.</summary>
    [Fact]
    public void Assembler_output_matches_every_raw_section()
    {
        int checkedCount = 0;
        foreach (string folder in new[] { ConformanceSuite.Positive, ConformanceSuite.Ubpf })
        {
            foreach (string file in ConformanceSuite.Cases(folder))
            {
                ConformanceCase testCase = ConformanceCase.Load(Path.Combine(ConformanceSuite.Root, file));
                if (!testCase.HasRaw || testCase.Asm is null) continue;
                Assert.True(HexSlots(testCase.RawCode()) == HexSlots(BpfAssembler.Assemble(testCase.Asm)), file);
                checkedCount++;
            }
        }
        output.WriteLine($"{checkedCount} files with both asm and raw agree");
        Assert.True(checkedCount >= 7, $"expected the 6 uBPF encoding files and lddw.data, found {checkedCount}");
    }

    [Fact]
    public void Every_case_passes_or_is_skipped_with_a_reason()
    {
        var failures = new StringBuilder();
        var seenSkips = new HashSet<string>(StringComparer.Ordinal);
        foreach (string folder in new[] { ConformanceSuite.Positive, ConformanceSuite.Negative, ConformanceSuite.Ubpf })
        {
            int pass = 0, skip = 0, fail = 0;
            foreach (string file in ConformanceSuite.Cases(folder))
            {
                Verdict verdict = ConformanceSuite.Evaluate(file);
                switch (verdict.Kind)
                {
                    case VerdictKind.Pass: pass++; break;
                    case VerdictKind.Skip: skip++; seenSkips.Add(file); break;
                    default: fail++; failures.AppendLine(CultureInfo.InvariantCulture, $"FAIL {file}: {verdict.Detail}"); break;
                }
            }
            output.WriteLine($"{folder}: {pass} passed, {skip} skipped, {fail} failed");
        }
        foreach ((string file, string reason) in ConformanceSuite.SkipList)
        {
            output.WriteLine($"SKIP {file}: {reason}");
            if (!seenSkips.Contains(file)) failures.AppendLine(CultureInfo.InvariantCulture, $"skip-list.txt names {file}, which is not a case");
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private void Check(string file)
    {
        Verdict verdict = ConformanceSuite.Evaluate(file);
        output.WriteLine($"{verdict.Kind.ToString().ToUpperInvariant()} {file}: {verdict.Detail}");
        Assert.True(verdict.Kind != VerdictKind.Fail, verdict.Detail);
    }

    private static Dictionary<string, string> ManifestBytecode()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] lines = File.ReadAllLines(SharedData.PathOf("conformance", "ebpf", "bpf_conformance-manifest.tsv"));
        string[] header = lines[0].Split('\t');
        int fileColumn = Array.IndexOf(header, "file"), bytecodeColumn = Array.IndexOf(header, "bytecode_hex");
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split('\t');
            map[cells[fileColumn]] = cells[bytecodeColumn];
        }
        return map;
    }

    private static string HexSlots(byte[] code) =>
        string.Join(' ', code.Chunk(8).Select(slot => Convert.ToHexStringLower(slot)));
}
