using System.Security.Cryptography;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>ML-DSA.Sign_internal (FIPS 204 algorithm 7) from mu, with skDecode (algorithm 25) and sigEncode (algorithm 26).</summary>
/// <remarks>
/// Constant time: every step on secret data (s1, s2, t0, K, y, and the intermediate z, r0, ct0, and the challenge of
/// attempts that are rejected) is a fixed sequence of NTTs, coefficient-wise arithmetic, masked sampling and
/// fixed-width packing (see <see cref="PolyMath"/>, <see cref="Sampling"/> and <see cref="Packing"/>).
/// The four rejection conditions of lines 24 and 28 are folded into one mask and the loop branches on it once per
/// attempt; the hint is encoded (a value-dependent loop) only for the accepted attempt, whose hint is published.
/// </remarks>
internal static class MlDsaSigning
{
    private const int N = MlDsaField.N;

    /// <summary>mu = H(tr || prefix || message, 64).</summary>
    public static void ComputeMu(ReadOnlySpan<byte> tr, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> message, Span<byte> mu) =>
        KeccakSponge.Shake256(tr, prefix, message, mu);

    /// <summary>Lengths are checked by the caller.</summary>
    public static void Sign(MlDsaParameters p, ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> random, Span<byte> signature)
    {
        MlDsaWorkspace ws = MlDsaWorkspace.Current;
        Span<byte> rhoDoublePrime = stackalloc byte[64];
        Span<byte> commitmentHash = stackalloc byte[64];
        commitmentHash = commitmentHash[..p.CommitmentHashSize];
        try
        {
            Span<int> s1Hat = ws.VectorL2.AsSpan(0, p.L * N);
            Span<int> s2Hat = ws.VectorK2.AsSpan(0, p.K * N);
            Span<int> t0Hat = ws.VectorK3.AsSpan(0, p.K * N);
            if (!DecodeSecretKey(p, secretKey, s1Hat, s2Hat, t0Hat))
            {
                throw new ArgumentException("the secret key is malformed: a coefficient of s1 or s2 lies outside [-eta, eta]", nameof(secretKey));
            }
            for (int j = 0; j < p.L; j++) Ntt.Forward(s1Hat.Slice(j * N, N));
            for (int i = 0; i < p.K; i++)
            {
                Ntt.Forward(s2Hat.Slice(i * N, N));
                Ntt.Forward(t0Hat.Slice(i * N, N));
            }
            MatrixExpansion.Expand(p, secretKey[..32], ws.Matrix);

            // rho'' = H(K || rnd || mu, 64)
            KeccakSponge.Shake256(secretKey.Slice(32, 32), random, mu, rhoDoublePrime);

            Span<int> y = ws.VectorL1.AsSpan(0, p.L * N);
            Span<int> yHat = ws.VectorL3.AsSpan(0, p.L * N);
            Span<int> w = ws.VectorK4.AsSpan(0, p.K * N);
            Span<int> w1 = ws.VectorK5.AsSpan(0, p.K * N);
            Span<int> hint = ws.VectorK6.AsSpan(0, p.K * N);
            Span<byte> w1Packed = ws.W1Packed.AsSpan(0, p.K * p.PackedW1Size);
            Span<int> c = ws.Challenge;
            Span<int> product = ws.Poly1;
            Span<int> low = ws.Poly2;
            Span<int> high = ws.Poly3;
            Span<int> shifted = ws.Poly4;

            for (int attempt = 0, kappa = 0; attempt < MlDsa.AttemptsMax; attempt++, kappa += p.L)
            {
                Sampling.ExpandMask(rhoDoublePrime, kappa, p, y);
                y.CopyTo(yHat);
                for (int j = 0; j < p.L; j++) Ntt.Forward(yHat.Slice(j * N, N));

                // w = NTT^-1(A o NTT(y)), w1 = HighBits(w), c~ = H(mu || w1Encode(w1)).
                for (int i = 0; i < p.K; i++)
                {
                    Span<int> wi = w.Slice(i * N, N);
                    MlDsaKeyGeneration.MatrixTimesVector(p, ws.Matrix, yHat, i, wi);
                    Ntt.Inverse(wi);
                    PolyMath.Freeze(wi);
                    PolyMath.Decompose(wi, w1.Slice(i * N, N), low, p.Gamma2);
                    Packing.Pack(w1.Slice(i * N, N), p.W1Bits, w1Packed.Slice(i * p.PackedW1Size, p.PackedW1Size));
                }
                KeccakSponge.Shake256(mu, w1Packed, [], commitmentHash);
                Sampling.ChallengeMasked(commitmentHash, p.Tau, c);
                Ntt.Forward(c);

                int reject = 0;

                // z = y + NTT^-1(c o s1); reject when ||z|| >= gamma1 - beta. z overwrites y.
                for (int j = 0; j < p.L; j++)
                {
                    Span<int> zj = y.Slice(j * N, N);
                    PolyMath.PointwiseMontgomery(c, s1Hat.Slice(j * N, N), product);
                    Ntt.Inverse(product);
                    for (int n = 0; n < N; n++) zj[n] += product[n];
                    PolyMath.Reduce(zj);
                    reject |= PolyMath.ExceedsBound(zj, p.Gamma1 - p.Beta);
                }

                // r0 = LowBits(w - c s2) and ct0; the hint compares HighBits(w - c s2) with HighBits(w - c s2 + c t0),
                // which is MakeHint(-ct0, w - cs2 + ct0) of line 26 (equality is symmetric).
                int hintCount = 0;
                for (int i = 0; i < p.K; i++)
                {
                    Span<int> wi = w.Slice(i * N, N);
                    PolyMath.PointwiseMontgomery(c, s2Hat.Slice(i * N, N), product);
                    Ntt.Inverse(product);
                    for (int n = 0; n < N; n++) wi[n] -= product[n];
                    PolyMath.Freeze(wi);
                    PolyMath.Decompose(wi, w1.Slice(i * N, N), low, p.Gamma2);
                    reject |= PolyMath.ExceedsBound(low, p.Gamma2 - p.Beta);

                    PolyMath.PointwiseMontgomery(c, t0Hat.Slice(i * N, N), product);
                    Ntt.Inverse(product);
                    PolyMath.Reduce(product);
                    reject |= PolyMath.ExceedsBound(product, p.Gamma2);

                    for (int n = 0; n < N; n++) shifted[n] = wi[n] + product[n];
                    PolyMath.Freeze(shifted);
                    PolyMath.Decompose(shifted, high, low, p.Gamma2);
                    hintCount += MakeHint(w1.Slice(i * N, N), high, hint.Slice(i * N, N));
                }
                reject |= (p.Omega - hintCount) >> 31;

                // The single secret-dependent branch: accept or reject this attempt (FIPS 204 lines 24 and 28).
                if (reject == 0)
                {
                    EncodeSignature(p, commitmentHash, y, hint, signature);
                    return;
                }
            }
            throw new CryptographicException($"ML-DSA signing did not finish in {MlDsa.AttemptsMax} attempts; the secret key is not a valid key");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rhoDoublePrime);
            ws.Clear();
        }
    }

    /// <summary>h_i = [a_i != b_i] as 0/1 without a branch; returns the number of ones.</summary>
    private static int MakeHint(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> hint)
    {
        int count = 0;
        for (int n = 0; n < N; n++)
        {
            int difference = a[n] ^ b[n];
            int bit = (difference | -difference) >>> 31;
            hint[n] = bit;
            count += bit;
        }
        return count;
    }

    /// <summary>
    /// skDecode (FIPS 204 algorithm 25) of s1, s2 and t0 (rho, K and tr are read in place by the caller). Returns false
    /// when a coefficient of s1 or s2 is outside [-eta, eta], which only a corrupted key has; the check folds every
    /// coefficient into one mask so it leaks nothing but that verdict.
    /// </summary>
    internal static bool DecodeSecretKey(MlDsaParameters p, ReadOnlySpan<byte> secretKey, Span<int> s1, Span<int> s2, Span<int> t0)
    {
        int offset = 128;
        int bad = 0;
        for (int j = 0; j < p.L; j++, offset += p.PackedEtaSize)
        {
            Span<int> poly = s1.Slice(j * N, N);
            Packing.UnpackCentered(secretKey.Slice(offset, p.PackedEtaSize), p.EtaBits, p.Eta, poly);
            bad |= PolyMath.ExceedsBound(poly, p.Eta + 1);
        }
        for (int i = 0; i < p.K; i++, offset += p.PackedEtaSize)
        {
            Span<int> poly = s2.Slice(i * N, N);
            Packing.UnpackCentered(secretKey.Slice(offset, p.PackedEtaSize), p.EtaBits, p.Eta, poly);
            bad |= PolyMath.ExceedsBound(poly, p.Eta + 1);
        }
        for (int i = 0; i < p.K; i++, offset += 32 * MlDsaField.D)
        {
            Packing.UnpackCentered(secretKey.Slice(offset, 32 * MlDsaField.D), MlDsaField.D, 1 << (MlDsaField.D - 1), t0.Slice(i * N, N));
        }
        return bad == 0;
    }

    /// <summary>sigEncode (FIPS 204 algorithm 26) with HintBitPack (algorithm 20); z is centred.</summary>
    private static void EncodeSignature(MlDsaParameters p, ReadOnlySpan<byte> commitmentHash, ReadOnlySpan<int> z, ReadOnlySpan<int> hint, Span<byte> signature)
    {
        commitmentHash.CopyTo(signature);
        int offset = p.CommitmentHashSize;
        for (int j = 0; j < p.L; j++, offset += p.PackedZSize)
        {
            Packing.PackCentered(z.Slice(j * N, N), p.Gamma1Bits + 1, p.Gamma1, signature.Slice(offset, p.PackedZSize));
        }
        Span<byte> packedHint = signature.Slice(offset, p.Omega + p.K);
        packedHint.Clear();
        int index = 0;
        for (int i = 0; i < p.K; i++)
        {
            for (int n = 0; n < N; n++)
            {
                if (hint[i * N + n] != 0) packedHint[index++] = (byte)n;
            }
            packedHint[p.Omega + i] = (byte)index;
        }
    }
}
