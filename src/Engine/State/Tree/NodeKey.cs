using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Tree;

/// <summary>
/// A node position in the forest: which tree (<see cref="Owner"/>: zero for the account tree, the account key for a
/// storage tree) and where in it (<see cref="Path"/>, a <see cref="TreePath"/> value).
/// </summary>
/// <remarks>Zero as the account tree's owner cannot clash: an account key of zero would be a SHA-256 preimage of zero.</remarks>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal readonly struct NodeKey(Hash256 owner, Hash256 path) : IEquatable<NodeKey>
{
    public readonly Hash256 Owner = owner;
    public readonly Hash256 Path = path;

    public bool Equals(NodeKey other) => Path == other.Path && Owner == other.Owner;

    public override bool Equals(object? obj) => obj is NodeKey other && Equals(other);

    public override int GetHashCode()
    {
        // Paths near the root differ only in their first bytes, deep ones anywhere: fold all of the path, mix in the
        // owner, and spread the result (Dictionary reduces it modulo a prime).
        ReadOnlySpan<ulong> path = MemoryMarshal.Cast<byte, ulong>(Path.Bytes);
        ulong hash = (path[0] ^ path[1] ^ path[2] ^ path[3]) * 0x9E3779B97F4A7C15UL;
        hash ^= MemoryMarshal.Read<ulong>(Owner.Bytes) * 0xC2B2AE3D27D4EB4FUL;
        hash ^= hash >> 31;
        return (int)hash ^ (int)(hash >> 32);
    }

    public override string ToString() => $"{Owner}/{Path}";
}
