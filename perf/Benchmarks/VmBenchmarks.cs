using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Vm;

namespace NexusFast.Benchmarks;

/// <summary>
/// The eBPF interpreter on the workloads (loop sum, recursive fib(30), sieve to 10,000,000), each against the
/// same algorithm compiled by RyuJIT as the baseline, so the Ratio column is the interpreter's slowdown over native
/// managed code. Programs are verified once in setup; each benchmark is one Start + Run on a reused machine, with gas
/// far above need. The native C and Lua comparisons of the issue live in the report, not here.
/// </summary>
[MemoryDiagnoser]
public class VmBenchmarks
{
    private const ulong LoopCount = 10_000_000;
    private const ulong FibArgument = 30;
    private const int SieveSize = 10_000_000;
    private const ulong HelperCallCount = 1_000_000;

    private readonly VmMachine _machine = new();
    private readonly byte[] _composite = new byte[SieveSize];
    private VmProgram _loop = null!, _fib = null!, _sieve = null!, _helperCalls = null!;

    [GlobalSetup]
    public void Setup()
    {
        var helpers = new VmHelperCatalog().Add(1, "identity", 10);
        _loop = VmProgram.Load(VmPrograms.LoopSum(), [], [], 0, 0, helpers);
        _fib = VmProgram.Load(VmPrograms.Fib(), [], [], 0, 0, helpers);
        _sieve = VmProgram.Load(VmPrograms.Sieve(), [], [], 0, 0, helpers);
        _helperCalls = VmProgram.Load(VmPrograms.HelperCalls(), [], [], 0, 0, helpers);
        Check(LoopSum(), LoopSumNative(), "loop sum");
        Check(Fib(), FibNative(), "fib");
        Check(Sieve(), SieveNative(), "sieve");
        Check(HelperCalls(), HelperCallCount * (HelperCallCount + 1) / 2, "helper calls");
    }

    [Benchmark(Baseline = true)]
    public ulong LoopSumNative() => VmPrograms.LoopSumNative(LoopCount);

    [Benchmark]
    public ulong LoopSum() => Run(_loop, LoopCount, heapSize: 0);

    [Benchmark]
    public ulong FibNative() => VmPrograms.FibNative(FibArgument);

    [Benchmark]
    public ulong Fib() => Run(_fib, FibArgument, heapSize: 0);

    [Benchmark]
    public ulong SieveNative() => VmPrograms.SieveNative(SieveSize, _composite);

    [Benchmark]
    public ulong Sieve() => Run(_sieve, SieveSize, heapSize: SieveSize);

    /// <summary>A million host calls in a loop: the cost of crossing into the host, and (MemoryDiagnoser) that it allocates nothing.</summary>
    [Benchmark]
    public ulong HelperCalls() => Run(_helperCalls, HelperCallCount, heapSize: 0);

    private ulong Run(VmProgram program, ulong argument, int heapSize)
    {
        _machine.Start(program, [], heapSize);
        _machine.Registers[1] = argument;
        var host = new IdentityHost();
        VmResult result = _machine.Run(ref host, long.MaxValue);
        if (result.Kind != VmExitKind.Returned) throw new InvalidOperationException($"the VM stopped with {result.Kind} at {result.InstructionIndex}");
        return result.ReturnValue;
    }

    private static void Check(ulong vm, ulong native, string name)
    {
        if (vm != native) throw new InvalidOperationException($"{name}: the VM returned {vm}, native code {native}");
    }

    /// <summary>Host function 1 returns its argument.</summary>
    private struct IdentityHost : IVmHost
    {
        public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine)
        {
            machine.Registers[0] = machine.Registers[1];
            return VmHelperOutcome.Continue;
        }
    }
}
