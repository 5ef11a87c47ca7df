namespace NexusFast.Engine.Consensus;

/// <summary>
/// The kinds of signed consensus messages. The numeric order is the order of steps inside one round, which the
/// double-sign guard relies on: a validator signs at most one proposal, then one prevote, then one precommit per round.
/// </summary>
public enum ConsensusMessageType : byte
{
    Proposal = 1,
    Prevote = 2,
    Precommit = 3,
}

/// <summary>The step of the current round (Tendermint paper, Algorithm 1: propose, prevote, precommit).</summary>
public enum RoundStep : byte
{
    Propose = 0,
    Prevote = 1,
    Precommit = 2,
}

/// <summary>Which timeout fired; each has its own base and per-round growth (see <see cref="TimeoutConfig"/>).</summary>
public enum TimeoutKind : byte
{
    Propose = 0,
    Prevote = 1,
    Precommit = 2,
}
