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
    private static readonly Vector512<int> s_oddLanes512 = Vector512.Create(0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1);

    /// <summary>vpermt2d index pairs for the transpose stages with block size 8, 4, 2, 1.</summary>
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

        // Generated (a script unrolled the transpose and the four in-tile levels so that the 16 rows stay in
        // registers): rows r0..r15 are the 16-coefficient groups, transposed so that row c holds coefficient c of each.
        Vector512<int> r0 = Vector512.LoadUnsafe(ref start, 0), r1 = Vector512.LoadUnsafe(ref start, 16), r2 = Vector512.LoadUnsafe(ref start, 32), r3 = Vector512.LoadUnsafe(ref start, 48), r4 = Vector512.LoadUnsafe(ref start, 64), r5 = Vector512.LoadUnsafe(ref start, 80), r6 = Vector512.LoadUnsafe(ref start, 96), r7 = Vector512.LoadUnsafe(ref start, 112), r8 = Vector512.LoadUnsafe(ref start, 128), r9 = Vector512.LoadUnsafe(ref start, 144), r10 = Vector512.LoadUnsafe(ref start, 160), r11 = Vector512.LoadUnsafe(ref start, 176), r12 = Vector512.LoadUnsafe(ref start, 192), r13 = Vector512.LoadUnsafe(ref start, 208), r14 = Vector512.LoadUnsafe(ref start, 224), r15 = Vector512.LoadUnsafe(ref start, 240);
        Vector512<int> lowIndices, highIndices, laneZ, laneZq, laneT;
        int o;
        LaneTwiddles twiddles = s_forward16;
        ref int table = ref MemoryMarshal.GetArrayDataReference(twiddles.Values);
        lowIndices = s_transposeIndices[0];
        highIndices = s_transposeIndices[1];
        (r0, r8) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r8), Avx512F.PermuteVar16x32x2(r0, highIndices, r8));
        (r1, r9) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r9), Avx512F.PermuteVar16x32x2(r1, highIndices, r9));
        (r2, r10) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r10), Avx512F.PermuteVar16x32x2(r2, highIndices, r10));
        (r3, r11) = (Avx512F.PermuteVar16x32x2(r3, lowIndices, r11), Avx512F.PermuteVar16x32x2(r3, highIndices, r11));
        (r4, r12) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r12), Avx512F.PermuteVar16x32x2(r4, highIndices, r12));
        (r5, r13) = (Avx512F.PermuteVar16x32x2(r5, lowIndices, r13), Avx512F.PermuteVar16x32x2(r5, highIndices, r13));
        (r6, r14) = (Avx512F.PermuteVar16x32x2(r6, lowIndices, r14), Avx512F.PermuteVar16x32x2(r6, highIndices, r14));
        (r7, r15) = (Avx512F.PermuteVar16x32x2(r7, lowIndices, r15), Avx512F.PermuteVar16x32x2(r7, highIndices, r15));
        lowIndices = s_transposeIndices[2];
        highIndices = s_transposeIndices[3];
        (r0, r4) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r4), Avx512F.PermuteVar16x32x2(r0, highIndices, r4));
        (r1, r5) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r5), Avx512F.PermuteVar16x32x2(r1, highIndices, r5));
        (r2, r6) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r6), Avx512F.PermuteVar16x32x2(r2, highIndices, r6));
        (r3, r7) = (Avx512F.PermuteVar16x32x2(r3, lowIndices, r7), Avx512F.PermuteVar16x32x2(r3, highIndices, r7));
        (r8, r12) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r12), Avx512F.PermuteVar16x32x2(r8, highIndices, r12));
        (r9, r13) = (Avx512F.PermuteVar16x32x2(r9, lowIndices, r13), Avx512F.PermuteVar16x32x2(r9, highIndices, r13));
        (r10, r14) = (Avx512F.PermuteVar16x32x2(r10, lowIndices, r14), Avx512F.PermuteVar16x32x2(r10, highIndices, r14));
        (r11, r15) = (Avx512F.PermuteVar16x32x2(r11, lowIndices, r15), Avx512F.PermuteVar16x32x2(r11, highIndices, r15));
        lowIndices = s_transposeIndices[4];
        highIndices = s_transposeIndices[5];
        (r0, r2) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r2), Avx512F.PermuteVar16x32x2(r0, highIndices, r2));
        (r1, r3) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r3), Avx512F.PermuteVar16x32x2(r1, highIndices, r3));
        (r4, r6) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r6), Avx512F.PermuteVar16x32x2(r4, highIndices, r6));
        (r5, r7) = (Avx512F.PermuteVar16x32x2(r5, lowIndices, r7), Avx512F.PermuteVar16x32x2(r5, highIndices, r7));
        (r8, r10) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r10), Avx512F.PermuteVar16x32x2(r8, highIndices, r10));
        (r9, r11) = (Avx512F.PermuteVar16x32x2(r9, lowIndices, r11), Avx512F.PermuteVar16x32x2(r9, highIndices, r11));
        (r12, r14) = (Avx512F.PermuteVar16x32x2(r12, lowIndices, r14), Avx512F.PermuteVar16x32x2(r12, highIndices, r14));
        (r13, r15) = (Avx512F.PermuteVar16x32x2(r13, lowIndices, r15), Avx512F.PermuteVar16x32x2(r13, highIndices, r15));
        lowIndices = s_transposeIndices[6];
        highIndices = s_transposeIndices[7];
        (r0, r1) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r1), Avx512F.PermuteVar16x32x2(r0, highIndices, r1));
        (r2, r3) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r3), Avx512F.PermuteVar16x32x2(r2, highIndices, r3));
        (r4, r5) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r5), Avx512F.PermuteVar16x32x2(r4, highIndices, r5));
        (r6, r7) = (Avx512F.PermuteVar16x32x2(r6, lowIndices, r7), Avx512F.PermuteVar16x32x2(r6, highIndices, r7));
        (r8, r9) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r9), Avx512F.PermuteVar16x32x2(r8, highIndices, r9));
        (r10, r11) = (Avx512F.PermuteVar16x32x2(r10, lowIndices, r11), Avx512F.PermuteVar16x32x2(r10, highIndices, r11));
        (r12, r13) = (Avx512F.PermuteVar16x32x2(r12, lowIndices, r13), Avx512F.PermuteVar16x32x2(r12, highIndices, r13));
        (r14, r15) = (Avx512F.PermuteVar16x32x2(r14, lowIndices, r15), Avx512F.PermuteVar16x32x2(r14, highIndices, r15));
        o = twiddles.Offset(8, 0, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r8, laneZ, laneZq);
        (r0, r8) = (r0 + laneT, r0 - laneT);
        laneT = MontgomeryMultiplyAvx512(r9, laneZ, laneZq);
        (r1, r9) = (r1 + laneT, r1 - laneT);
        laneT = MontgomeryMultiplyAvx512(r10, laneZ, laneZq);
        (r2, r10) = (r2 + laneT, r2 - laneT);
        laneT = MontgomeryMultiplyAvx512(r11, laneZ, laneZq);
        (r3, r11) = (r3 + laneT, r3 - laneT);
        laneT = MontgomeryMultiplyAvx512(r12, laneZ, laneZq);
        (r4, r12) = (r4 + laneT, r4 - laneT);
        laneT = MontgomeryMultiplyAvx512(r13, laneZ, laneZq);
        (r5, r13) = (r5 + laneT, r5 - laneT);
        laneT = MontgomeryMultiplyAvx512(r14, laneZ, laneZq);
        (r6, r14) = (r6 + laneT, r6 - laneT);
        laneT = MontgomeryMultiplyAvx512(r15, laneZ, laneZq);
        (r7, r15) = (r7 + laneT, r7 - laneT);
        o = twiddles.Offset(4, 0, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r4, laneZ, laneZq);
        (r0, r4) = (r0 + laneT, r0 - laneT);
        laneT = MontgomeryMultiplyAvx512(r5, laneZ, laneZq);
        (r1, r5) = (r1 + laneT, r1 - laneT);
        laneT = MontgomeryMultiplyAvx512(r6, laneZ, laneZq);
        (r2, r6) = (r2 + laneT, r2 - laneT);
        laneT = MontgomeryMultiplyAvx512(r7, laneZ, laneZq);
        (r3, r7) = (r3 + laneT, r3 - laneT);
        o = twiddles.Offset(4, 1, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r12, laneZ, laneZq);
        (r8, r12) = (r8 + laneT, r8 - laneT);
        laneT = MontgomeryMultiplyAvx512(r13, laneZ, laneZq);
        (r9, r13) = (r9 + laneT, r9 - laneT);
        laneT = MontgomeryMultiplyAvx512(r14, laneZ, laneZq);
        (r10, r14) = (r10 + laneT, r10 - laneT);
        laneT = MontgomeryMultiplyAvx512(r15, laneZ, laneZq);
        (r11, r15) = (r11 + laneT, r11 - laneT);
        o = twiddles.Offset(2, 0, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r2, laneZ, laneZq);
        (r0, r2) = (r0 + laneT, r0 - laneT);
        laneT = MontgomeryMultiplyAvx512(r3, laneZ, laneZq);
        (r1, r3) = (r1 + laneT, r1 - laneT);
        o = twiddles.Offset(2, 1, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r6, laneZ, laneZq);
        (r4, r6) = (r4 + laneT, r4 - laneT);
        laneT = MontgomeryMultiplyAvx512(r7, laneZ, laneZq);
        (r5, r7) = (r5 + laneT, r5 - laneT);
        o = twiddles.Offset(2, 2, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r10, laneZ, laneZq);
        (r8, r10) = (r8 + laneT, r8 - laneT);
        laneT = MontgomeryMultiplyAvx512(r11, laneZ, laneZq);
        (r9, r11) = (r9 + laneT, r9 - laneT);
        o = twiddles.Offset(2, 3, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r14, laneZ, laneZq);
        (r12, r14) = (r12 + laneT, r12 - laneT);
        laneT = MontgomeryMultiplyAvx512(r15, laneZ, laneZq);
        (r13, r15) = (r13 + laneT, r13 - laneT);
        o = twiddles.Offset(1, 0, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r1, laneZ, laneZq);
        (r0, r1) = (r0 + laneT, r0 - laneT);
        o = twiddles.Offset(1, 1, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r3, laneZ, laneZq);
        (r2, r3) = (r2 + laneT, r2 - laneT);
        o = twiddles.Offset(1, 2, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r5, laneZ, laneZq);
        (r4, r5) = (r4 + laneT, r4 - laneT);
        o = twiddles.Offset(1, 3, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r7, laneZ, laneZq);
        (r6, r7) = (r6 + laneT, r6 - laneT);
        o = twiddles.Offset(1, 4, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r9, laneZ, laneZq);
        (r8, r9) = (r8 + laneT, r8 - laneT);
        o = twiddles.Offset(1, 5, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r11, laneZ, laneZq);
        (r10, r11) = (r10 + laneT, r10 - laneT);
        o = twiddles.Offset(1, 6, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r13, laneZ, laneZq);
        (r12, r13) = (r12 + laneT, r12 - laneT);
        o = twiddles.Offset(1, 7, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        laneT = MontgomeryMultiplyAvx512(r15, laneZ, laneZq);
        (r14, r15) = (r14 + laneT, r14 - laneT);
        lowIndices = s_transposeIndices[0];
        highIndices = s_transposeIndices[1];
        (r0, r8) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r8), Avx512F.PermuteVar16x32x2(r0, highIndices, r8));
        (r1, r9) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r9), Avx512F.PermuteVar16x32x2(r1, highIndices, r9));
        (r2, r10) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r10), Avx512F.PermuteVar16x32x2(r2, highIndices, r10));
        (r3, r11) = (Avx512F.PermuteVar16x32x2(r3, lowIndices, r11), Avx512F.PermuteVar16x32x2(r3, highIndices, r11));
        (r4, r12) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r12), Avx512F.PermuteVar16x32x2(r4, highIndices, r12));
        (r5, r13) = (Avx512F.PermuteVar16x32x2(r5, lowIndices, r13), Avx512F.PermuteVar16x32x2(r5, highIndices, r13));
        (r6, r14) = (Avx512F.PermuteVar16x32x2(r6, lowIndices, r14), Avx512F.PermuteVar16x32x2(r6, highIndices, r14));
        (r7, r15) = (Avx512F.PermuteVar16x32x2(r7, lowIndices, r15), Avx512F.PermuteVar16x32x2(r7, highIndices, r15));
        lowIndices = s_transposeIndices[2];
        highIndices = s_transposeIndices[3];
        (r0, r4) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r4), Avx512F.PermuteVar16x32x2(r0, highIndices, r4));
        (r1, r5) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r5), Avx512F.PermuteVar16x32x2(r1, highIndices, r5));
        (r2, r6) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r6), Avx512F.PermuteVar16x32x2(r2, highIndices, r6));
        (r3, r7) = (Avx512F.PermuteVar16x32x2(r3, lowIndices, r7), Avx512F.PermuteVar16x32x2(r3, highIndices, r7));
        (r8, r12) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r12), Avx512F.PermuteVar16x32x2(r8, highIndices, r12));
        (r9, r13) = (Avx512F.PermuteVar16x32x2(r9, lowIndices, r13), Avx512F.PermuteVar16x32x2(r9, highIndices, r13));
        (r10, r14) = (Avx512F.PermuteVar16x32x2(r10, lowIndices, r14), Avx512F.PermuteVar16x32x2(r10, highIndices, r14));
        (r11, r15) = (Avx512F.PermuteVar16x32x2(r11, lowIndices, r15), Avx512F.PermuteVar16x32x2(r11, highIndices, r15));
        lowIndices = s_transposeIndices[4];
        highIndices = s_transposeIndices[5];
        (r0, r2) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r2), Avx512F.PermuteVar16x32x2(r0, highIndices, r2));
        (r1, r3) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r3), Avx512F.PermuteVar16x32x2(r1, highIndices, r3));
        (r4, r6) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r6), Avx512F.PermuteVar16x32x2(r4, highIndices, r6));
        (r5, r7) = (Avx512F.PermuteVar16x32x2(r5, lowIndices, r7), Avx512F.PermuteVar16x32x2(r5, highIndices, r7));
        (r8, r10) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r10), Avx512F.PermuteVar16x32x2(r8, highIndices, r10));
        (r9, r11) = (Avx512F.PermuteVar16x32x2(r9, lowIndices, r11), Avx512F.PermuteVar16x32x2(r9, highIndices, r11));
        (r12, r14) = (Avx512F.PermuteVar16x32x2(r12, lowIndices, r14), Avx512F.PermuteVar16x32x2(r12, highIndices, r14));
        (r13, r15) = (Avx512F.PermuteVar16x32x2(r13, lowIndices, r15), Avx512F.PermuteVar16x32x2(r13, highIndices, r15));
        lowIndices = s_transposeIndices[6];
        highIndices = s_transposeIndices[7];
        (r0, r1) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r1), Avx512F.PermuteVar16x32x2(r0, highIndices, r1));
        (r2, r3) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r3), Avx512F.PermuteVar16x32x2(r2, highIndices, r3));
        (r4, r5) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r5), Avx512F.PermuteVar16x32x2(r4, highIndices, r5));
        (r6, r7) = (Avx512F.PermuteVar16x32x2(r6, lowIndices, r7), Avx512F.PermuteVar16x32x2(r6, highIndices, r7));
        (r8, r9) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r9), Avx512F.PermuteVar16x32x2(r8, highIndices, r9));
        (r10, r11) = (Avx512F.PermuteVar16x32x2(r10, lowIndices, r11), Avx512F.PermuteVar16x32x2(r10, highIndices, r11));
        (r12, r13) = (Avx512F.PermuteVar16x32x2(r12, lowIndices, r13), Avx512F.PermuteVar16x32x2(r12, highIndices, r13));
        (r14, r15) = (Avx512F.PermuteVar16x32x2(r14, lowIndices, r15), Avx512F.PermuteVar16x32x2(r14, highIndices, r15));
        r0.StoreUnsafe(ref start, 0);
        r1.StoreUnsafe(ref start, 16);
        r2.StoreUnsafe(ref start, 32);
        r3.StoreUnsafe(ref start, 48);
        r4.StoreUnsafe(ref start, 64);
        r5.StoreUnsafe(ref start, 80);
        r6.StoreUnsafe(ref start, 96);
        r7.StoreUnsafe(ref start, 112);
        r8.StoreUnsafe(ref start, 128);
        r9.StoreUnsafe(ref start, 144);
        r10.StoreUnsafe(ref start, 160);
        r11.StoreUnsafe(ref start, 176);
        r12.StoreUnsafe(ref start, 192);
        r13.StoreUnsafe(ref start, 208);
        r14.StoreUnsafe(ref start, 224);
        r15.StoreUnsafe(ref start, 240);
    }

    internal static void InverseAvx512(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        // SAFETY: every load and store below is at an offset + 16 <= 256 = a.Length, checked above.
        ref int start = ref MemoryMarshal.GetReference(a);

        // Generated (a script unrolled the transpose and the four in-tile levels so that the 16 rows stay in
        // registers): rows r0..r15 are the 16-coefficient groups, transposed so that row c holds coefficient c of each.
        Vector512<int> r0 = Vector512.LoadUnsafe(ref start, 0), r1 = Vector512.LoadUnsafe(ref start, 16), r2 = Vector512.LoadUnsafe(ref start, 32), r3 = Vector512.LoadUnsafe(ref start, 48), r4 = Vector512.LoadUnsafe(ref start, 64), r5 = Vector512.LoadUnsafe(ref start, 80), r6 = Vector512.LoadUnsafe(ref start, 96), r7 = Vector512.LoadUnsafe(ref start, 112), r8 = Vector512.LoadUnsafe(ref start, 128), r9 = Vector512.LoadUnsafe(ref start, 144), r10 = Vector512.LoadUnsafe(ref start, 160), r11 = Vector512.LoadUnsafe(ref start, 176), r12 = Vector512.LoadUnsafe(ref start, 192), r13 = Vector512.LoadUnsafe(ref start, 208), r14 = Vector512.LoadUnsafe(ref start, 224), r15 = Vector512.LoadUnsafe(ref start, 240);
        Vector512<int> lowIndices, highIndices, laneZ, laneZq;
        int o;
        LaneTwiddles twiddles = s_inverse16;
        ref int table = ref MemoryMarshal.GetArrayDataReference(twiddles.Values);
        lowIndices = s_transposeIndices[0];
        highIndices = s_transposeIndices[1];
        (r0, r8) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r8), Avx512F.PermuteVar16x32x2(r0, highIndices, r8));
        (r1, r9) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r9), Avx512F.PermuteVar16x32x2(r1, highIndices, r9));
        (r2, r10) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r10), Avx512F.PermuteVar16x32x2(r2, highIndices, r10));
        (r3, r11) = (Avx512F.PermuteVar16x32x2(r3, lowIndices, r11), Avx512F.PermuteVar16x32x2(r3, highIndices, r11));
        (r4, r12) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r12), Avx512F.PermuteVar16x32x2(r4, highIndices, r12));
        (r5, r13) = (Avx512F.PermuteVar16x32x2(r5, lowIndices, r13), Avx512F.PermuteVar16x32x2(r5, highIndices, r13));
        (r6, r14) = (Avx512F.PermuteVar16x32x2(r6, lowIndices, r14), Avx512F.PermuteVar16x32x2(r6, highIndices, r14));
        (r7, r15) = (Avx512F.PermuteVar16x32x2(r7, lowIndices, r15), Avx512F.PermuteVar16x32x2(r7, highIndices, r15));
        lowIndices = s_transposeIndices[2];
        highIndices = s_transposeIndices[3];
        (r0, r4) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r4), Avx512F.PermuteVar16x32x2(r0, highIndices, r4));
        (r1, r5) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r5), Avx512F.PermuteVar16x32x2(r1, highIndices, r5));
        (r2, r6) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r6), Avx512F.PermuteVar16x32x2(r2, highIndices, r6));
        (r3, r7) = (Avx512F.PermuteVar16x32x2(r3, lowIndices, r7), Avx512F.PermuteVar16x32x2(r3, highIndices, r7));
        (r8, r12) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r12), Avx512F.PermuteVar16x32x2(r8, highIndices, r12));
        (r9, r13) = (Avx512F.PermuteVar16x32x2(r9, lowIndices, r13), Avx512F.PermuteVar16x32x2(r9, highIndices, r13));
        (r10, r14) = (Avx512F.PermuteVar16x32x2(r10, lowIndices, r14), Avx512F.PermuteVar16x32x2(r10, highIndices, r14));
        (r11, r15) = (Avx512F.PermuteVar16x32x2(r11, lowIndices, r15), Avx512F.PermuteVar16x32x2(r11, highIndices, r15));
        lowIndices = s_transposeIndices[4];
        highIndices = s_transposeIndices[5];
        (r0, r2) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r2), Avx512F.PermuteVar16x32x2(r0, highIndices, r2));
        (r1, r3) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r3), Avx512F.PermuteVar16x32x2(r1, highIndices, r3));
        (r4, r6) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r6), Avx512F.PermuteVar16x32x2(r4, highIndices, r6));
        (r5, r7) = (Avx512F.PermuteVar16x32x2(r5, lowIndices, r7), Avx512F.PermuteVar16x32x2(r5, highIndices, r7));
        (r8, r10) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r10), Avx512F.PermuteVar16x32x2(r8, highIndices, r10));
        (r9, r11) = (Avx512F.PermuteVar16x32x2(r9, lowIndices, r11), Avx512F.PermuteVar16x32x2(r9, highIndices, r11));
        (r12, r14) = (Avx512F.PermuteVar16x32x2(r12, lowIndices, r14), Avx512F.PermuteVar16x32x2(r12, highIndices, r14));
        (r13, r15) = (Avx512F.PermuteVar16x32x2(r13, lowIndices, r15), Avx512F.PermuteVar16x32x2(r13, highIndices, r15));
        lowIndices = s_transposeIndices[6];
        highIndices = s_transposeIndices[7];
        (r0, r1) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r1), Avx512F.PermuteVar16x32x2(r0, highIndices, r1));
        (r2, r3) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r3), Avx512F.PermuteVar16x32x2(r2, highIndices, r3));
        (r4, r5) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r5), Avx512F.PermuteVar16x32x2(r4, highIndices, r5));
        (r6, r7) = (Avx512F.PermuteVar16x32x2(r6, lowIndices, r7), Avx512F.PermuteVar16x32x2(r6, highIndices, r7));
        (r8, r9) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r9), Avx512F.PermuteVar16x32x2(r8, highIndices, r9));
        (r10, r11) = (Avx512F.PermuteVar16x32x2(r10, lowIndices, r11), Avx512F.PermuteVar16x32x2(r10, highIndices, r11));
        (r12, r13) = (Avx512F.PermuteVar16x32x2(r12, lowIndices, r13), Avx512F.PermuteVar16x32x2(r12, highIndices, r13));
        (r14, r15) = (Avx512F.PermuteVar16x32x2(r14, lowIndices, r15), Avx512F.PermuteVar16x32x2(r14, highIndices, r15));
        o = twiddles.Offset(1, 0, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r0, r1) = (r0 + r1, MontgomeryMultiplyAvx512(r0 - r1, laneZ, laneZq));
        o = twiddles.Offset(1, 1, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r2, r3) = (r2 + r3, MontgomeryMultiplyAvx512(r2 - r3, laneZ, laneZq));
        o = twiddles.Offset(1, 2, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r4, r5) = (r4 + r5, MontgomeryMultiplyAvx512(r4 - r5, laneZ, laneZq));
        o = twiddles.Offset(1, 3, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r6, r7) = (r6 + r7, MontgomeryMultiplyAvx512(r6 - r7, laneZ, laneZq));
        o = twiddles.Offset(1, 4, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r8, r9) = (r8 + r9, MontgomeryMultiplyAvx512(r8 - r9, laneZ, laneZq));
        o = twiddles.Offset(1, 5, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r10, r11) = (r10 + r11, MontgomeryMultiplyAvx512(r10 - r11, laneZ, laneZq));
        o = twiddles.Offset(1, 6, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r12, r13) = (r12 + r13, MontgomeryMultiplyAvx512(r12 - r13, laneZ, laneZq));
        o = twiddles.Offset(1, 7, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r14, r15) = (r14 + r15, MontgomeryMultiplyAvx512(r14 - r15, laneZ, laneZq));
        o = twiddles.Offset(2, 0, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r0, r2) = (r0 + r2, MontgomeryMultiplyAvx512(r0 - r2, laneZ, laneZq));
        (r1, r3) = (r1 + r3, MontgomeryMultiplyAvx512(r1 - r3, laneZ, laneZq));
        o = twiddles.Offset(2, 1, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r4, r6) = (r4 + r6, MontgomeryMultiplyAvx512(r4 - r6, laneZ, laneZq));
        (r5, r7) = (r5 + r7, MontgomeryMultiplyAvx512(r5 - r7, laneZ, laneZq));
        o = twiddles.Offset(2, 2, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r8, r10) = (r8 + r10, MontgomeryMultiplyAvx512(r8 - r10, laneZ, laneZq));
        (r9, r11) = (r9 + r11, MontgomeryMultiplyAvx512(r9 - r11, laneZ, laneZq));
        o = twiddles.Offset(2, 3, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r12, r14) = (r12 + r14, MontgomeryMultiplyAvx512(r12 - r14, laneZ, laneZq));
        (r13, r15) = (r13 + r15, MontgomeryMultiplyAvx512(r13 - r15, laneZ, laneZq));
        o = twiddles.Offset(4, 0, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r0, r4) = (r0 + r4, MontgomeryMultiplyAvx512(r0 - r4, laneZ, laneZq));
        (r1, r5) = (r1 + r5, MontgomeryMultiplyAvx512(r1 - r5, laneZ, laneZq));
        (r2, r6) = (r2 + r6, MontgomeryMultiplyAvx512(r2 - r6, laneZ, laneZq));
        (r3, r7) = (r3 + r7, MontgomeryMultiplyAvx512(r3 - r7, laneZ, laneZq));
        o = twiddles.Offset(4, 1, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r8, r12) = (r8 + r12, MontgomeryMultiplyAvx512(r8 - r12, laneZ, laneZq));
        (r9, r13) = (r9 + r13, MontgomeryMultiplyAvx512(r9 - r13, laneZ, laneZq));
        (r10, r14) = (r10 + r14, MontgomeryMultiplyAvx512(r10 - r14, laneZ, laneZq));
        (r11, r15) = (r11 + r15, MontgomeryMultiplyAvx512(r11 - r15, laneZ, laneZq));
        o = twiddles.Offset(8, 0, 0);
        laneZ = Vector512.LoadUnsafe(ref table, (nuint)o);
        laneZq = Vector512.LoadUnsafe(ref table, (nuint)(o + 16));
        (r0, r8) = (r0 + r8, MontgomeryMultiplyAvx512(r0 - r8, laneZ, laneZq));
        (r1, r9) = (r1 + r9, MontgomeryMultiplyAvx512(r1 - r9, laneZ, laneZq));
        (r2, r10) = (r2 + r10, MontgomeryMultiplyAvx512(r2 - r10, laneZ, laneZq));
        (r3, r11) = (r3 + r11, MontgomeryMultiplyAvx512(r3 - r11, laneZ, laneZq));
        (r4, r12) = (r4 + r12, MontgomeryMultiplyAvx512(r4 - r12, laneZ, laneZq));
        (r5, r13) = (r5 + r13, MontgomeryMultiplyAvx512(r5 - r13, laneZ, laneZq));
        (r6, r14) = (r6 + r14, MontgomeryMultiplyAvx512(r6 - r14, laneZ, laneZq));
        (r7, r15) = (r7 + r15, MontgomeryMultiplyAvx512(r7 - r15, laneZ, laneZq));
        lowIndices = s_transposeIndices[0];
        highIndices = s_transposeIndices[1];
        (r0, r8) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r8), Avx512F.PermuteVar16x32x2(r0, highIndices, r8));
        (r1, r9) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r9), Avx512F.PermuteVar16x32x2(r1, highIndices, r9));
        (r2, r10) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r10), Avx512F.PermuteVar16x32x2(r2, highIndices, r10));
        (r3, r11) = (Avx512F.PermuteVar16x32x2(r3, lowIndices, r11), Avx512F.PermuteVar16x32x2(r3, highIndices, r11));
        (r4, r12) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r12), Avx512F.PermuteVar16x32x2(r4, highIndices, r12));
        (r5, r13) = (Avx512F.PermuteVar16x32x2(r5, lowIndices, r13), Avx512F.PermuteVar16x32x2(r5, highIndices, r13));
        (r6, r14) = (Avx512F.PermuteVar16x32x2(r6, lowIndices, r14), Avx512F.PermuteVar16x32x2(r6, highIndices, r14));
        (r7, r15) = (Avx512F.PermuteVar16x32x2(r7, lowIndices, r15), Avx512F.PermuteVar16x32x2(r7, highIndices, r15));
        lowIndices = s_transposeIndices[2];
        highIndices = s_transposeIndices[3];
        (r0, r4) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r4), Avx512F.PermuteVar16x32x2(r0, highIndices, r4));
        (r1, r5) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r5), Avx512F.PermuteVar16x32x2(r1, highIndices, r5));
        (r2, r6) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r6), Avx512F.PermuteVar16x32x2(r2, highIndices, r6));
        (r3, r7) = (Avx512F.PermuteVar16x32x2(r3, lowIndices, r7), Avx512F.PermuteVar16x32x2(r3, highIndices, r7));
        (r8, r12) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r12), Avx512F.PermuteVar16x32x2(r8, highIndices, r12));
        (r9, r13) = (Avx512F.PermuteVar16x32x2(r9, lowIndices, r13), Avx512F.PermuteVar16x32x2(r9, highIndices, r13));
        (r10, r14) = (Avx512F.PermuteVar16x32x2(r10, lowIndices, r14), Avx512F.PermuteVar16x32x2(r10, highIndices, r14));
        (r11, r15) = (Avx512F.PermuteVar16x32x2(r11, lowIndices, r15), Avx512F.PermuteVar16x32x2(r11, highIndices, r15));
        lowIndices = s_transposeIndices[4];
        highIndices = s_transposeIndices[5];
        (r0, r2) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r2), Avx512F.PermuteVar16x32x2(r0, highIndices, r2));
        (r1, r3) = (Avx512F.PermuteVar16x32x2(r1, lowIndices, r3), Avx512F.PermuteVar16x32x2(r1, highIndices, r3));
        (r4, r6) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r6), Avx512F.PermuteVar16x32x2(r4, highIndices, r6));
        (r5, r7) = (Avx512F.PermuteVar16x32x2(r5, lowIndices, r7), Avx512F.PermuteVar16x32x2(r5, highIndices, r7));
        (r8, r10) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r10), Avx512F.PermuteVar16x32x2(r8, highIndices, r10));
        (r9, r11) = (Avx512F.PermuteVar16x32x2(r9, lowIndices, r11), Avx512F.PermuteVar16x32x2(r9, highIndices, r11));
        (r12, r14) = (Avx512F.PermuteVar16x32x2(r12, lowIndices, r14), Avx512F.PermuteVar16x32x2(r12, highIndices, r14));
        (r13, r15) = (Avx512F.PermuteVar16x32x2(r13, lowIndices, r15), Avx512F.PermuteVar16x32x2(r13, highIndices, r15));
        lowIndices = s_transposeIndices[6];
        highIndices = s_transposeIndices[7];
        (r0, r1) = (Avx512F.PermuteVar16x32x2(r0, lowIndices, r1), Avx512F.PermuteVar16x32x2(r0, highIndices, r1));
        (r2, r3) = (Avx512F.PermuteVar16x32x2(r2, lowIndices, r3), Avx512F.PermuteVar16x32x2(r2, highIndices, r3));
        (r4, r5) = (Avx512F.PermuteVar16x32x2(r4, lowIndices, r5), Avx512F.PermuteVar16x32x2(r4, highIndices, r5));
        (r6, r7) = (Avx512F.PermuteVar16x32x2(r6, lowIndices, r7), Avx512F.PermuteVar16x32x2(r6, highIndices, r7));
        (r8, r9) = (Avx512F.PermuteVar16x32x2(r8, lowIndices, r9), Avx512F.PermuteVar16x32x2(r8, highIndices, r9));
        (r10, r11) = (Avx512F.PermuteVar16x32x2(r10, lowIndices, r11), Avx512F.PermuteVar16x32x2(r10, highIndices, r11));
        (r12, r13) = (Avx512F.PermuteVar16x32x2(r12, lowIndices, r13), Avx512F.PermuteVar16x32x2(r12, highIndices, r13));
        (r14, r15) = (Avx512F.PermuteVar16x32x2(r14, lowIndices, r15), Avx512F.PermuteVar16x32x2(r14, highIndices, r15));
        r0.StoreUnsafe(ref start, 0);
        r1.StoreUnsafe(ref start, 16);
        r2.StoreUnsafe(ref start, 32);
        r3.StoreUnsafe(ref start, 48);
        r4.StoreUnsafe(ref start, 64);
        r5.StoreUnsafe(ref start, 80);
        r6.StoreUnsafe(ref start, 96);
        r7.StoreUnsafe(ref start, 112);
        r8.StoreUnsafe(ref start, 128);
        r9.StoreUnsafe(ref start, 144);
        r10.StoreUnsafe(ref start, 160);
        r11.StoreUnsafe(ref start, 176);
        r12.StoreUnsafe(ref start, 192);
        r13.StoreUnsafe(ref start, 208);
        r14.StoreUnsafe(ref start, 224);
        r15.StoreUnsafe(ref start, 240);

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

    // The transpose (unrolled above) runs four stages; the stage with block size b swaps the off-diagonal b x b blocks of
    // every 2b x 2b block, pairing row r with row r + b: row r takes, from every 2b-column chunk, its own first b lanes
    // then row r+b's first b lanes; row r+b takes the second halves. Each new row is one vpermt2d of the pair.
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
