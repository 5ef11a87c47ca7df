using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>A validator: its address (derived from its secp256k1 key) and its voting power.</summary>
public readonly record struct Validator(Address Address, long VotingPower);
