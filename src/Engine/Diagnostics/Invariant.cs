using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Diagnostics;

/// <summary>
/// Fail-fast checks for state and consensus invariants. They stay on in Release builds: a node that continues
/// after its own state went inconsistent can sign or persist something wrong (STYLE habit 9).
/// </summary>
public static class Invariant
{
    public static void Check([DoesNotReturnIf(false)] bool condition, [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        if (!condition) Fail(expression);
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(string? expression) =>
        throw new InvariantViolationException($"invariant violated: {expression}");
}

/// <summary>An internal consistency check failed; the component that threw must not be used further.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);
