using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// The outcome of one transaction in a block. The consensus part (type, status, cumulative gas, bloom, logs)
/// is what the receipts root commits to; the rest is index data served over RPC. A struct, so that executing a
/// block of plain transfers fills a reused array without allocating.
/// </summary>
public readonly record struct Receipt
{
    public Receipt()
    {
    }

    public TxType Type { get; init; }

    /// <summary>True when execution succeeded (EIP-658 status 1); a failed transaction still pays its gas.</summary>
    public bool Success { get; init; }

    public ulong CumulativeGasUsed { get; init; }

    public ulong GasUsed { get; init; }

    public UInt256 EffectiveGasPrice { get; init; }

    public LogEntry[] Logs { get; init; } = NoLogs;

    public LogsBloom Bloom { get; init; } = LogsBloom.Empty;

    public Hash256 TransactionHash { get; init; }

    public Address From { get; init; }

    public Address? To { get; init; }

    /// <summary>Address of the contract a creation transaction deployed.</summary>
    public Address? ContractAddress { get; init; }

    public static readonly LogEntry[] NoLogs = [];
}
