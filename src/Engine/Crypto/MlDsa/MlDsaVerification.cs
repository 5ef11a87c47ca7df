using System.Security.Cryptography;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// ML-DSA.Verify_internal (FIPS 204 algorithm 8) from mu, split so that the public-key part (ExpandA and NTT(t1 * 2^d),
/// most of the work) can be done once per key and cached: see <see cref="MlDsaPublicKey"/>. Everything here is public
/// data, so it may branch; it still never throws for malformed input.
/// </summary>
internal static class MlDsaVerification
{
    private const int N = MlDsaField.N;

    /// <summary>Expands the key into the thread's workspace, then verifies. Lengths of pk and mu are checked by the caller.</summary>
    public static bool Verify(MlDsaParameters p, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != p.SignatureSize) return false;
        MlDsaWorkspace ws = MlDsaWorkspace.Current;
        Span<int> matrix = ws.Matrix.AsSpan(0, p.K * p.L * N);
        Span<int> t1Hat = ws.VectorK2.AsSpan(0, p.K * N);
        ExpandPublicKey(p, publicKey, matrix, t1Hat);
        return VerifyExpanded(p, matrix, t1Hat, mu, signature);
    }

    /// <summary>pkDecode (FIPS 204 algorithm 23), then A = ExpandA(rho) and NTT(t1 * 2^d).</summary>
    public static void ExpandPublicKey(MlDsaParameters p, ReadOnlySpan<byte> publicKey, Span<int> matrix, Span<int> t1Hat)
    {
        MatrixExpansion.Expand(p, publicKey[..32], matrix);
        for (int i = 0; i < p.K; i++)
        {
            Span<int> poly = t1Hat.Slice(i * N, N);
            Packing.Unpack(publicKey.Slice(32 + i * 320, 320), 10, poly);
            for (int n = 0; n < N; n++) poly[n] <<= MlDsaField.D;
            Ntt.Forward(poly);
        }
    }

    /// <summary>Lines 1-13 of algorithm 8 after the key part: decode, norm check, w'_approx, UseHint, compare c~.</summary>
    public static bool VerifyExpanded(MlDsaParameters p, ReadOnlySpan<int> matrix, ReadOnlySpan<int> t1Hat, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != p.SignatureSize || mu.Length != MlDsa.MuSize) return false;
        MlDsaWorkspace ws = MlDsaWorkspace.Current;
        Span<int> zHat = ws.VectorL3.AsSpan(0, p.L * N);
        Span<int> hint = ws.VectorK6.AsSpan(0, p.K * N);
        if (!DecodeHint(p, signature[(p.CommitmentHashSize + p.L * p.PackedZSize)..], hint)) return false;

        ReadOnlySpan<byte> commitmentHash = signature[..p.CommitmentHashSize];
        for (int j = 0; j < p.L; j++)
        {
            Span<int> z = zHat.Slice(j * N, N);
            Packing.UnpackCentered(signature.Slice(p.CommitmentHashSize + j * p.PackedZSize, p.PackedZSize), p.Gamma1Bits + 1, p.Gamma1, z);
            if (PolyMath.ExceedsBound(z, p.Gamma1 - p.Beta) != 0) return false;
            Ntt.Forward(z);
        }

        Span<int> c = ws.Challenge;
        Sampling.Challenge(commitmentHash, p.Tau, c);
        Ntt.Forward(c);

        // w'_approx = NTT^-1(A o NTT(z) - NTT(c) o NTT(t1 * 2^d)); w1' = UseHint(h, w'_approx).
        Span<byte> w1Packed = ws.W1Packed.AsSpan(0, p.K * p.PackedW1Size);
        Span<int> w = ws.Poly1;
        Span<int> ct1 = ws.Poly2;
        Span<int> w1 = ws.Poly3;
        for (int i = 0; i < p.K; i++)
        {
            PolyMath.PointwiseMontgomery(matrix.Slice(i * p.L * N, N), zHat[..N], w);
            for (int j = 1; j < p.L; j++) PolyMath.PointwiseAccumulate(matrix.Slice((i * p.L + j) * N, N), zHat.Slice(j * N, N), w);
            PolyMath.PointwiseMontgomery(c, t1Hat.Slice(i * N, N), ct1);
            for (int n = 0; n < N; n++) w[n] -= ct1[n];
            PolyMath.Reduce(w);
            Ntt.Inverse(w);
            PolyMath.Freeze(w);
            PolyMath.UseHint(w, hint.Slice(i * N, N), w1, p.Gamma2);
            Packing.Pack(w1, p.W1Bits, w1Packed.Slice(i * p.PackedW1Size, p.PackedW1Size));
        }

        Span<byte> recomputed = stackalloc byte[64];
        recomputed = recomputed[..p.CommitmentHashSize];
        KeccakSponge.Shake256(mu, w1Packed, [], recomputed);
        return CryptographicOperations.FixedTimeEquals(recomputed, commitmentHash);
    }

    /// <summary>
    /// HintBitUnpack (FIPS 204 algorithm 21) into 0/1 coefficients: false unless the per-row counts are non-decreasing
    /// and at most omega, the positions in each row strictly increase, and the unused position bytes are zero (so
    /// every hint has exactly one encoding: signatures are not malleable).
    /// </summary>
    internal static bool DecodeHint(MlDsaParameters p, ReadOnlySpan<byte> packed, Span<int> hint)
    {
        hint.Clear();
        int index = 0;
        for (int i = 0; i < p.K; i++)
        {
            int end = packed[p.Omega + i];
            if (end < index || end > p.Omega) return false;
            int first = index;
            while (index < end)
            {
                if (index > first && packed[index - 1] >= packed[index]) return false;
                hint[i * N + packed[index]] = 1;
                index++;
            }
        }
        for (int i = index; i < p.Omega; i++)
        {
            if (packed[i] != 0) return false;
        }
        return true;
    }
}
