using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>A header, its hash and the ordered transactions it commits to.</summary>
public sealed class Block
{
    public Block(BlockHeader header, Hash256 hash, Transaction[] transactions)
    {
        Header = header;
        Hash = hash;
        Transactions = transactions;
    }

    public BlockHeader Header { get; }

    public Hash256 Hash { get; }

    public ulong Number => Header.Number;

    public Transaction[] Transactions { get; }
}
