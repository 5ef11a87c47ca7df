using BenchmarkDotNet.Running;

namespace NexusFast.Benchmarks;

public static class Program
{
    // `./build.sh bench` runs every suite; pass BenchmarkDotNet arguments (e.g. --filter '*Keccak*') to narrow.
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
