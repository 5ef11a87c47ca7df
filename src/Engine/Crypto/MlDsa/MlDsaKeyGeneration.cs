using System.Security.Cryptography;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>ML-DSA.KeyGen_internal (FIPS 204 algorithm 6) and the key encodings (algorithms 22 and 24).</summary>
internal static class MlDsaKeyGeneration
{
    private const int N = MlDsaField.N;

    /// <summary>Lengths are checked by the caller.</summary>
    public static void Generate(MlDsaParameters p, ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        MlDsaWorkspace ws = MlDsaWorkspace.Current;
        Span<byte> expanded = stackalloc byte[128];
        try
        {
            // (rho, rho', K) = H(xi || k || l, 128): the k and l bytes are new in the final standard.
            KeccakSponge shake = KeccakSponge.Create256();
            shake.Absorb(seed);
            shake.Absorb((byte)p.K);
            shake.Absorb((byte)p.L);
            shake.Squeeze(expanded);
            ReadOnlySpan<byte> rho = expanded[..32];
            ReadOnlySpan<byte> rhoPrime = expanded.Slice(32, 64);
            ReadOnlySpan<byte> key = expanded.Slice(96, 32);

            MatrixExpansion.Expand(p, rho, ws.Matrix);
            Sampling.ExpandSecrets(rhoPrime, p, ws.VectorL1.AsSpan(0, p.L * N), ws.VectorK1.AsSpan(0, p.K * N));

            for (int j = 0; j < p.L; j++)
            {
                Span<int> s1Hat = MlDsaWorkspace.Poly(ws.VectorL2, j);
                MlDsaWorkspace.Poly(ws.VectorL1, j).CopyTo(s1Hat);
                Ntt.Forward(s1Hat);
            }

            // t = NTT^-1(A o NTT(s1)) + s2, then (t1, t0) = Power2Round(t).
            Span<int> t1 = ws.VectorK4;
            Span<int> t0 = ws.VectorK3;
            for (int i = 0; i < p.K; i++)
            {
                Span<int> t = ws.Poly1;
                MatrixTimesVector(p, ws.Matrix, ws.VectorL2, i, t);
                Ntt.Inverse(t);
                ReadOnlySpan<int> s2 = MlDsaWorkspace.Poly(ws.VectorK1, i);
                for (int c = 0; c < N; c++) t[c] += s2[c];
                PolyMath.Freeze(t);
                Power2Round(t, t1.Slice(i * N, N), t0.Slice(i * N, N));
            }

            EncodePublicKey(p, rho, t1, publicKey);
            Span<byte> tr = stackalloc byte[MlDsa.PublicKeyHashSize];
            KeccakSponge.Shake256(publicKey, [], [], tr);
            EncodeSecretKey(p, rho, key, tr, ws.VectorL1, ws.VectorK1, t0, secretKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expanded);
            ws.Clear();
        }
    }

    /// <summary>Row <paramref name="row"/> of A o v, reduced for the inverse NTT (A and v in the NTT domain).</summary>
    internal static void MatrixTimesVector(MlDsaParameters p, ReadOnlySpan<int> matrix, ReadOnlySpan<int> vector, int row, Span<int> result)
    {
        PolyMath.PointwiseMontgomery(matrix.Slice(row * p.L * N, N), vector[..N], result);
        for (int j = 1; j < p.L; j++) PolyMath.PointwiseAccumulate(matrix.Slice((row * p.L + j) * N, N), vector.Slice(j * N, N), result);
        PolyMath.Reduce(result);
    }

    /// <summary>
    /// Power2Round (FIPS 204 algorithm 35) on canonical t: t = t1 * 2^13 + t0 with t0 in (-2^12, 2^12]; shifts only.
    /// </summary>
    internal static void Power2Round(ReadOnlySpan<int> t, Span<int> high, Span<int> low)
    {
        for (int c = 0; c < N; c++)
        {
            int h = (t[c] + (1 << (MlDsaField.D - 1)) - 1) >> MlDsaField.D;
            high[c] = h;
            low[c] = t[c] - (h << MlDsaField.D);
        }
    }

    /// <summary>pkEncode (FIPS 204 algorithm 22): rho || t1 in 10-bit fields.</summary>
    private static void EncodePublicKey(MlDsaParameters p, ReadOnlySpan<byte> rho, ReadOnlySpan<int> t1, Span<byte> publicKey)
    {
        rho.CopyTo(publicKey);
        for (int i = 0; i < p.K; i++) Packing.Pack(t1.Slice(i * N, N), 10, publicKey.Slice(32 + i * 320, 320));
    }

    /// <summary>skEncode (FIPS 204 algorithm 24): rho || K || tr || s1 || s2 || t0.</summary>
    private static void EncodeSecretKey(MlDsaParameters p, ReadOnlySpan<byte> rho, ReadOnlySpan<byte> key, ReadOnlySpan<byte> tr,
        ReadOnlySpan<int> s1, ReadOnlySpan<int> s2, ReadOnlySpan<int> t0, Span<byte> secretKey)
    {
        rho.CopyTo(secretKey);
        key.CopyTo(secretKey[32..]);
        tr.CopyTo(secretKey[64..]);
        int offset = 128;
        for (int j = 0; j < p.L; j++, offset += p.PackedEtaSize) Packing.PackCentered(s1.Slice(j * N, N), p.EtaBits, p.Eta, secretKey.Slice(offset, p.PackedEtaSize));
        for (int i = 0; i < p.K; i++, offset += p.PackedEtaSize) Packing.PackCentered(s2.Slice(i * N, N), p.EtaBits, p.Eta, secretKey.Slice(offset, p.PackedEtaSize));
        for (int i = 0; i < p.K; i++, offset += 32 * MlDsaField.D) Packing.PackCentered(t0.Slice(i * N, N), MlDsaField.D, 1 << (MlDsaField.D - 1), secretKey.Slice(offset, 32 * MlDsaField.D));
    }
}
