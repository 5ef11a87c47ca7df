using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Rpc;

/// <summary>The block a call names: a tag, a number, or (EIP-1898) a hash.</summary>
internal enum BlockTag : byte
{
    Latest,
    Earliest,
    Pending,
    Safe,
    Finalized,
    Number,
    Hash,
}

/// <summary>
/// A parsed block parameter. "safe" and "finalized" mean the head: a BFT commit is final at once. "pending" also means
/// the head: this node builds no pending block (state queries use the pool only where Ethereum nodes do, e.g. the
/// pending nonce).
/// </summary>
internal readonly record struct BlockSelector(BlockTag Tag, ulong Number = 0, Hash256 Hash = default, bool RequireCanonical = false)
{
    public static readonly BlockSelector Latest = new(BlockTag.Latest);

    public bool IsHeadAlias => Tag is BlockTag.Latest or BlockTag.Pending or BlockTag.Safe or BlockTag.Finalized;

    public override string ToString() => Tag switch
    {
        BlockTag.Number => Hex.ToQuantity(Number),
        BlockTag.Hash => Hash.ToString(),
        _ => Tag.ToString().ToLowerInvariant(),
    };
}
