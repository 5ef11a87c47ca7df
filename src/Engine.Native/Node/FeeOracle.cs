using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Node;

/// <summary>
/// Suggests a priority fee (eth_maxPriorityFeePerGas, and with the base fee eth_gasPrice) the way geth's gas price
/// oracle does: the three lowest effective tips of each of the last 20 blocks, the 60th percentile of those samples,
/// tips under 2 wei ignored, capped at 500 gwei; 1 gwei when the recent blocks hold no transactions (anvil's and
/// ethers' default tip). Cached per head.
/// </summary>
public sealed class FeeOracle
{
    public const int BlocksSampled = 20;
    public const int SamplesPerBlock = 3;
    public const int Percentile = 60;

    public static readonly UInt256 DefaultTip = new(1_000_000_000);
    public static readonly UInt256 MaxTip = new(500_000_000_000);
    public static readonly UInt256 IgnoredTipBelow = new(2);

    private readonly Lock _gate = new();
    private Hash256 _cachedHead;
    private UInt256 _cachedTip;
    private bool _hasCache;

    public UInt256 SuggestTip(Blockchain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        Block head = chain.Head;
        lock (_gate)
        {
            if (_hasCache && _cachedHead == head.Hash) return _cachedTip;
        }
        UInt256 tip = Compute(chain, head);
        lock (_gate)
        {
            _cachedHead = head.Hash;
            _cachedTip = tip;
            _hasCache = true;
        }
        return tip;
    }

    private static UInt256 Compute(Blockchain chain, Block head)
    {
        var samples = new List<UInt256>();
        var tips = new List<UInt256>();
        ulong number = head.Number;
        for (int seen = 0; seen < BlocksSampled && number > 0; seen++, number--)
        {
            if (!chain.Blocks.TryGetBlock(number, out Block? block, out _) || block.Transactions.Length == 0) continue;
            tips.Clear();
            foreach (Transaction tx in block.Transactions)
            {
                UInt256 tip = tx.EffectiveTip(block.Header.BaseFeePerGas);
                if (tip >= IgnoredTipBelow) tips.Add(tip);
            }
            tips.Sort();
            for (int i = 0; i < tips.Count && i < SamplesPerBlock; i++) samples.Add(tips[i]);
        }
        if (samples.Count == 0) return DefaultTip;
        samples.Sort();
        UInt256 suggested = samples[(samples.Count - 1) * Percentile / 100];
        return UInt256.Min(suggested, MaxTip);
    }
}
