using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.State.Tree;

internal enum NodeKind : byte
{
    /// <summary>Nothing at this position (an empty subtree, hash zero); kept in memory only as a marker.</summary>
    Empty = 0,
    Internal = 1,
    Leaf = 2,
}

/// <summary>What sits at a tree position: its hash, and for a leaf the key it holds.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
internal struct NodeEntry
{
    public Hash256 Hash;
    public Hash256 LeafKey;
    public NodeKind Kind;

    /// <summary>Changed since the node cache last wrote to FASTER.</summary>
    public bool Dirty;

    public static NodeEntry Internal(in Hash256 hash) => new() { Hash = hash, Kind = NodeKind.Internal };

    public static NodeEntry Leaf(in Hash256 key, in Hash256 hash) => new() { Hash = hash, LeafKey = key, Kind = NodeKind.Leaf };
}
