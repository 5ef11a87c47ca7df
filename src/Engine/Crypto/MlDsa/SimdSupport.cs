using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>The instruction-set paths of the ML-DSA arithmetic, widest first.</summary>
internal enum SimdPath
{
    Scalar,
    Avx2,
    Avx512,
}

/// <summary>
/// Chooses the arithmetic path once per process from what the CPU and the runtime allow. Vector512 is used only when
/// the runtime reports it hardware-accelerated (it does not on CPUs that throttle on 512-bit operations, or with
/// DOTNET_PreferredVectorBitWidth=256), and AVX2 only when the CPU has it; every path computes the same integers.
/// </summary>
internal static class SimdSupport
{
    public static readonly SimdPath Selected = Choose(
        Avx512F.IsSupported && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated,
        Avx2.IsSupported && Vector256.IsHardwareAccelerated);

    /// <summary>The selection rule, separate so that a test can check it for every combination of CPU features.</summary>
    internal static SimdPath Choose(bool avx512Usable, bool avx2Usable) =>
        avx512Usable ? SimdPath.Avx512 : avx2Usable ? SimdPath.Avx2 : SimdPath.Scalar;
}
