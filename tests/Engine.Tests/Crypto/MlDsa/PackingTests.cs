using NexusFast.Engine.Crypto.MlDsa;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>The word-wise bit packing against a bit-by-bit reference, for every field width ML-DSA uses.</summary>
public sealed class PackingTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(10)]
    [InlineData(13)]
    [InlineData(18)]
    [InlineData(20)]
    public void Packing_matches_bit_by_bit_packing_and_unpacking_inverts_it(int bits)
    {
        var random = new Random(bits);
        for (int round = 0; round < 50; round++)
        {
            int[] values = new int[256];
            for (int i = 0; i < 256; i++) values[i] = round == 0 ? (1 << bits) - 1 : random.Next(1 << bits);
            byte[] expected = new byte[32 * bits];
            for (int i = 0; i < 256; i++)
            {
                for (int b = 0; b < bits; b++)
                {
                    int bit = i * bits + b;
                    if (((values[i] >> b) & 1) != 0) expected[bit / 8] |= (byte)(1 << (bit % 8));
                }
            }
            byte[] packed = Enumerable.Repeat((byte)0x5A, 32 * bits).ToArray(); // stale bytes must be overwritten
            Packing.Pack(values, bits, packed);
            Assert.Equal(expected, packed);
            int[] unpacked = new int[256];
            Packing.Unpack(packed, bits, unpacked);
            Assert.Equal(values, unpacked);
        }
    }
}
