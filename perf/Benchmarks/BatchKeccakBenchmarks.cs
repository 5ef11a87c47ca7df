using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Lanes;
using NexusFast.Engine.Primitives;

namespace NexusFast.Benchmarks;

/// <summary>
/// Keccak-256 of 1,000,000 inputs of 64 bytes (public keys to addresses, pairs of hashes): a loop over our scalar
/// <see cref="Keccak256.Hash"/> (the baseline) against <see cref="Keccak256Lanes"/> on each instruction-set path this
/// machine has. Times are per input (OperationsPerInvoke); every Path group re-measures the baseline, so each ratio
/// compares two numbers from the same group. The 2x target in Report/Targets.cs reads the best path's ratio.
/// </summary>
[MemoryDiagnoser]
public class BatchKeccakBenchmarks
{
    private const int InputCount = 1_000_000;
    private const int InputLength = 64;

    private byte[] _inputs = [];
    private Hash256[] _outputs = [];

    [ParamsSource(nameof(Paths))]
    public LanePath Path { get; set; }

    public static IEnumerable<LanePath> Paths() => Enum.GetValues<LanePath>().Where(LaneSelection.IsSupported);

    [GlobalSetup]
    public void Setup()
    {
        _inputs = new byte[InputCount * InputLength];
        new Random(64).NextBytes(_inputs);
        _outputs = new Hash256[InputCount];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = InputCount)]
    public void ScalarKeccakLoop()
    {
        ReadOnlySpan<byte> inputs = _inputs;
        Span<Hash256> outputs = _outputs;
        for (int i = 0; i < InputCount; i++)
        {
            Keccak256.Hash(inputs.Slice(i * InputLength, InputLength), System.Runtime.InteropServices.MemoryMarshal.AsBytes(outputs.Slice(i, 1)));
        }
    }

    [Benchmark(OperationsPerInvoke = InputCount)]
    public void Lanes() => Keccak256Lanes.HashFixed(Path, _inputs, InputLength, _outputs);
}
