using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>A block header as DESIGN.md fixes it. The block hash is Keccak-256 of its canonical RLP.</summary>
public sealed record BlockHeader
{
    public Hash256 ParentHash { get; init; }

    public ulong Number { get; init; }

    /// <summary>Unix time in seconds, strictly greater than the parent's.</summary>
    public ulong Timestamp { get; init; }

    public Address Proposer { get; init; }

    public Hash256 TransactionsRoot { get; init; }

    public Hash256 ReceiptsRoot { get; init; }

    public Hash256 StateRoot { get; init; }

    public ulong GasUsed { get; init; }

    public ulong GasLimit { get; init; }

    public UInt256 BaseFeePerGas { get; init; }

    public LogsBloom LogsBloom { get; init; } = LogsBloom.Empty;

    /// <summary>The commit certificate of the parent block (empty for block 1's parent, the genesis).</summary>
    public CommitCertificate ParentCommit { get; init; } = CommitCertificate.Empty;

    /// <summary>
    /// The commitment to the equivocation evidence the block carries (<see cref="Block.Evidence"/>): zero when it carries
    /// none, which is every block but the rare one that reports a double vote. A zero root is left out of the encoding,
    /// so headers without evidence hash exactly as before the field existed (as Ethereum appended baseFeePerGas).
    /// </summary>
    public Hash256 EvidenceRoot { get; init; }
}
