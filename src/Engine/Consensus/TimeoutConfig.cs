namespace NexusFast.Engine.Consensus;

/// <summary>
/// Round timeouts: base + round * delta, so that after the network stabilises some round's timeouts exceed the
/// message delay and a correct proposer's value gets decided (Tendermint paper, section 4: "timeouts increase
/// with the round number"; CometBFT config timeout_propose / timeout_propose_delta and friends).
/// </summary>
public sealed record TimeoutConfig(
    long ProposeBaseMs,
    long ProposeDeltaMs,
    long PrevoteBaseMs,
    long PrevoteDeltaMs,
    long PrecommitBaseMs,
    long PrecommitDeltaMs)
{
    /// <summary>CometBFT's defaults (3 s + 0.5 s per round for propose, 1 s + 0.5 s for the vote steps).</summary>
    public static readonly TimeoutConfig Default = new(3000, 500, 1000, 500, 1000, 500);

    /// <summary>Rounds beyond this do not grow the timeout further, which keeps the product in range.</summary>
    public const int GrowthRoundMax = 10_000;

    public long DurationMs(TimeoutKind kind, int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(round);
        long r = Math.Min(round, GrowthRoundMax);
        return kind switch
        {
            TimeoutKind.Propose => ProposeBaseMs + (r * ProposeDeltaMs),
            TimeoutKind.Prevote => PrevoteBaseMs + (r * PrevoteDeltaMs),
            _ => PrecommitBaseMs + (r * PrecommitDeltaMs),
        };
    }
}
