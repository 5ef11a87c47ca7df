using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Lanes;
using NexusFast.Engine.Primitives;

namespace NexusFast.Benchmarks;

/// <summary>
/// SHA-256 of 64-byte inputs (Merkle nodes) on one core: <c>SHA256.HashData</c> per input (the baseline), the
/// platform hasher with a reused context (<see cref="Sha256NodeHasher"/>) and <see cref="Sha256Lanes"/> on each
/// instruction-set path this machine has. Times are per hash over batches of 65,536 (OperationsPerInvoke); each Path
/// group re-measures the baselines so that its ratios come from one group.
/// </summary>
[MemoryDiagnoser]
public class Sha256LaneBenchmarks
{
    private const int PairCount = 1 << 16;

    private Hash256[] _pairs = [];
    private Hash256[] _parents = [];

    [ParamsSource(nameof(Paths))]
    public LanePath Path { get; set; }

    public static IEnumerable<LanePath> Paths() => Enum.GetValues<LanePath>().Where(LaneSelection.IsSupported);

    [GlobalSetup]
    public void Setup()
    {
        byte[] bytes = new byte[2 * PairCount * Hash256.Size];
        new Random(256).NextBytes(bytes);
        _pairs = MemoryMarshal.Cast<byte, Hash256>(bytes).ToArray();
        _parents = new Hash256[PairCount];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PairCount)]
    public void HashDataLoop()
    {
        ReadOnlySpan<byte> input = MemoryMarshal.AsBytes(_pairs.AsSpan());
        Span<byte> output = MemoryMarshal.AsBytes(_parents.AsSpan());
        for (int i = 0; i < PairCount; i++) SHA256.HashData(input.Slice(64 * i, 64), output.Slice(32 * i, 32));
    }

    [Benchmark(OperationsPerInvoke = PairCount)]
    public void PlatformHasher() => new Sha256NodeHasher().HashPairs(_pairs, _parents);

    [Benchmark(OperationsPerInvoke = PairCount)]
    public void Lanes() => Sha256Lanes.HashPairs(Path, _pairs, _parents);
}
