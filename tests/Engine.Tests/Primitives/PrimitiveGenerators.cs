using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Tests.Primitives;

/// <summary>FsCheck generators biased toward the boundaries where encodings and carries change.</summary>
internal static class PrimitiveGenerators
{
    private static readonly Gen<byte> s_byte = Gen.Choose(0, 255).Select(b => (byte)b);

    private static readonly Gen<ulong> s_uniformUInt64 =
        Gen.ArrayOf(s_byte, sizeof(ulong)).Select(bytes => BitConverter.ToUInt64(bytes));

    /// <summary>
    /// Uniform 64-bit values cut to a random bit length (so every byte length is common), plus the edge values
    /// around the single-byte (0x80) and length boundaries.
    /// </summary>
    public static readonly Gen<ulong> UInt64 = Gen.Frequency(
        (6, Gen.Zip(s_uniformUInt64, Gen.Choose(0, 64)).Select(t => t.Item2 == 64 ? t.Item1 : t.Item1 & ((1UL << t.Item2) - 1))),
        (1, Gen.Elements(0UL, 1UL, 0x7FUL, 0x80UL, 0xFFUL, 0x100UL, 0xFFFFUL, 0x1_0000UL, ulong.MaxValue - 1, ulong.MaxValue)));

    /// <summary>256-bit values of every bit length, with single set bits, all-ones runs and the extremes.</summary>
    public static readonly Gen<UInt256> UInt256Value = Gen.Frequency(
        (6, Gen.Zip(Gen.ArrayOf(s_uniformUInt64, 4), Gen.Choose(0, 256)).Select(t => Truncate(new UInt256(t.Item1[0], t.Item1[1], t.Item1[2], t.Item1[3]), t.Item2))),
        (1, Gen.Choose(0, 255).Select(bit => UInt256.One << bit)),
        (1, Gen.Choose(0, 256).Select(bits => Truncate(UInt256.MaxValue, bits))),
        (1, Gen.Elements(UInt256.Zero, UInt256.One, UInt256.MaxValue, new UInt256(0, 1, 0, 0), new UInt256(ulong.MaxValue, 0, 0, 0))));

    /// <summary>Byte strings whose lengths cluster at the 1-byte, 55/56-byte and 255/256-byte boundaries.</summary>
    public static readonly Gen<byte[]> Bytes = Gen.Frequency(
        (4, Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(s_byte, n))),
        (2, Gen.Choose(0, 0x7F).Select(b => new[] { (byte)b })),
        (3, Gen.Choose(50, 60).SelectMany(n => Gen.ArrayOf(s_byte, n))),
        (1, Gen.Choose(250, 1100).SelectMany(n => Gen.ArrayOf(s_byte, n))));

    /// <summary>Random nested items; the FsCheck size bounds depth and width.</summary>
    public static readonly Gen<RlpItem> Item = Gen.Sized(ItemOfSize);

    private static Gen<RlpItem> ItemOfSize(int size)
    {
        Gen<RlpItem> leaf = Bytes.Select(bytes => RlpItem.FromBytes(bytes));
        if (size <= 1) return leaf;

        Gen<RlpItem> list = Gen.Choose(0, Math.Min(size, 8))
            .SelectMany(count => Gen.ArrayOf(ItemOfSize(size / 3), count))
            .Select(items => RlpItem.FromList(items));
        return Gen.Frequency((2, leaf), (1, list));
    }

    private static UInt256 Truncate(UInt256 value, int bits) =>
        bits >= 256 ? value : value & ((UInt256.One << bits) - UInt256.One);
}
