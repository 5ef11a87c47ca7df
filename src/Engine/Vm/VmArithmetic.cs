using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Vm;

/// <summary>
/// The operations whose RFC 9669 results differ from C#'s (section 4.1): division by zero gives 0 and modulo by zero
/// leaves the dividend, where C# throws; signed INT_MIN / -1 gives INT_MIN and INT_MIN % -1 gives 0, where C# throws
/// OverflowException. Signed modulo truncates toward zero like C#'s %. 32-bit forms return the zero-extended result.
/// </summary>
internal static class VmArithmetic
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
}
