using System.Diagnostics;
using System.Globalization;
using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.VmCompare;

/// <summary>
/// `NexusFast.VmCompare OBJECT N RUNS`: loads a perf/vm workload (clang-14 -target bpf -O2) and runs its bench_main(n,
/// heap) in the VM RUNS times after one warm-up, printing "checksum median_ns gas" (gas = instructions executed; a
/// division counts 4). Only <see cref="VmMachine.Run{THost}"/> is timed: loading, verification and the heap's zeroing
/// are outside, as the native harness zeroes its memory outside its timing too.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        byte[] elf = File.ReadAllBytes(args[0]);
        ulong n = ulong.Parse(args[1], CultureInfo.InvariantCulture);
        int runs = int.Parse(args[2], CultureInfo.InvariantCulture);
        var helpers = new VmHelperCatalog();
        VmProgram program = ElfLoader.Load(elf, new HelperCatalogResolver(helpers)).CreateVmProgram("bench_main", helpers);
        int heapSize = (int)Math.Min(VmLimits.MaxHeapSize, (long)n + 16);
        var machine = new VmMachine();
        var host = new NoHost();
        var times = new long[runs];
        VmResult result = default;
        for (int r = -1; r < runs; r++)
        {
            machine.Start(program, [], heapSize);
            machine.Registers[1] = n;
            machine.Registers[2] = VmMemoryMap.Heap;
            long start = Stopwatch.GetTimestamp();
            result = machine.Run(ref host, long.MaxValue / 2);
            long elapsed = Stopwatch.GetTimestamp() - start;
            if (result.Kind != VmExitKind.Returned)
            {
                Console.Error.WriteLine($"the program did not return: {result}");
                return 1;
            }
            if (r >= 0) times[r] = elapsed;
        }
        Array.Sort(times);
        double medianNs = times[runs / 2] * 1e9 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.ReturnValue} {medianNs:0} {result.GasUsed}"));
        return 0;
    }

    private struct NoHost : IVmHost
    {
        public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine) => VmHelperOutcome.Fault;
    }
}
