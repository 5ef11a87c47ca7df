using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// The NTT with AVX2: 8 coefficients per Vector256&lt;int&gt;. Levels len = 128 .. 8 butterfly whole vectors; levels
/// 4, 2, 1 run on 8 x 8 transposed tiles with per-lane twiddles (see Ntt.Lanes.cs). Same integers as the scalar path.
/// </summary>
internal static partial class Ntt
{
    internal static void ForwardAvx2(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        // SAFETY: every load and store below is at an offset + 8 <= 256 = a.Length, checked above.
        ref int start = ref MemoryMarshal.GetReference(a);
        int m = 0;
        for (int len = 128; len >= 8; len >>= 1)
        {
            for (int block = 0; block < MlDsaField.N; block += 2 * len)
            {
                int zeta = Zetas[++m];
                Vector256<int> z = Vector256.Create(zeta);
                Vector256<int> zq = Vector256.Create(zeta * MlDsaField.QInverse);
                for (int j = block; j < block + len; j += 8)
                {
                    Vector256<int> low = Vector256.LoadUnsafe(ref start, (nuint)j);
                    Vector256<int> high = Vector256.LoadUnsafe(ref start, (nuint)(j + len));
                    Vector256<int> t = MontgomeryMultiplyAvx2(high, z, zq);
                    (low - t).StoreUnsafe(ref start, (nuint)(j + len));
                    (low + t).StoreUnsafe(ref start, (nuint)j);
                }
            }
        }

        LaneTwiddles twiddles = s_forward8;
        ref int table = ref MemoryMarshal.GetArrayDataReference(twiddles.Values);
        for (int tile = 0; tile < twiddles.Tiles; tile++)
        {
            ref int tileStart = ref Unsafe.Add(ref start, tile * 64);
            Vector256<int> u0 = Vector256.LoadUnsafe(ref tileStart, 0), u1 = Vector256.LoadUnsafe(ref tileStart, 8);
            Vector256<int> u2 = Vector256.LoadUnsafe(ref tileStart, 16), u3 = Vector256.LoadUnsafe(ref tileStart, 24);
            Vector256<int> u4 = Vector256.LoadUnsafe(ref tileStart, 32), u5 = Vector256.LoadUnsafe(ref tileStart, 40);
            Vector256<int> u6 = Vector256.LoadUnsafe(ref tileStart, 48), u7 = Vector256.LoadUnsafe(ref tileStart, 56);
            Transpose8x8(ref u0, ref u1, ref u2, ref u3, ref u4, ref u5, ref u6, ref u7);

            // len = 4: coefficient c with c + 4 of each group.
            int o = twiddles.Offset(4, 0, tile);
            Vector256<int> z = Vector256.LoadUnsafe(ref table, (nuint)o), zq = Vector256.LoadUnsafe(ref table, (nuint)(o + 8));
            ForwardButterflyAvx2(ref u0, ref u4, z, zq);
            ForwardButterflyAvx2(ref u1, ref u5, z, zq);
            ForwardButterflyAvx2(ref u2, ref u6, z, zq);
            ForwardButterflyAvx2(ref u3, ref u7, z, zq);
            // len = 2: blocks {0..3} and {4..7}.
            o = twiddles.Offset(2, 0, tile);
            z = Vector256.LoadUnsafe(ref table, (nuint)o);
            zq = Vector256.LoadUnsafe(ref table, (nuint)(o + 8));
            ForwardButterflyAvx2(ref u0, ref u2, z, zq);
            ForwardButterflyAvx2(ref u1, ref u3, z, zq);
            o = twiddles.Offset(2, 1, tile);
            z = Vector256.LoadUnsafe(ref table, (nuint)o);
            zq = Vector256.LoadUnsafe(ref table, (nuint)(o + 8));
            ForwardButterflyAvx2(ref u4, ref u6, z, zq);
            ForwardButterflyAvx2(ref u5, ref u7, z, zq);
            // len = 1: blocks {0,1}, {2,3}, {4,5}, {6,7}.
            o = twiddles.Offset(1, 0, tile);
            ForwardButterflyAvx2(ref u0, ref u1, Vector256.LoadUnsafe(ref table, (nuint)o), Vector256.LoadUnsafe(ref table, (nuint)(o + 8)));
            o = twiddles.Offset(1, 1, tile);
            ForwardButterflyAvx2(ref u2, ref u3, Vector256.LoadUnsafe(ref table, (nuint)o), Vector256.LoadUnsafe(ref table, (nuint)(o + 8)));
            o = twiddles.Offset(1, 2, tile);
            ForwardButterflyAvx2(ref u4, ref u5, Vector256.LoadUnsafe(ref table, (nuint)o), Vector256.LoadUnsafe(ref table, (nuint)(o + 8)));
            o = twiddles.Offset(1, 3, tile);
            ForwardButterflyAvx2(ref u6, ref u7, Vector256.LoadUnsafe(ref table, (nuint)o), Vector256.LoadUnsafe(ref table, (nuint)(o + 8)));

            Transpose8x8(ref u0, ref u1, ref u2, ref u3, ref u4, ref u5, ref u6, ref u7);
            u0.StoreUnsafe(ref tileStart, 0);
            u1.StoreUnsafe(ref tileStart, 8);
            u2.StoreUnsafe(ref tileStart, 16);
            u3.StoreUnsafe(ref tileStart, 24);
            u4.StoreUnsafe(ref tileStart, 32);
            u5.StoreUnsafe(ref tileStart, 40);
            u6.StoreUnsafe(ref tileStart, 48);
            u7.StoreUnsafe(ref tileStart, 56);
        }
    }

    internal static void InverseAvx2(Span<int> a)
    {
        if (a.Length != MlDsaField.N) ThrowWrongLength();
        // SAFETY: every load and store below is at an offset + 8 <= 256 = a.Length, checked above.
        ref int start = ref MemoryMarshal.GetReference(a);

        LaneTwiddles twiddles = s_inverse8;
        ref int table = ref MemoryMarshal.GetArrayDataReference(twiddles.Values);
        for (int tile = 0; tile < twiddles.Tiles; tile++)
        {
            ref int tileStart = ref Unsafe.Add(ref start, tile * 64);
            Vector256<int> u0 = Vector256.LoadUnsafe(ref tileStart, 0), u1 = Vector256.LoadUnsafe(ref tileStart, 8);
            Vector256<int> u2 = Vector256.LoadUnsafe(ref tileStart, 16), u3 = Vector256.LoadUnsafe(ref tileStart, 24);
            Vector256<int> u4 = Vector256.LoadUnsafe(ref tileStart, 32), u5 = Vector256.LoadUnsafe(ref tileStart, 40);
            Vector256<int> u6 = Vector256.LoadUnsafe(ref tileStart, 48), u7 = Vector256.LoadUnsafe(ref tileStart, 56);
            Transpose8x8(ref u0, ref u1, ref u2, ref u3, ref u4, ref u5, ref u6, ref u7);

            int o = twiddles.Offset(1, 0, tile);
            InverseButterflyAvx2(ref u0, ref u1, Vector256.LoadUnsafe(ref table, (nuint)o), Vector256.LoadUnsafe(ref table, (nuint)(o + 8)));
            o = twiddles.Offset(1, 1, tile);
            InverseButterflyAvx2(ref u2, ref u3, Vector256.LoadUnsafe(ref table, (nuint)o), Vector256.LoadUnsafe(ref table, (nuint)(o + 8)));
            o = twiddles.Offset(1, 2, tile);
            InverseButterflyAvx2(ref u4, ref u5, Vector256.LoadUnsafe(ref table, (nuint)o), Vector256.LoadUnsafe(ref table, (nuint)(o + 8)));
            o = twiddles.Offset(1, 3, tile);
            InverseButterflyAvx2(ref u6, ref u7, Vector256.LoadUnsafe(ref table, (nuint)o), Vector256.LoadUnsafe(ref table, (nuint)(o + 8)));

            o = twiddles.Offset(2, 0, tile);
            Vector256<int> z = Vector256.LoadUnsafe(ref table, (nuint)o), zq = Vector256.LoadUnsafe(ref table, (nuint)(o + 8));
            InverseButterflyAvx2(ref u0, ref u2, z, zq);
            InverseButterflyAvx2(ref u1, ref u3, z, zq);
            o = twiddles.Offset(2, 1, tile);
            z = Vector256.LoadUnsafe(ref table, (nuint)o);
            zq = Vector256.LoadUnsafe(ref table, (nuint)(o + 8));
            InverseButterflyAvx2(ref u4, ref u6, z, zq);
            InverseButterflyAvx2(ref u5, ref u7, z, zq);

            o = twiddles.Offset(4, 0, tile);
            z = Vector256.LoadUnsafe(ref table, (nuint)o);
            zq = Vector256.LoadUnsafe(ref table, (nuint)(o + 8));
            InverseButterflyAvx2(ref u0, ref u4, z, zq);
            InverseButterflyAvx2(ref u1, ref u5, z, zq);
            InverseButterflyAvx2(ref u2, ref u6, z, zq);
            InverseButterflyAvx2(ref u3, ref u7, z, zq);

            Transpose8x8(ref u0, ref u1, ref u2, ref u3, ref u4, ref u5, ref u6, ref u7);
            u0.StoreUnsafe(ref tileStart, 0);
            u1.StoreUnsafe(ref tileStart, 8);
            u2.StoreUnsafe(ref tileStart, 16);
            u3.StoreUnsafe(ref tileStart, 24);
            u4.StoreUnsafe(ref tileStart, 32);
            u5.StoreUnsafe(ref tileStart, 40);
            u6.StoreUnsafe(ref tileStart, 48);
            u7.StoreUnsafe(ref tileStart, 56);
        }

        for (int len = 8; len < MlDsaField.N; len <<= 1)
        {
            int blocks = MlDsaField.N / (2 * len);
            for (int b = 0; b < blocks; b++)
            {
                int zeta = -Zetas[256 / len - 1 - b];
                Vector256<int> z = Vector256.Create(zeta);
                Vector256<int> zq = Vector256.Create(zeta * MlDsaField.QInverse);
                for (int j = b * 2 * len; j < b * 2 * len + len; j += 8)
                {
                    Vector256<int> low = Vector256.LoadUnsafe(ref start, (nuint)j);
                    Vector256<int> high = Vector256.LoadUnsafe(ref start, (nuint)(j + len));
                    InverseButterflyAvx2(ref low, ref high, z, zq);
                    low.StoreUnsafe(ref start, (nuint)j);
                    high.StoreUnsafe(ref start, (nuint)(j + len));
                }
            }
        }

        Vector256<int> scale = Vector256.Create(InverseScale);
        Vector256<int> scaleQ = Vector256.Create(unchecked(InverseScale * MlDsaField.QInverse));
        for (int j = 0; j < MlDsaField.N; j += 8)
        {
            MontgomeryMultiplyAvx2(Vector256.LoadUnsafe(ref start, (nuint)j), scale, scaleQ).StoreUnsafe(ref start, (nuint)j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardButterflyAvx2(ref Vector256<int> low, ref Vector256<int> high, Vector256<int> zeta, Vector256<int> zetaQInverse)
    {
        Vector256<int> t = MontgomeryMultiplyAvx2(high, zeta, zetaQInverse);
        high = low - t;
        low += t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void InverseButterflyAvx2(ref Vector256<int> low, ref Vector256<int> high, Vector256<int> zeta, Vector256<int> zetaQInverse)
    {
        Vector256<int> t = low;
        low = t + high;
        high = MontgomeryMultiplyAvx2(t - high, zeta, zetaQInverse);
    }

    /// <summary>
    /// a * b * 2^-32 mod q per lane, exactly <see cref="MlDsaField.MontgomeryMultiply"/>: vpmuldq forms the 64-bit
    /// products of the even lanes, and of the odd lanes after moving them down; the result is the high half of
    /// a*b - t*q with t = a * (b q^-1) mod 2^32, whose low half is zero.
    /// <code>
    /// lanes       7    6    5    4    3    2    1    0
    /// even      [ p6.hi p6.lo | p4.hi p4.lo | p2.hi p2.lo | p0.hi p0.lo ]  -> shift right 32 puts pX.hi in lane X
    /// odd       [ p7.hi p7.lo | p5.hi p5.lo | p3.hi p3.lo | p1.hi p1.lo ]  -> pX.hi already sits in lane X
    /// result    blend: even lanes from the shifted even products, odd lanes from the odd products
    /// </code>
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> MontgomeryMultiplyAvx2(Vector256<int> a, Vector256<int> b, Vector256<int> bQInverse)
    {
        Vector256<int> q = Vector256.Create(MlDsaField.Q);
        Vector256<int> t = Avx2.MultiplyLow(a, bQInverse);
        Vector256<int> aOdd = Avx2.Shuffle(a, 0b11_11_01_01);
        Vector256<int> bOdd = Avx2.Shuffle(b, 0b11_11_01_01);
        Vector256<int> tOdd = Avx2.Shuffle(t, 0b11_11_01_01);
        Vector256<long> even = Avx2.Multiply(a, b) - Avx2.Multiply(t, q);
        Vector256<long> odd = Avx2.Multiply(aOdd, bOdd) - Avx2.Multiply(tOdd, q);
        return Avx2.Blend(Avx2.ShiftRightLogical(even, 32).AsInt32(), odd.AsInt32(), 0b1010_1010);
    }

    /// <summary>
    /// Transposes the 8 x 8 matrix whose rows are r0..r7, in three stages that swap the off-diagonal 4 x 4, 2 x 2 and
    /// 1 x 1 blocks (swapping bit k of the row index with bit k of the column index, for k = 2, 1, 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7)
    {
        SwapBlocks4(ref r0, ref r4);
        SwapBlocks4(ref r1, ref r5);
        SwapBlocks4(ref r2, ref r6);
        SwapBlocks4(ref r3, ref r7);
        SwapBlocks2(ref r0, ref r2);
        SwapBlocks2(ref r1, ref r3);
        SwapBlocks2(ref r4, ref r6);
        SwapBlocks2(ref r5, ref r7);
        SwapBlocks1(ref r0, ref r1);
        SwapBlocks1(ref r2, ref r3);
        SwapBlocks1(ref r4, ref r5);
        SwapBlocks1(ref r6, ref r7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SwapBlocks4(ref Vector256<int> r, ref Vector256<int> s)
    {
        Vector256<int> x = Avx2.Permute2x128(r, s, 0x20); // [r0..3, s0..3]
        s = Avx2.Permute2x128(r, s, 0x31); // [r4..7, s4..7]
        r = x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SwapBlocks2(ref Vector256<int> r, ref Vector256<int> s)
    {
        Vector256<int> x = Avx2.UnpackLow(r.AsInt64(), s.AsInt64()).AsInt32(); // [r0 r1 s0 s1 r4 r5 s4 s5]
        s = Avx2.UnpackHigh(r.AsInt64(), s.AsInt64()).AsInt32(); // [r2 r3 s2 s3 r6 r7 s6 s7]
        r = x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SwapBlocks1(ref Vector256<int> r, ref Vector256<int> s)
    {
        Vector256<int> x = Avx2.Blend(r, Avx2.ShiftLeftLogical(s.AsInt64(), 32).AsInt32(), 0b1010_1010); // [r0 s0 r2 s2 ...]
        s = Avx2.Blend(Avx2.ShiftRightLogical(r.AsInt64(), 32).AsInt32(), s, 0b1010_1010); // [r1 s1 r3 s3 ...]
        r = x;
    }
}
