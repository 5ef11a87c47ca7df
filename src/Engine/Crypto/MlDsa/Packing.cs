namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// Bit packing of FIPS 204 section 7.1 (SimpleBitPack, BitPack and their inverses): coefficients as fixed-width
/// little-endian bit fields. The loops depend only on the widths, never on the values, so packing secret
/// polynomials is constant-time.
/// </summary>
internal static class Packing
{
    /// <summary>SimpleBitPack: values in [0, 2^bits), 256 of them, into 32 * bits bytes.</summary>
    public static void Pack(ReadOnlySpan<int> values, int bits, Span<byte> output)
    {
        ulong buffer = 0;
        int buffered = 0;
        int position = 0;
        for (int i = 0; i < MlDsaField.N; i++)
        {
            buffer |= (ulong)(uint)values[i] << buffered;
            buffered += bits;
            while (buffered >= 8)
            {
                output[position++] = (byte)buffer;
                buffer >>= 8;
                buffered -= 8;
            }
        }
    }

    /// <summary>SimpleBitUnpack: 256 fields of <paramref name="bits"/> bits.</summary>
    public static void Unpack(ReadOnlySpan<byte> input, int bits, Span<int> values)
    {
        ulong buffer = 0;
        int buffered = 0;
        int position = 0;
        uint mask = (1u << bits) - 1;
        for (int i = 0; i < MlDsaField.N; i++)
        {
            while (buffered < bits)
            {
                buffer |= (ulong)input[position++] << buffered;
                buffered += 8;
            }
            values[i] = (int)((uint)buffer & mask);
            buffer >>= bits;
            buffered -= bits;
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
}
