using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Mempool;

/// <summary>Bounds of the transaction pool, fixed at start-up.</summary>
public sealed record MempoolLimits
{
    /// <summary>Transactions held in total (ready and waiting).</summary>
    public int TransactionsMax { get; init; } = 8192;

    /// <summary>Transactions held per sender; also how far past the account nonce a sender may queue.</summary>
    public int PerSenderMax { get; init; } = 64;

    /// <summary>Lowest fee cap (max fee per gas, or gas price) accepted at all (geth's txpool.pricelimit).</summary>
    public UInt256 FeeCapMin { get; init; } = UInt256.One;

    /// <summary>A replacement must raise both fee cap and tip by at least this percentage (geth: 10).</summary>
    public int ReplacementBumpPercent { get; init; } = 10;
}
