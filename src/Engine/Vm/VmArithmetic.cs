using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Vm;

/// <summary>
/// The operations whose RFC 9669 results differ from C#'s (section 4.1): division by zero gives 0 and modulo by zero
/// leaves the dividend, where C# throws; signed INT_MIN / -1 gives INT_MIN and INT_MIN % -1 gives 0, where C# throws
/// OverflowException. Signed modulo truncates toward zero like C#'s %. 32-bit forms return the zero-extended result.
/// </summary>
internal static unsafe class VmArithmetic
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Div64(ulong dividend, ulong divisor) => divisor == 0 ? 0 : dividend / divisor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mod64(ulong dividend, ulong divisor) => divisor == 0 ? dividend : dividend % divisor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SDiv64(ulong dividend, ulong divisor)
    {
        long n = (long)dividend, d = (long)divisor;
        if (d == 0) return 0;
        if (d == -1) return (ulong)-n;  // wraps for long.MinValue, as the RFC requires
        return (ulong)(n / d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SMod64(ulong dividend, ulong divisor)
    {
        long n = (long)dividend, d = (long)divisor;
        if (d == 0) return dividend;
        if (d == -1) return 0;
        return (ulong)(n % d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Div32(uint dividend, uint divisor) => divisor == 0 ? 0 : dividend / divisor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Mod32(uint dividend, uint divisor) => divisor == 0 ? dividend : dividend % divisor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SDiv32(uint dividend, uint divisor)
    {
        int n = (int)dividend, d = (int)divisor;
        if (d == 0) return 0;
        if (d == -1) return (uint)-n;
        return (uint)(n / d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint SMod32(uint dividend, uint divisor)
    {
        int n = (int)dividend, d = (int)divisor;
        if (d == 0) return dividend;
        if (d == -1) return 0;
        return (uint)(n % d);
    }

    /// <summary>A 32-bit atomic on <paramref name="target"/>; fetch forms put the old value, zero-extended, in src
    /// (cmpxchg in r0, comparing it with the low half of r0).</summary>
    public static void Atomic32(VmOp op, uint* target, ref ulong src, ref ulong r0)
    {
        uint old = Unsafe.ReadUnaligned<uint>(target);
        uint operand = (uint)src;
        switch (op)
        {
            case VmOp.AtomicAdd32: Unsafe.WriteUnaligned(target, old + operand); break;
            case VmOp.AtomicOr32: Unsafe.WriteUnaligned(target, old | operand); break;
            case VmOp.AtomicAnd32: Unsafe.WriteUnaligned(target, old & operand); break;
            case VmOp.AtomicXor32: Unsafe.WriteUnaligned(target, old ^ operand); break;
            case VmOp.AtomicFetchAdd32: Unsafe.WriteUnaligned(target, old + operand); src = old; break;
            case VmOp.AtomicFetchOr32: Unsafe.WriteUnaligned(target, old | operand); src = old; break;
            case VmOp.AtomicFetchAnd32: Unsafe.WriteUnaligned(target, old & operand); src = old; break;
            case VmOp.AtomicFetchXor32: Unsafe.WriteUnaligned(target, old ^ operand); src = old; break;
            case VmOp.AtomicXchg32: Unsafe.WriteUnaligned(target, operand); src = old; break;
            default:
                if ((uint)r0 == old) Unsafe.WriteUnaligned(target, operand);
                r0 = old;
                break;
        }
    }

    /// <summary>The 64-bit counterpart of <see cref="Atomic32"/>.</summary>
    public static void Atomic64(VmOp op, ulong* target, ref ulong src, ref ulong r0)
    {
        ulong old = Unsafe.ReadUnaligned<ulong>(target);
        ulong operand = src;
        switch (op)
        {
            case VmOp.AtomicAdd64: Unsafe.WriteUnaligned(target, old + operand); break;
            case VmOp.AtomicOr64: Unsafe.WriteUnaligned(target, old | operand); break;
            case VmOp.AtomicAnd64: Unsafe.WriteUnaligned(target, old & operand); break;
            case VmOp.AtomicXor64: Unsafe.WriteUnaligned(target, old ^ operand); break;
            case VmOp.AtomicFetchAdd64: Unsafe.WriteUnaligned(target, old + operand); src = old; break;
            case VmOp.AtomicFetchOr64: Unsafe.WriteUnaligned(target, old | operand); src = old; break;
            case VmOp.AtomicFetchAnd64: Unsafe.WriteUnaligned(target, old & operand); src = old; break;
            case VmOp.AtomicFetchXor64: Unsafe.WriteUnaligned(target, old ^ operand); src = old; break;
            case VmOp.AtomicXchg64: Unsafe.WriteUnaligned(target, operand); src = old; break;
            default:
                if (r0 == old) Unsafe.WriteUnaligned(target, operand);
                r0 = old;
                break;
        }
    }
}
