using NexusFast.Engine.Tests.Support;

namespace NexusFast.Engine.Tests.Vm.Conformance;

public enum VerdictKind { Pass, Skip, Fail }

public readonly record struct Verdict(VerdictKind Kind, string Detail);

/// <summary>The case files of both suites, the checked-in skip list, and the rule that decides each case.</summary>
public static class ConformanceSuite
{
    public const string Positive = "bpf_conformance/tests";
    public const string Negative = "bpf_conformance/negative";
    public const string Ubpf = "ubpf/tests";

    private static readonly Lazy<Dictionary<string, string>> s_skipList = new(LoadSkipList);

    public static string Root => SharedData.PathOf("conformance", "ebpf");

    public static IReadOnlyDictionary<string, string> SkipList => s_skipList.Value;

    /// <summary>Paths relative to <see cref="Root"/>, with forward slashes, sorted.</summary>
    public static string[] Cases(string folder) =>
        [.. Directory.EnumerateFiles(Path.Combine(Root, folder), "*.data", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> Data(string folder)
    {
        var data = new TheoryData<string>();
        foreach (string path in Cases(folder)) data.Add(path);
        return data;
    }

    public static Verdict Evaluate(string relative)
    {
        string path = Path.Combine(Root, relative);
        ConformanceCase? testCase = TryLoad(path);
        if (testCase is { IsEncodingOnly: true })
        {
            bool same = testCase.RawCode().AsSpan().SequenceEqual(BpfAssembler.Assemble(testCase.Asm!));
            return new Verdict(same ? VerdictKind.Pass : VerdictKind.Fail, "encoding only: assembled asm " + (same ? "equals" : "differs from") + " raw");
        }
        ConformanceOutcome outcome = ConformanceRunner.Run(path);
        bool ok = relative.StartsWith(Negative + "/", StringComparison.Ordinal)
            ? IsRefused(relative, path, outcome)
            : ConformanceRunner.Passes(path, outcome);
        string describe = outcome.Ran
            ? $"ran: {outcome.Result.Kind}, r0=0x{outcome.Result.ReturnValue:x}, slot {outcome.Result.InstructionIndex}, address 0x{outcome.Result.FaultAddress:x}"
            : $"refused at {outcome.Stage}: {outcome.Refusal}";

        if (SkipList.TryGetValue(relative, out string? reason))
        {
            return ok
                ? new Verdict(VerdictKind.Fail, $"listed as skipped ({reason}) but behaves as its file expects; remove it from skip-list.txt")
                : new Verdict(VerdictKind.Skip, $"{reason} [{describe}]");
        }
        return new Verdict(ok ? VerdictKind.Pass : VerdictKind.Fail, describe);
    }

    /// <summary>
    /// A negative case must not pass. The "unused field" cases must be refused by the verifier itself (RFC 9669
    /// section 3); the others test the tooling: the assembler refuses them, or (incorrect_return_value_high_bits) the
    /// program runs and the deliberately wrong expected r0 does not match.
    /// </summary>
    private static bool IsRefused(string relative, string path, ConformanceOutcome outcome)
    {
        if (Path.GetFileName(relative).StartsWith("unused-", StringComparison.Ordinal)) return outcome.Stage == ConformanceStage.Load;
        if (!outcome.Returned) return true;
        // It ran to the end: refused only in the sense that its expected r0 (if it names one) does not match.
        ConformanceCase testCase = ConformanceCase.Load(path);
        return testCase.HasResult && outcome.Result.ReturnValue != testCase.Result;
    }

    private static ConformanceCase? TryLoad(string path)
    {
        try
        {
            return ConformanceCase.Load(path);
        }
        catch (FormatException)
        {
            return null;  // the runner reports the same parse failure as its outcome
        }
    }

    private static Dictionary<string, string> LoadSkipList()
    {
        var list = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Vm", "Conformance", "skip-list.txt")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int bar = line.IndexOf('|');
            if (bar < 0) throw new FormatException($"skip-list.txt: '{line}' has no '|' before its reason");
            list.Add(line[..bar].Trim(), line[(bar + 1)..].Trim());
        }
        return list;
    }
}
