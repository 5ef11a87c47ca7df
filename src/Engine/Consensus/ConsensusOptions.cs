namespace NexusFast.Engine.Consensus;

/// <summary>Fixed parameters of a consensus machine.</summary>
public sealed record ConsensusOptions(ulong ChainId, TimeoutConfig Timeouts)
{
    /// <summary>Verification results shared across messages (and, in a simulation, across nodes); null recovers every time.</summary>
    public ConsensusSignatureCache? SignatureCache { get; init; }

    /// <summary>
    /// Votes for rounds further than this above the current one are dropped, which bounds the memory a byzantine
    /// validator can make us spend on future rounds (CometBFT bounds "catch-up rounds" per peer for the same reason).
    /// </summary>
    public int RoundsAheadMax { get; init; } = 1000;

    /// <summary>Messages of the next height kept while this one finishes (votes arriving just before our commit).</summary>
    public int NextHeightBufferMax { get; init; } = 1024;

    /// <summary>At most this many distinct proposals are kept per round; more can only come from an equivocating proposer.</summary>
    public int ProposalsPerRoundMax { get; init; } = 2;
}
