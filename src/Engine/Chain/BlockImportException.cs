namespace NexusFast.Engine.Chain;

/// <summary>A block that does not follow its parent or whose execution disagrees with its header; nothing was changed.</summary>
public sealed class BlockImportException(ulong blockNumber, string reason)
    : Exception($"block {blockNumber} rejected: {reason}")
{
    public ulong BlockNumber { get; } = blockNumber;

    public string Reason { get; } = reason;
}
