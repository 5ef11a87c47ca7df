using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto.MlDsa;

namespace NexusFast.Benchmarks;

/// <summary>
/// The ML-DSA kernels on each instruction-set path, called directly: forward and inverse NTT of one polynomial, and
/// ExpandA for ML-DSA-65 (30 SHAKE-128 streams) with one scalar sponge against 4 (AVX2) and 8 (AVX-512) lanes. The
/// scalar rows are the baselines of their groups. A path the CPU lacks throws PlatformNotSupportedException, so its row fails instead of timing something else.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MlDsaKernelBenchmarks
{
    private readonly int[] _poly = new int[256];
    private readonly int[] _matrix = new int[6 * 5 * 256];
    private readonly byte[] _rho = new byte[32];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(256);
        for (int i = 0; i < _poly.Length; i++) _poly[i] = random.Next(-MlDsaField.Q + 1, MlDsaField.Q);
        random.NextBytes(_rho);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("NTT")]
    public void NttScalar()
    {
        Ntt.ForwardScalar(_poly);
        PolyMath.ReduceScalar(_poly);
        Ntt.InverseScalar(_poly);
    }

    [Benchmark, BenchmarkCategory("NTT")]
    public void NttAvx2()
    {
        if (!Avx2.IsSupported) throw new PlatformNotSupportedException("AVX2");
        Ntt.ForwardAvx2(_poly);
        PolyMath.ReduceAvx2(_poly);
        Ntt.InverseAvx2(_poly);
    }

    [Benchmark, BenchmarkCategory("NTT")]
    public void NttAvx512()
    {
        if (!Avx512F.IsSupported) throw new PlatformNotSupportedException("AVX-512");
        Ntt.ForwardAvx512(_poly);
        PolyMath.ReduceAvx512(_poly);
        Ntt.InverseAvx512(_poly);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ExpandA-65")]
    public void ExpandAScalar() => MatrixExpansion.ExpandScalar(MlDsaParameters.MlDsa65, _rho, _matrix);

    [Benchmark, BenchmarkCategory("ExpandA-65")]
    public void ExpandAFourLanes() => MatrixExpansion.ExpandLanes<KeccakLanes4>(MlDsaParameters.MlDsa65, _rho, _matrix);

    [Benchmark, BenchmarkCategory("ExpandA-65")]
    public void ExpandAEightLanes() => MatrixExpansion.ExpandLanes<KeccakLanes8>(MlDsaParameters.MlDsa65, _rho, _matrix);
}
