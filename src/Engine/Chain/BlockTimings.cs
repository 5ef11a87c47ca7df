namespace NexusFast.Engine.Chain;

/// <summary>
/// Where the last block's time went, in milliseconds of wall-clock time (for logs, metrics and the block profile in
/// perf/). Steps marked "overlapped" run on another thread at the same time as the step before them, so the parts add
/// up to more than <see cref="TotalMs"/>.
/// </summary>
public readonly record struct BlockTimings
{
    /// <summary>Running the transactions on the overlay.</summary>
    public double ExecuteMs { get; init; }

    /// <summary>Sealing the overlay: the state root.</summary>
    public double StateRootMs { get; init; }

    /// <summary>Transactions root, receipts root and bloom (overlapped with the state root).</summary>
    public double BodyCommitmentsMs { get; init; }

    /// <summary>The durable block-log append: encoding, write and flush.</summary>
    public double LogAppendMs { get; init; }

    /// <summary>Applying the overlay to the state store (overlapped with the log append).</summary>
    public double StateApplyMs { get; init; }

    /// <summary>From the start of execution (or of import) to the committed head.</summary>
    public double TotalMs { get; init; }
}
