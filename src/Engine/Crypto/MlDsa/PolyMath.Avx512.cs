using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// The AVX-512 path of <see cref="PolyMath"/>: 16 coefficients per Vector512&lt;int&gt;, each step the lane-wise image of
/// the scalar one (same shifts, same multiply-shift division), so results are identical. Comparisons are sign masks,
/// never branches. Callers have checked that every span holds 256 coefficients.
/// </summary>
internal static partial class PolyMath
{
    internal static void PointwiseMontgomeryAvx512(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        // SAFETY: all three spans are 256 long (checked by the dispatcher or by the tests' callers); offsets + 16 <= 256.
        ref int ra = ref MemoryMarshal.GetReference(a);
        ref int rb = ref MemoryMarshal.GetReference(b);
        ref int rr = ref MemoryMarshal.GetReference(result);
        Vector512<int> qInverse = Vector512.Create(MlDsaField.QInverse);
        for (nuint i = 0; i < MlDsaField.N; i += 16)
        {
            Vector512<int> vb = Vector512.LoadUnsafe(ref rb, i);
            Ntt.MontgomeryMultiplyAvx512(Vector512.LoadUnsafe(ref ra, i), vb, vb * qInverse).StoreUnsafe(ref rr, i);
        }
    }

    internal static void PointwiseAccumulateAvx512(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        ref int rb = ref MemoryMarshal.GetReference(b);
        ref int rr = ref MemoryMarshal.GetReference(result);
        Vector512<int> qInverse = Vector512.Create(MlDsaField.QInverse);
        for (nuint i = 0; i < MlDsaField.N; i += 16)
        {
            Vector512<int> vb = Vector512.LoadUnsafe(ref rb, i);
            Vector512<int> product = Ntt.MontgomeryMultiplyAvx512(Vector512.LoadUnsafe(ref ra, i), vb, vb * qInverse);
            (Vector512.LoadUnsafe(ref rr, i) + product).StoreUnsafe(ref rr, i);
        }
    }

    internal static void ReduceAvx512(Span<int> a)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        for (nuint i = 0; i < MlDsaField.N; i += 16) Reduce32(Vector512.LoadUnsafe(ref ra, i)).StoreUnsafe(ref ra, i);
    }

    internal static void FreezeAvx512(Span<int> a)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        Vector512<int> q = Vector512.Create(MlDsaField.Q);
        for (nuint i = 0; i < MlDsaField.N; i += 16)
        {
            Vector512<int> r = Reduce32(Vector512.LoadUnsafe(ref ra, i));
            (r + (Vector512.ShiftRightArithmetic(r, 31) & q)).StoreUnsafe(ref ra, i);
        }
    }

    internal static int ExceedsBoundAvx512(ReadOnlySpan<int> a, int bound)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        Vector512<int> limit = Vector512.Create(bound - 1);
        Vector512<int> over = Vector512<int>.Zero;
        for (nuint i = 0; i < MlDsaField.N; i += 16) over |= limit - Vector512.Abs(Vector512.LoadUnsafe(ref ra, i));
        // Sign bits of (bound - 1 - |a_i|) mark coefficients at or over the bound; fold them without a branch.
        ulong signs = Vector512.ExtractMostSignificantBits(over);
        return -(int)((signs | (0UL - signs)) >> 63);
    }

    internal static void DecomposeAvx512(ReadOnlySpan<int> a, Span<int> high, Span<int> low, int gamma2)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        ref int rh = ref MemoryMarshal.GetReference(high);
        ref int rl = ref MemoryMarshal.GetReference(low);
        for (nuint i = 0; i < MlDsaField.N; i += 16)
        {
            Vector512<int> h = Decompose(Vector512.LoadUnsafe(ref ra, i), gamma2, out Vector512<int> l);
            h.StoreUnsafe(ref rh, i);
            l.StoreUnsafe(ref rl, i);
        }
    }

    internal static void UseHintAvx512(ReadOnlySpan<int> a, ReadOnlySpan<int> hint, Span<int> high, int gamma2)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        ref int rhint = ref MemoryMarshal.GetReference(hint);
        ref int rh = ref MemoryMarshal.GetReference(high);
        Vector512<int> one = Vector512.Create(1);
        for (nuint i = 0; i < MlDsaField.N; i += 16)
        {
            Vector512<int> h = Decompose(Vector512.LoadUnsafe(ref ra, i), gamma2, out Vector512<int> l);
            Vector512<int> positive = Vector512.ShiftRightArithmetic(-l, 31);
            Vector512<int> step = -(positive | one) & -Vector512.LoadUnsafe(ref rhint, i);
            Vector512<int> moved = h + step;
            if (gamma2 == Gamma2Wide)
            {
                moved &= Vector512.Create(15);
            }
            else
            {
                Vector512<int> m = Vector512.Create(44);
                moved += Vector512.ShiftRightArithmetic(moved, 31) & m;
                moved -= Vector512.ShiftRightArithmetic(Vector512.Create(43) - moved, 31) & m;
            }
            moved.StoreUnsafe(ref rh, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Reduce32(Vector512<int> a)
    {
        Vector512<int> t = Vector512.ShiftRightArithmetic(a + Vector512.Create(1 << 22), 23);
        return a - t * Vector512.Create(MlDsaField.Q);
    }

    /// <summary>Lane-wise <see cref="DecomposeOne"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Decompose(Vector512<int> a, int gamma2, out Vector512<int> low)
    {
        Vector512<int> high;
        Vector512<int> wrap;
        if (gamma2 == Gamma2Wide)
        {
            high = Vector512.ShiftRightArithmetic(Vector512.ShiftRightArithmetic(a + Vector512.Create(Gamma2Wide - 1), 9) * Vector512.Create(16401), 24);
            wrap = Vector512.Create(15) - high;
        }
        else
        {
            high = Vector512.ShiftRightArithmetic(Vector512.ShiftRightArithmetic(a + Vector512.Create(Gamma2Narrow - 1), 11) * Vector512.Create(2819), 18);
            wrap = Vector512.Create(43) - high;
        }
        Vector512<int> wrapMask = Vector512.ShiftRightArithmetic(wrap, 31);
        low = a - high * Vector512.Create(2 * gamma2) + wrapMask;
        return Vector512.AndNot(high, wrapMask);
    }
}
