using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>EIP-1559 base fee: it rises when the parent used more than the target (half the limit), falls when less.</summary>
public static class FeeMarket
{
    /// <summary>The base fee of the block after a parent with the given gas use, limit and base fee.</summary>
    public static UInt256 NextBaseFee(ChainConfig config, ulong parentGasUsed, ulong parentGasLimit, in UInt256 parentBaseFee)
    {
        ulong target = parentGasLimit / config.ElasticityMultiplier;
        UInt256 next;
        if (target == 0 || parentGasUsed == target)
        {
            next = parentBaseFee;
        }
        else if (parentGasUsed > target)
        {
            // delta = max(parentBaseFee * (used - target) / target / denominator, 1)
            UInt256 delta = parentBaseFee * new UInt256(parentGasUsed - target) / new UInt256(target) / new UInt256(config.BaseFeeChangeDenominator);
            if (delta.IsZero) delta = UInt256.One;
            next = parentBaseFee + delta;
        }
        else
        {
            UInt256 delta = parentBaseFee * new UInt256(target - parentGasUsed) / new UInt256(target) / new UInt256(config.BaseFeeChangeDenominator);
            next = delta >= parentBaseFee ? UInt256.Zero : parentBaseFee - delta;
        }
        return UInt256.Max(next, config.MinBaseFee);
    }
}
