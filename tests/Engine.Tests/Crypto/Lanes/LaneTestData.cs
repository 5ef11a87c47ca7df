using NexusFast.Engine.Crypto.Lanes;

namespace NexusFast.Engine.Tests.Crypto.Lanes;

/// <summary>The paths this machine can run (every one of them is tested) and seeded inputs.</summary>
internal static class LaneTestData
{
    public static IEnumerable<LanePath> SupportedPaths() => Enum.GetValues<LanePath>().Where(LaneSelection.IsSupported);

    /// <summary>
    /// Batch sizes around every lane width (1, 4, 8, 16) and the remainder rules of the drivers: a remainder of one
    /// message runs scalar, a larger one fills part of a pass.
    /// </summary>
    public static readonly int[] Counts = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 20, 24, 25, 31, 33, 100];

    public static byte[] Bytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
