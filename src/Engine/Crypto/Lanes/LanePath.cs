using System.Runtime.Intrinsics.X86;

namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// The instruction-set paths of the multi-lane hashes, narrowest first. Every path gives the same digests; they differ
/// only in how many independent messages one pass of the compression function (or permutation) carries.
/// </summary>
public enum LanePath
{
    /// <summary>Plain 32/64-bit integer code, one message at a time: the fallback and the reference.</summary>
    Scalar,

    /// <summary>256-bit AVX2 registers: 8 SHA-256 messages or 4 Keccak messages per pass.</summary>
    Avx2,

    /// <summary>512-bit AVX-512F registers: 16 SHA-256 messages or 8 Keccak messages per pass.</summary>
    Avx512,
}

/// <summary>Which <see cref="LanePath"/>s this process can run, decided once from the CPU and the runtime's settings.</summary>
/// <remarks>
/// The runtime hides instruction sets the operator turned off (DOTNET_EnableAVX512=0 on .NET 10, DOTNET_EnableAVX512F=0
/// before it, DOTNET_EnableAVX2=0), and a Native AOT binary sees only what its instruction-set baseline allows plus what
/// it checks at start-up, so <c>IsSupported</c> is the single source of truth here.
/// </remarks>
public static class LaneSelection
{
    /// <summary>The widest path this process supports; what the public batch APIs use.</summary>
    public static LanePath Best { get; } = Avx512F.IsSupported ? LanePath.Avx512 : Avx2.IsSupported ? LanePath.Avx2 : LanePath.Scalar;

    public static bool IsSupported(LanePath path) => path switch
    {
        LanePath.Scalar => true,
        LanePath.Avx2 => Avx2.IsSupported,
        LanePath.Avx512 => Avx512F.IsSupported,
        _ => false,
    };

    internal static void EnsureSupported(LanePath path)
    {
        if (!IsSupported(path)) ThrowUnsupported(path);
    }

    [DoesNotReturn]
    private static void ThrowUnsupported(LanePath path) =>
        throw new PlatformNotSupportedException($"the {path} hashing path needs an instruction set this process does not have (best available: {Best})");
}
