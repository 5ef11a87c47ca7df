namespace NexusFast.Engine.State.Tree;

/// <summary>Where tree nodes not held in memory are read from and written back to (the FASTER store).</summary>
internal interface INodeSource
{
    bool TryReadNode(in NodeKey key, out NodeEntry entry);

    /// <summary>
    /// Reads many nodes at once: <paramref name="entries"/>[i] for <paramref name="keys"/>[i], a missing node as
    /// <see cref="NodeKind.Empty"/>. Reads that go to disk are all issued before any is waited for, so they overlap.
    /// </summary>
    void ReadNodes(ReadOnlySpan<NodeKey> keys, Span<NodeEntry> entries);

    void WriteNode(in NodeKey key, in NodeEntry entry);

    void DeleteNode(in NodeKey key);
}
