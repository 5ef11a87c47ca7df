using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>Consensus parameters every validator must share, plus the node's own transaction policy.</summary>
public sealed record ChainConfig
{
    public ulong ChainId { get; init; } = 31337;

    public ulong BlockGasLimit { get; init; } = 30_000_000;

    /// <summary>Base fee of the first block (EIP-1559's INITIAL_BASE_FEE).</summary>
    public UInt256 InitialBaseFee { get; init; } = new(1_000_000_000);

    /// <summary>EIP-1559 BASE_FEE_MAX_CHANGE_DENOMINATOR: the base fee moves by at most 1/8 per block.</summary>
    public ulong BaseFeeChangeDenominator { get; init; } = 8;

    /// <summary>EIP-1559 ELASTICITY_MULTIPLIER: the gas target is the limit divided by this.</summary>
    public ulong ElasticityMultiplier { get; init; } = 2;

    /// <summary>Floor below which the base fee never falls (0 = none, as on Ethereum).</summary>
    public UInt256 MinBaseFee { get; init; } = UInt256.Zero;

    /// <summary>Accept legacy transactions without EIP-155 replay protection (v = 27/28)? Off by default, as in geth.</summary>
    public bool AllowUnprotectedTransactions { get; init; }

    /// <summary>Largest accepted transaction envelope (geth's txMaxSize is 128 KiB).</summary>
    public int TransactionSizeMax { get; init; } = 128 * 1024;

    /// <summary>EIP-3860 MAX_INITCODE_SIZE (2 * 24576).</summary>
    public int InitCodeSizeMax { get; init; } = 49_152;

    public UInt256 GasTarget => new(BlockGasLimit / ElasticityMultiplier);
}
