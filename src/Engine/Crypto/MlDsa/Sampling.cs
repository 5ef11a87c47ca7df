using System.Buffers.Binary;
using System.Runtime.Intrinsics;

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
/// ExpandMask is a fixed-length bit unpacking. SampleInBall has two forms: <see cref="Challenge"/> indexes memory by
/// the sampled positions and is for verification, where c~ is public; signing uses <see cref="ChallengeMasked"/>,
/// because the challenges of rejected attempts are never published and leaking them weakens the key (Karabulut et
/// al.; Zhou, Wang, Sun and Yu 2025 recover Dilithium keys from rejected challenges and responses). It writes
/// position j through a masked sweep over all 256 coefficients, so neither addresses nor branches depend on j or on the signs; only the number of hash
/// bytes it skips (bytes greater than i) shows in its timing, and those bytes are discarded.
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
            filled = RejectBounded(poly, filled, block, eta);
        }
        block.Clear();
    }

    /// <summary>
    /// Appends coefficients in [-eta, eta] from the nibbles of <paramref name="bytes"/> (low nibble first) to
    /// <paramref name="poly"/> from <paramref name="filled"/> on, stopping at 256; returns the new count.
    /// </summary>
    public static int RejectBounded(Span<int> poly, int filled, ReadOnlySpan<byte> bytes, int eta)
    {
        for (int i = 0; i < bytes.Length && filled < MlDsaField.N; i++)
        {
            filled = AppendBoundedNibble(poly, filled, bytes[i] & 0x0F, eta);
            if (filled < MlDsaField.N) filled = AppendBoundedNibble(poly, filled, bytes[i] >> 4, eta);
        }
        return filled;
    }

    /// <summary>SHAKE-256 blocks that usually give a whole bounded polynomial (eta = 4 accepts 9 of 16 nibbles: 306 expected from 2 blocks).</summary>
    public const int BoundedBlocks = 2;

    /// <summary>ExpandS (FIPS 204 algorithm 33): s1 from counters 0..l-1, s2 from l..l+k-1, in SIMD lanes where available.</summary>
    public static void ExpandSecrets(ReadOnlySpan<byte> rhoPrime, MlDsaParameters p, Span<int> s1, Span<int> s2)
    {
        if (SimdSupport.Selected == SimdPath.Avx512) ExpandSecretsLanes<KeccakLanes8>(rhoPrime, p, s1, s2);
        else if (SimdSupport.Selected == SimdPath.Avx2) ExpandSecretsLanes<KeccakLanes4>(rhoPrime, p, s1, s2);
        else ExpandSecretsScalar(rhoPrime, p, s1, s2);
    }

    internal static void ExpandSecretsScalar(ReadOnlySpan<byte> rhoPrime, MlDsaParameters p, Span<int> s1, Span<int> s2)
    {
        for (int r = 0; r < p.L; r++) BoundedPolynomial(rhoPrime, r, p.Eta, s1.Slice(r * MlDsaField.N, MlDsaField.N));
        for (int r = 0; r < p.K; r++) BoundedPolynomial(rhoPrime, p.L + r, p.Eta, s2.Slice(r * MlDsaField.N, MlDsaField.N));
    }

    /// <summary>
    /// ExpandS with the l + k SHAKE-256 instances in lanes. Every lane squeezes until all its batch is full, so the block
    /// count reveals the slowest lane's rejections: the same rejection-pattern leak as the scalar code, no more.
    /// </summary>
    internal static void ExpandSecretsLanes<TLanes>(ReadOnlySpan<byte> rhoPrime, MlDsaParameters p, Span<int> s1, Span<int> s2)
        where TLanes : struct, IKeccakLanes
    {
        int width = TLanes.Width;
        int count = p.L + p.K;
        int rate = KeccakSponge.Rate256;
        int stride = BoundedBlocks * rate;
        Span<ulong> state = stackalloc ulong[KeccakF1600.StateLanes * 8];
        state = state[..(KeccakF1600.StateLanes * width)];
        Span<byte> output = stackalloc byte[8 * BoundedBlocks * KeccakSponge.Rate256];
        Span<int> counters = stackalloc int[8];
        Span<int> filled = stackalloc int[8];
        for (int first = 0; first < count; first += width)
        {
            int live = Math.Min(width, count - first);
            for (int i = 0; i < live; i++) counters[i] = first + i;
            MultiLaneShake<TLanes>.Start(state, rate, rhoPrime, counters[..live]);
            MultiLaneShake<TLanes>.Squeeze(state, rate, output, stride, 0, BoundedBlocks);
            bool anyShort = false;
            for (int i = 0; i < live; i++)
            {
                filled[i] = RejectBounded(SecretPoly(p, s1, s2, first + i), 0, output.Slice(i * stride, stride), p.Eta);
                anyShort |= filled[i] < MlDsaField.N;
            }
            while (anyShort)
            {
                MultiLaneShake<TLanes>.Squeeze(state, rate, output, stride, 0, 1);
                anyShort = false;
                for (int i = 0; i < live; i++)
                {
                    filled[i] = RejectBounded(SecretPoly(p, s1, s2, first + i), filled[i], output.Slice(i * stride, rate), p.Eta);
                    anyShort |= filled[i] < MlDsaField.N;
                }
            }
        }
        state.Clear();
        output.Clear();
    }

    private static Span<int> SecretPoly(MlDsaParameters p, Span<int> s1, Span<int> s2, int index) =>
        index < p.L ? s1.Slice(index * MlDsaField.N, MlDsaField.N) : s2.Slice((index - p.L) * MlDsaField.N, MlDsaField.N);

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

    /// <summary>SHAKE-256 blocks for one mask polynomial: 640 bytes (gamma1 = 2^19) or 576 need 5 blocks of 136.</summary>
    private const int MaskBlocks = 5;

    /// <summary>ExpandMask (FIPS 204 algorithm 34) for all l polynomials of y, in SIMD lanes where available.</summary>
    public static void ExpandMask(ReadOnlySpan<byte> rhoDoublePrime, int kappa, MlDsaParameters parameters, Span<int> y)
    {
        if (SimdSupport.Selected == SimdPath.Avx512) ExpandMaskLanes<KeccakLanes8>(rhoDoublePrime, kappa, parameters, y);
        else if (SimdSupport.Selected == SimdPath.Avx2) ExpandMaskLanes<KeccakLanes4>(rhoDoublePrime, kappa, parameters, y);
        else ExpandMaskScalar(rhoDoublePrime, kappa, parameters, y);
    }

    internal static void ExpandMaskScalar(ReadOnlySpan<byte> rhoDoublePrime, int kappa, MlDsaParameters parameters, Span<int> y)
    {
        for (int j = 0; j < parameters.L; j++) MaskPolynomial(rhoDoublePrime, kappa + j, parameters, y.Slice(j * MlDsaField.N, MlDsaField.N));
    }

    /// <summary>ExpandMask with the l SHAKE-256 instances in lanes; a fixed number of blocks, so nothing depends on the data.</summary>
    internal static void ExpandMaskLanes<TLanes>(ReadOnlySpan<byte> rhoDoublePrime, int kappa, MlDsaParameters parameters, Span<int> y)
        where TLanes : struct, IKeccakLanes
    {
        int width = TLanes.Width;
        int rate = KeccakSponge.Rate256;
        int stride = MaskBlocks * rate;
        Span<ulong> state = stackalloc ulong[KeccakF1600.StateLanes * 8];
        state = state[..(KeccakF1600.StateLanes * width)];
        Span<byte> output = stackalloc byte[8 * MaskBlocks * KeccakSponge.Rate256];
        Span<int> counters = stackalloc int[8];
        for (int first = 0; first < parameters.L; first += width)
        {
            int live = Math.Min(width, parameters.L - first);
            for (int i = 0; i < live; i++) counters[i] = kappa + first + i;
            MultiLaneShake<TLanes>.Start(state, rate, rhoDoublePrime, counters[..live]);
            MultiLaneShake<TLanes>.Squeeze(state, rate, output, stride, 0, MaskBlocks);
            for (int i = 0; i < live; i++)
            {
                Packing.UnpackCentered(output.Slice(i * stride, parameters.PackedZSize), parameters.Gamma1Bits + 1, parameters.Gamma1,
                    y.Slice((first + i) * MlDsaField.N, MlDsaField.N));
            }
        }
        state.Clear();
        output.Clear();
    }

    /// <summary>
    /// SampleInBall for signing: the same output as <see cref="Challenge"/>, with every read and write of the sampled
    /// position j done by a sweep over all coefficients under an equality mask (j == k), eight lanes at a time.
    /// </summary>
    public static void ChallengeMasked(ReadOnlySpan<byte> commitmentHash, int tau, Span<int> c)
    {
        if (c.Length != MlDsaField.N) throw new ArgumentException("c has 256 coefficients", nameof(c));
        KeccakSponge shake = KeccakSponge.Create256();
        shake.Absorb(commitmentHash);
        Span<byte> signBytes = stackalloc byte[8];
        shake.Squeeze(signBytes);
        ulong signs = BinaryPrimitives.ReadUInt64LittleEndian(signBytes);
        c.Clear();
        Span<byte> one = stackalloc byte[1];
        Vector256<int> laneOffsets = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        for (int i = MlDsaField.N - tau; i < MlDsaField.N; i++)
        {
            int j;
            do
            {
                shake.Squeeze(one);
                j = one[0];
            }
            while (j > i);
            Vector256<int> target = Vector256.Create(j);
            Vector256<int> sign = Vector256.Create(1 - 2 * (int)(signs & 1));
            signs >>= 1;

            // c_i <- c_j: gather c_j under the mask, then write it at the public position i.
            Vector256<int> gathered = Vector256<int>.Zero;
            for (int k = 0; k < MlDsaField.N; k += 8)
            {
                Vector256<int> mask = Vector256.Equals(laneOffsets + Vector256.Create(k), target);
                gathered |= Vector256.Create<int>(c.Slice(k, 8)) & mask;
            }
            c[i] = Vector256.Sum(gathered); // one lane at most is nonzero
            // c_j <- (-1)^h[i + tau - 256]
            for (int k = 0; k < MlDsaField.N; k += 8)
            {
                Vector256<int> mask = Vector256.Equals(laneOffsets + Vector256.Create(k), target);
                Vector256.ConditionalSelect(mask, sign, Vector256.Create<int>(c.Slice(k, 8))).CopyTo(c.Slice(k, 8));
            }
        }
        signBytes.Clear();
    }

    /// <summary>SampleInBall(c~) (FIPS 204 algorithm 29, final version: the whole c~ seeds the hash), for verification.</summary>
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
