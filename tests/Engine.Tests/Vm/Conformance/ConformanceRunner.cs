using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm.Conformance;

public enum ConformanceStage { Parse, Assemble, Load, Run }

/// <summary>What happened to one case: the stage it reached, the run's result when it ran, and any refusal's text.</summary>
public sealed record ConformanceOutcome(ConformanceStage Stage, VmResult Result, string? Refusal)
{
    public bool Ran => Stage == ConformanceStage.Run;

    public bool Returned => Ran && Result.Succeeded;
}

/// <summary>
/// Runs one case the way ../shared/conformance/ebpf/README.md describes: the <c>mem</c> bytes go into a writable
/// buffer (this VM's heap) with r1 = its address and r2 = its length (both 0 without mem), r10 = the top of the first
/// stack frame, and a gas budget far above anything a valid case needs, so a broken jump cannot hang the suite.
/// </summary>
public static class ConformanceRunner
{
    public const long GasBudget = 10_000_000;

    private static readonly VmHelperCatalog s_helpers = UbpfTestHelpers.Catalog();

    [ThreadStatic] private static VmMachine? t_machine;

    public static ConformanceOutcome Run(string path)
    {
        ConformanceCase testCase;
        try
        {
            testCase = ConformanceCase.Load(path);
        }
        catch (FormatException e)
        {
            return new ConformanceOutcome(ConformanceStage.Parse, default, e.Message);
        }

        byte[] code;
        try
        {
            code = testCase.Code();
        }
        catch (Exception e) when (e is BpfAssemblyException or FormatException)
        {
            return new ConformanceOutcome(ConformanceStage.Assemble, default, e.Message);
        }

        VmProgram program;
        try
        {
            program = VmProgram.Load(code, [], [], 0, 0, s_helpers);
        }
        catch (VmVerificationException e)
        {
            return new ConformanceOutcome(ConformanceStage.Load, default, e.Message);
        }

        byte[] memory = testCase.Memory;
        VmMachine machine = t_machine ??= new VmMachine();
        machine.Start(program, [], heapSize: memory.Length);
        memory.CopyTo(machine.Heap);
        machine.Registers[1] = memory.Length == 0 ? 0 : VmMemoryMap.Heap;
        machine.Registers[2] = (ulong)memory.Length;
        var host = new UbpfTestHelpers();
        return new ConformanceOutcome(ConformanceStage.Run, machine.Run(ref host, GasBudget), null);
    }

    /// <summary>Whether the case behaved as its file says: the expected r0, or (for an <c>error</c> case) a refusal or fault.</summary>
    public static bool Passes(string path, ConformanceOutcome outcome)
    {
        ConformanceCase testCase;
        try
        {
            testCase = ConformanceCase.Load(path);
        }
        catch (FormatException)
        {
            return false;
        }
        if (testCase.ExpectsError) return !outcome.Returned;
        return testCase.HasResult && outcome.Returned && outcome.Result.ReturnValue == testCase.Result;
    }
}
