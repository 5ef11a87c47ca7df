using System.Buffers.Binary;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// Bit packing of FIPS 204 section 7.1 (SimpleBitPack, BitPack and their inverses): 256 coefficients as fixed-width
/// little-endian bit fields. Field i starts at bit i * bits; it is read or written through the 64-bit little-endian
/// word at its first byte, which holds it whole (a field is at most 20 bits and starts at most 7 bits into its byte).
/// The last few fields, whose word would run past the end, go byte by byte. The loops depend only on the widths,
/// never on the values, so packing secret polynomials is constant-time.
/// </summary>
internal static class Packing
{
    /// <summary>SimpleBitPack: values in [0, 2^bits), 256 of them, into 32 * bits bytes.</summary>
    public static void Pack(ReadOnlySpan<int> values, int bits, Span<byte> output)
    {
        output = output[..(32 * bits)];
        output.Clear();
        int wordFields = WordFields(bits, output.Length);
        for (int i = 0; i < wordFields; i++)
        {
            int bit = i * bits;
            Span<byte> word = output.Slice(bit >> 3, 8);
            ulong merged = BinaryPrimitives.ReadUInt64LittleEndian(word) | ((ulong)(uint)values[i] << (bit & 7));
            BinaryPrimitives.WriteUInt64LittleEndian(word, merged);
        }
        for (int i = wordFields; i < MlDsaField.N; i++)
        {
            int bit = i * bits;
            ulong field = (ulong)(uint)values[i] << (bit & 7);
            int end = Math.Min(output.Length, ((bit & 7) + bits + 7 + (bit & ~7)) >> 3); // the field's last byte, by width only
            for (int b = bit >> 3; b < end; b++, field >>= 8) output[b] |= (byte)field;
        }
    }

    /// <summary>SimpleBitUnpack: 256 fields of <paramref name="bits"/> bits.</summary>
    public static void Unpack(ReadOnlySpan<byte> input, int bits, Span<int> values)
    {
        input = input[..(32 * bits)];
        values = values[..MlDsaField.N];
        ulong mask = (1UL << bits) - 1;
        int wordFields = WordFields(bits, input.Length);
        for (int i = 0; i < wordFields; i++)
        {
            int bit = i * bits;
            values[i] = (int)((BinaryPrimitives.ReadUInt64LittleEndian(input[(bit >> 3)..]) >> (bit & 7)) & mask);
        }
        for (int i = wordFields; i < MlDsaField.N; i++)
        {
            int bit = i * bits;
            ulong word = 0;
            for (int b = bit >> 3, shift = 0; b < input.Length && shift < 64; b++, shift += 8) word |= (ulong)input[b] << shift;
            values[i] = (int)((word >> (bit & 7)) & mask);
        }
    }

    /// <summary>BitPack(w, a, b) with b = <paramref name="offset"/>: stores offset - w_i in <paramref name="bits"/> bits.</summary>
    public static void PackCentered(ReadOnlySpan<int> values, int bits, int offset, Span<byte> output)
    {
        Span<int> shifted = stackalloc int[MlDsaField.N];
        for (int i = 0; i < MlDsaField.N; i++) shifted[i] = offset - values[i];
        Pack(shifted, bits, output);
        shifted.Clear();
    }

    /// <summary>BitUnpack(v, a, b) with b = <paramref name="offset"/>: w_i = offset - field_i.</summary>
    public static void UnpackCentered(ReadOnlySpan<byte> input, int bits, int offset, Span<int> values)
    {
        Unpack(input, bits, values);
        for (int i = 0; i < MlDsaField.N; i++) values[i] = offset - values[i];
    }

    /// <summary>How many leading fields have a whole 64-bit word inside the buffer (fields are read through it).</summary>
    private static int WordFields(int bits, int length)
    {
        int fields = MlDsaField.N;
        while (fields > 0 && ((fields - 1) * bits >> 3) + 8 > length) fields--;
        return fields;
    }
}
