using System.Runtime.InteropServices;
using FASTER.core;

namespace NexusFast.Engine.State.Persistence;

/// <summary>
/// Key hashing and equality for FASTER, given explicitly: FASTER's fallback goes through EqualityComparer and
/// Activator (slow, and reflection under AOT).
/// </summary>
internal sealed class StateKeyComparer : IFasterEqualityComparer<StateKey>
{
    public long GetHashCode64(ref StateKey key)
    {
        // SAFETY: StateKey is a blittable 72-byte struct of nine 8-byte words (Pack = 8); the span covers it exactly.
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<StateKey, ulong>(MemoryMarshal.CreateReadOnlySpan(ref key, 1));
        ulong hash = 0xCBF29CE484222325UL;
        foreach (ulong word in words)
        {
            hash = (hash ^ word) * 0x9E3779B97F4A7C15UL;
            hash ^= hash >> 29;
        }
        return (long)hash;
    }

    public bool Equals(ref StateKey k1, ref StateKey k2) => k1.Kind == k2.Kind && k1.A == k2.A && k1.B == k2.B;
}
