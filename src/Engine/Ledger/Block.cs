using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>A header, its hash and the ordered transactions it commits to.</summary>
public sealed class Block
{
    public Block(BlockHeader header, Hash256 hash, Transaction[] transactions)
        : this(header, hash, transactions, AccountOverride.None)
    {
    }

    public Block(BlockHeader header, Hash256 hash, Transaction[] transactions, AccountOverride[] overrides)
        : this(header, hash, transactions, overrides, [])
    {
    }

    public Block(BlockHeader header, Hash256 hash, Transaction[] transactions, AccountOverride[] overrides, DuplicateVoteEvidence[] evidence)
    {
        Header = header;
        Hash = hash;
        Transactions = transactions;
        Overrides = overrides;
        Evidence = evidence;
    }

    public BlockHeader Header { get; }

    public Hash256 Hash { get; }

    public ulong Number => Header.Number;

    public Transaction[] Transactions { get; }

    /// <summary>
    /// Development-chain account edits applied before the transactions (empty on every other block). They are not part
    /// of the header: only the state root commits to their effect, so blocks carrying them are never accepted from peers.
    /// </summary>
    public AccountOverride[] Overrides { get; }

    /// <summary>
    /// Proofs of validators' double votes that this block reports, committed to by <see cref="BlockHeader.EvidenceRoot"/>
    /// and recorded in the state when the block executes (<see cref="Execution.EvidenceRegistry"/>); empty on almost every block.
    /// </summary>
    public DuplicateVoteEvidence[] Evidence { get; }
}
