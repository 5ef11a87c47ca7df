using System.Buffers.Binary;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// The samplers of FIPS 204 section 7.3: uniform NTT-domain polynomials (RejNTTPoly, for ExpandA), short secret
/// polynomials (RejBoundedPoly, for ExpandS), the mask (ExpandMask) and the challenge (SampleInBall).
/// </summary>
/// <remarks>
/// Constant time. RejNTTPoly reads only the public seed rho, so it may branch freely. RejBoundedPoly reads secret
/// bytes: each nibble is mapped to its coefficient with arithmetic (no table, no branch) and stored unconditionally;
/// only the write position advances by the accept bit. The position, and the number of SHAKE blocks read, reveal which
/// nibbles were rejected, and that is independent of the values of the accepted ones (a rejected nibble is 15 for
/// eta = 2 or 9..15 for eta = 4, whatever the others are): the rejection pattern is the leak FIPS 204 tolerates.
/// ExpandMask is a fixed-length bit unpacking. SampleInBall branches and indexes on c~, which the signature
/// publishes; for rejected attempts c~ is a hash of w1 and mu that is discarded (the reference implementation
/// treats it the same way).
/// </remarks>
internal static class Sampling
{
    /// <summary>Bytes of SHAKE-128 output that almost always give 256 coefficients below q (5 blocks, 280 candidates).</summary>
    public const int UniformBlocks = 5;

    /// <summary>
    /// Appends coefficients below q taken from 3-byte little-endian candidates with the top bit cleared (FIPS 204
    /// algorithms 14 and 30) to <paramref name="poly"/> starting at <paramref name="filled"/>; returns the new count.
    /// <paramref name="bytes"/> must be a multiple of 3 long (a SHAKE-128 block is 168 = 56 * 3).
    /// </summary>
    public static int RejectUniform(Span<int> poly, int filled, ReadOnlySpan<byte> bytes)
    {
        for (int i = 0; i + 3 <= bytes.Length && filled < MlDsaField.N; i += 3)
        {
            int candidate = bytes[i] | (bytes[i + 1] << 8) | ((bytes[i + 2] & 0x7F) << 16);
            if (candidate < MlDsaField.Q) poly[filled++] = candidate;
        }
        return filled;
    }

    /// <summary>RejNTTPoly(rho || s || r) with one SHAKE-128: the scalar matrix expansion used when no SIMD lanes are.</summary>
    public static void UniformPolynomial(ReadOnlySpan<byte> rho, int column, int row, Span<int> poly)
    {
        KeccakSponge shake = KeccakSponge.Create128();
        shake.Absorb(rho);
        shake.Absorb((byte)column);
        shake.Absorb((byte)row);
        Span<byte> block = stackalloc byte[KeccakSponge.Rate128];
        int filled = 0;
        while (filled < MlDsaField.N)
        {
            shake.Squeeze(block);
            filled = RejectUniform(poly, filled, block);
        }
    }

    /// <summary>RejBoundedPoly(rho' || IntegerToBytes(index, 2)) (FIPS 204 algorithm 31), coefficients in [-eta, eta].</summary>
    public static void BoundedPolynomial(ReadOnlySpan<byte> rhoPrime, int index, int eta, Span<int> poly)
    {
        KeccakSponge shake = KeccakSponge.Create256();
        shake.Absorb(rhoPrime);
        Span<byte> counter = [(byte)index, (byte)(index >> 8)];
        shake.Absorb(counter);
        Span<byte> block = stackalloc byte[KeccakSponge.Rate256];
        int filled = 0;
        while (filled < MlDsaField.N)
        {
            shake.Squeeze(block);
            for (int i = 0; i < block.Length && filled < MlDsaField.N; i++)
            {
                filled = AppendBoundedNibble(poly, filled, block[i] & 0x0F, eta);
                if (filled < MlDsaField.N) filled = AppendBoundedNibble(poly, filled, block[i] >> 4, eta);
            }
        }
        block.Clear();
    }

    /// <summary>
    /// CoeffFromHalfByte (FIPS 204 algorithm 15) without a branch on the nibble: eta = 2 accepts b &lt; 15 and gives
    /// 2 - (b mod 5), with b mod 5 = b - 5 * ((b * 205) >> 10) for b &lt; 16; eta = 4 accepts b &lt; 9 and gives 4 - b.
    /// </summary>
    private static int AppendBoundedNibble(Span<int> poly, int filled, int nibble, int eta)
    {
        int limit = eta == 2 ? 15 : 9; // eta is a public parameter
        int value = eta == 2 ? 2 - (nibble - 5 * ((nibble * 205) >> 10)) : 4 - nibble;
        int accept = (nibble - limit) >>> 31; // 1 when nibble < limit
        poly[filled] = value;
        return filled + accept;
    }

    /// <summary>
    /// ExpandMask for one polynomial (FIPS 204 algorithm 34): y = BitUnpack(H(rho'' || IntegerToBytes(kappa, 2)),
    /// gamma1 - 1, gamma1), coefficients in (-gamma1, gamma1].
    /// </summary>
    public static void MaskPolynomial(ReadOnlySpan<byte> rhoDoublePrime, int kappa, MlDsaParameters parameters, Span<int> poly)
    {
        KeccakSponge shake = KeccakSponge.Create256();
        shake.Absorb(rhoDoublePrime);
        Span<byte> counter = [(byte)kappa, (byte)(kappa >> 8)];
        shake.Absorb(counter);
        Span<byte> packed = stackalloc byte[32 * 20];
        packed = packed[..parameters.PackedZSize];
        shake.Squeeze(packed);
        Packing.UnpackCentered(packed, parameters.Gamma1Bits + 1, parameters.Gamma1, poly);
        packed.Clear();
    }

    /// <summary>SampleInBall(c~) (FIPS 204 algorithm 29, final version: the whole c~ seeds the hash).</summary>
    public static void Challenge(ReadOnlySpan<byte> commitmentHash, int tau, Span<int> c)
    {
        KeccakSponge shake = KeccakSponge.Create256();
        shake.Absorb(commitmentHash);
        Span<byte> signBytes = stackalloc byte[8];
        shake.Squeeze(signBytes);
        ulong signs = BinaryPrimitives.ReadUInt64LittleEndian(signBytes);
        c.Clear();
        Span<byte> one = stackalloc byte[1];
        for (int i = MlDsaField.N - tau; i < MlDsaField.N; i++)
        {
            int j;
            do
            {
                shake.Squeeze(one);
                j = one[0];
            }
            while (j > i);
            c[i] = c[j];
            c[j] = 1 - 2 * (int)(signs & 1);
            signs >>= 1;
        }
    }
}
