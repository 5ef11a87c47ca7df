namespace NexusFast.Engine.State;

/// <summary>What a proof's path ends at.</summary>
public enum ProofTerminal : byte
{
    /// <summary>An empty subtree on the key's path: the key is absent.</summary>
    Empty = 0,

    /// <summary>A leaf: the key itself (inclusion) or another key sharing the path so far (absence).</summary>
    Leaf = 1,
}
