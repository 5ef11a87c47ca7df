using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// The NTT with AVX-512: 16 coefficients per Vector512&lt;int&gt;. Levels len = 128 .. 16 butterfly whole vectors;
/// levels 8, 4, 2, 1 run on the polynomial transposed as one 16 x 16 tile, with per-lane twiddles (Ntt.Lanes.cs).
/// Same integers as the scalar path.
/// </summary>
internal static partial class Ntt
{
    /// <summary>16 vectors: one 16 x 16 tile of coefficients, on the stack.</summary>
    [InlineArray(16)]
    private struct Tile16
    {
        private Vector512<int> _row0;
    }

    private static readonly Vector512<int> s_oddLanes512 = Vector512.Create(0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1);

    /// <summary>vpermt2d index pairs for the transpose stages with block size 8, 4, 2, 1 (see <see cref="Transpose16x16"/>).</summary>
    private static readonly Vector512<int>[] s_transposeIndices = BuildTransposeIndices();

    internal static void ForwardAvx512(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        // SAFETY: every load and store below is at an offset + 16 <= 256 = a.Length, checked above.
        ref int start = ref MemoryMarshal.GetReference(a);
        int m = 0;
        for (int len = 128; len >= 16; len >>= 1)
        {
            for (int block = 0; block < MlDsaField.N; block += 2 * len)
            {
                int zeta = Zetas[++m];
                Vector512<int> z = Vector512.Create(zeta);
                Vector512<int> zq = Vector512.Create(zeta * MlDsaField.QInverse);
                for (int j = block; j < block + len; j += 16)
                {
                    Vector512<int> low = Vector512.LoadUnsafe(ref start, (nuint)j);
                    Vector512<int> high = Vector512.LoadUnsafe(ref start, (nuint)(j + len));
                    Vector512<int> t = MontgomeryMultiplyAvx512(high, z, zq);
                    (low - t).StoreUnsafe(ref start, (nuint)(j + len));
                    (low + t).StoreUnsafe(ref start, (nuint)j);
                }
            }
        }

        Tile16 tile = default;
        for (int row = 0; row < 16; row++) tile[row] = Vector512.LoadUnsafe(ref start, (nuint)(16 * row));
        Transpose16x16(ref tile);
        LaneTwiddles twiddles = s_forward16;
        ref int table = ref MemoryMarshal.GetArrayDataReference(twiddles.Values);
        for (int len = 8; len >= 1; len >>= 1)
        {
            for (int h = 0; h < 8 / len; h++)
            {
                int o = twiddles.Offset(len, h, 0);
                Vector512<int> z = Vector512.LoadUnsafe(ref table, (nuint)o);
                Vector512<int> zq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
                for (int c = h * 2 * len; c < h * 2 * len + len; c++)
                {
                    Vector512<int> t = MontgomeryMultiplyAvx512(tile[c + len], z, zq);
                    tile[c + len] = tile[c] - t;
                    tile[c] += t;
                }
            }
        }
        Transpose16x16(ref tile);
        for (int row = 0; row < 16; row++) tile[row].StoreUnsafe(ref start, (nuint)(16 * row));
    }

    internal static void InverseAvx512(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        // SAFETY: every load and store below is at an offset + 16 <= 256 = a.Length, checked above.
        ref int start = ref MemoryMarshal.GetReference(a);

        Tile16 tile = default;
        for (int row = 0; row < 16; row++) tile[row] = Vector512.LoadUnsafe(ref start, (nuint)(16 * row));
        Transpose16x16(ref tile);
        LaneTwiddles twiddles = s_inverse16;
        ref int table = ref MemoryMarshal.GetArrayDataReference(twiddles.Values);
        for (int len = 1; len <= 8; len <<= 1)
        {
            for (int h = 0; h < 8 / len; h++)
            {
                int o = twiddles.Offset(len, h, 0);
                Vector512<int> z = Vector512.LoadUnsafe(ref table, (nuint)o);
                Vector512<int> zq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
                for (int c = h * 2 * len; c < h * 2 * len + len; c++)
                {
                    Vector512<int> t = tile[c];
                    tile[c] = t + tile[c + len];
                    tile[c + len] = MontgomeryMultiplyAvx512(t - tile[c + len], z, zq);
                }
            }
        }
        Transpose16x16(ref tile);
        for (int row = 0; row < 16; row++) tile[row].StoreUnsafe(ref start, (nuint)(16 * row));

        for (int len = 16; len < MlDsaField.N; len <<= 1)
        {
            int blocks = MlDsaField.N / (2 * len);
            for (int b = 0; b < blocks; b++)
            {
                int zeta = -Zetas[256 / len - 1 - b];
                Vector512<int> z = Vector512.Create(zeta);
                Vector512<int> zq = Vector512.Create(zeta * MlDsaField.QInverse);
                for (int j = b * 2 * len; j < b * 2 * len + len; j += 16)
                {
                    Vector512<int> low = Vector512.LoadUnsafe(ref start, (nuint)j);
                    Vector512<int> high = Vector512.LoadUnsafe(ref start, (nuint)(j + len));
                    (low + high).StoreUnsafe(ref start, (nuint)j);
                    MontgomeryMultiplyAvx512(low - high, z, zq).StoreUnsafe(ref start, (nuint)(j + len));
                }
            }
        }

        Vector512<int> scale = Vector512.Create(InverseScale);
        Vector512<int> scaleQ = Vector512.Create(unchecked(InverseScale * MlDsaField.QInverse));
        for (int j = 0; j < MlDsaField.N; j += 16)
        {
            MontgomeryMultiplyAvx512(Vector512.LoadUnsafe(ref start, (nuint)j), scale, scaleQ).StoreUnsafe(ref start, (nuint)j);
        }
    }

    /// <summary>The AVX2 Montgomery multiply (see <see cref="MontgomeryMultiplyAvx2"/>) on 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> MontgomeryMultiplyAvx512(Vector512<int> a, Vector512<int> b, Vector512<int> bQInverse)
    {
        Vector512<int> q = Vector512.Create(MlDsaField.Q);
        Vector512<int> t = Avx512F.MultiplyLow(a, bQInverse);
        Vector512<int> aOdd = Avx512F.Shuffle(a, 0b11_11_01_01);
        Vector512<int> bOdd = Avx512F.Shuffle(b, 0b11_11_01_01);
        Vector512<int> tOdd = Avx512F.Shuffle(t, 0b11_11_01_01);
        Vector512<long> even = Avx512F.Multiply(a, b) - Avx512F.Multiply(t, q);
        Vector512<long> odd = Avx512F.Multiply(aOdd, bOdd) - Avx512F.Multiply(tOdd, q);
        return Vector512.ConditionalSelect(s_oddLanes512, odd.AsInt32(), Avx512F.ShiftRightLogical(even, 32).AsInt32());
    }

    /// <summary>
    /// Transposes a 16 x 16 tile in four stages; the stage with block size b swaps the off-diagonal b x b blocks of
    /// every 2b x 2b block, pairing row r with row r + b: row r takes, from every 2b-column chunk, its own first b
    /// lanes then row r+b's first b lanes; row r+b takes the second halves. Each row is one vpermt2d of the pair.
    /// </summary>
    private static void Transpose16x16(ref Tile16 tile)
    {
        int stage = 0;
        for (int b = 8; b >= 1; b >>= 1, stage++)
        {
            Vector512<int> lowIndices = s_transposeIndices[2 * stage];
            Vector512<int> highIndices = s_transposeIndices[2 * stage + 1];
            for (int r = 0; r < 16; r++)
            {
                if ((r & b) != 0) continue;
                Vector512<int> first = tile[r];
                Vector512<int> second = tile[r + b];
                tile[r] = Avx512F.PermuteVar16x32x2(first, lowIndices, second);
                tile[r + b] = Avx512F.PermuteVar16x32x2(first, highIndices, second);
            }
        }
    }

    private static Vector512<int>[] BuildTransposeIndices()
    {
        var indices = new Vector512<int>[8];
        int stage = 0;
        for (int b = 8; b >= 1; b >>= 1, stage++)
        {
            var low = new int[16];
            var high = new int[16];
            for (int p = 0; p < 16; p++)
            {
                int chunk = p / (2 * b) * 2 * b;
                int offset = p % (2 * b);
                low[p] = offset < b ? chunk + offset : 16 + chunk + offset - b;
                high[p] = offset < b ? chunk + b + offset : 16 + chunk + offset;
            }
            indices[2 * stage] = Vector512.Create(low);
            indices[2 * stage + 1] = Vector512.Create(high);
        }
        return indices;
    }
}
