namespace NexusFast.Engine.State.Tree;

/// <summary>Where tree nodes not held in memory are read from and written back to (the FASTER store).</summary>
internal interface INodeSource
{
    bool TryReadNode(in NodeKey key, out NodeEntry entry);

    void WriteNode(in NodeKey key, in NodeEntry entry);

    void DeleteNode(in NodeKey key);
}
