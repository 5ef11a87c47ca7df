using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// The AVX2 path of <see cref="PolyMath"/>: 8 coefficients per Vector256&lt;int&gt;, each step the lane-wise image of
/// the scalar one (same shifts, same multiply-shift division), so results are identical. Comparisons are sign masks,
/// never branches. Callers have checked that every span holds 256 coefficients.
/// </summary>
internal static partial class PolyMath
{
    internal static void PointwiseMontgomeryAvx2(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        // SAFETY: all three spans are 256 long (checked by the dispatcher or by the tests' callers); offsets + 8 <= 256.
        ref int ra = ref MemoryMarshal.GetReference(a);
        ref int rb = ref MemoryMarshal.GetReference(b);
        ref int rr = ref MemoryMarshal.GetReference(result);
        Vector256<int> qInverse = Vector256.Create(MlDsaField.QInverse);
        for (nuint i = 0; i < MlDsaField.N; i += 8)
        {
            Vector256<int> vb = Vector256.LoadUnsafe(ref rb, i);
            Ntt.MontgomeryMultiplyAvx2(Vector256.LoadUnsafe(ref ra, i), vb, vb * qInverse).StoreUnsafe(ref rr, i);
        }
    }

    internal static void PointwiseAccumulateAvx2(ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        ref int rb = ref MemoryMarshal.GetReference(b);
        ref int rr = ref MemoryMarshal.GetReference(result);
        Vector256<int> qInverse = Vector256.Create(MlDsaField.QInverse);
        for (nuint i = 0; i < MlDsaField.N; i += 8)
        {
            Vector256<int> vb = Vector256.LoadUnsafe(ref rb, i);
            Vector256<int> product = Ntt.MontgomeryMultiplyAvx2(Vector256.LoadUnsafe(ref ra, i), vb, vb * qInverse);
            (Vector256.LoadUnsafe(ref rr, i) + product).StoreUnsafe(ref rr, i);
        }
    }

    internal static void ReduceAvx2(Span<int> a)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        for (nuint i = 0; i < MlDsaField.N; i += 8) Reduce32(Vector256.LoadUnsafe(ref ra, i)).StoreUnsafe(ref ra, i);
    }

    internal static void FreezeAvx2(Span<int> a)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        Vector256<int> q = Vector256.Create(MlDsaField.Q);
        for (nuint i = 0; i < MlDsaField.N; i += 8)
        {
            Vector256<int> r = Reduce32(Vector256.LoadUnsafe(ref ra, i));
            (r + (Vector256.ShiftRightArithmetic(r, 31) & q)).StoreUnsafe(ref ra, i);
        }
    }

    internal static int ExceedsBoundAvx2(ReadOnlySpan<int> a, int bound)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        Vector256<int> limit = Vector256.Create(bound - 1);
        Vector256<int> over = Vector256<int>.Zero;
        for (nuint i = 0; i < MlDsaField.N; i += 8) over |= limit - Vector256.Abs(Vector256.LoadUnsafe(ref ra, i));
        // Sign bits of (bound - 1 - |a_i|) mark coefficients at or over the bound; fold them without a branch.
        uint signs = Vector256.ExtractMostSignificantBits(over);
        return -(int)((signs | (0u - signs)) >> 31);
    }

    internal static void DecomposeAvx2(ReadOnlySpan<int> a, Span<int> high, Span<int> low, int gamma2)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        ref int rh = ref MemoryMarshal.GetReference(high);
        ref int rl = ref MemoryMarshal.GetReference(low);
        for (nuint i = 0; i < MlDsaField.N; i += 8)
        {
            Vector256<int> h = Decompose(Vector256.LoadUnsafe(ref ra, i), gamma2, out Vector256<int> l);
            h.StoreUnsafe(ref rh, i);
            l.StoreUnsafe(ref rl, i);
        }
    }

    internal static void UseHintAvx2(ReadOnlySpan<int> a, ReadOnlySpan<int> hint, Span<int> high, int gamma2)
    {
        ref int ra = ref MemoryMarshal.GetReference(a);
        ref int rhint = ref MemoryMarshal.GetReference(hint);
        ref int rh = ref MemoryMarshal.GetReference(high);
        Vector256<int> one = Vector256.Create(1);
        for (nuint i = 0; i < MlDsaField.N; i += 8)
        {
            Vector256<int> h = Decompose(Vector256.LoadUnsafe(ref ra, i), gamma2, out Vector256<int> l);
            Vector256<int> positive = Vector256.ShiftRightArithmetic(-l, 31);
            Vector256<int> step = -(positive | one) & -Vector256.LoadUnsafe(ref rhint, i);
            Vector256<int> moved = h + step;
            if (gamma2 == Gamma2Wide)
            {
                moved &= Vector256.Create(15);
            }
            else
            {
                Vector256<int> m = Vector256.Create(44);
                moved += Vector256.ShiftRightArithmetic(moved, 31) & m;
                moved -= Vector256.ShiftRightArithmetic(Vector256.Create(43) - moved, 31) & m;
            }
            moved.StoreUnsafe(ref rh, i);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Reduce32(Vector256<int> a)
    {
        Vector256<int> t = Vector256.ShiftRightArithmetic(a + Vector256.Create(1 << 22), 23);
        return a - t * Vector256.Create(MlDsaField.Q);
    }

    /// <summary>Lane-wise <see cref="DecomposeOne"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Decompose(Vector256<int> a, int gamma2, out Vector256<int> low)
    {
        Vector256<int> high;
        Vector256<int> wrap;
        if (gamma2 == Gamma2Wide)
        {
            high = Vector256.ShiftRightArithmetic(Vector256.ShiftRightArithmetic(a + Vector256.Create(Gamma2Wide - 1), 9) * Vector256.Create(16401), 24);
            wrap = Vector256.Create(15) - high;
        }
        else
        {
            high = Vector256.ShiftRightArithmetic(Vector256.ShiftRightArithmetic(a + Vector256.Create(Gamma2Narrow - 1), 11) * Vector256.Create(2819), 18);
            wrap = Vector256.Create(43) - high;
        }
        Vector256<int> wrapMask = Vector256.ShiftRightArithmetic(wrap, 31);
        low = a - high * Vector256.Create(2 * gamma2) + wrapMask;
        return Vector256.AndNot(high, wrapMask);
    }
}
