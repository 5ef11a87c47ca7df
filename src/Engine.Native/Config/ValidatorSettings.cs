using System.Net;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Config;

/// <summary>The network section after parsing: where to listen, which key to present, whom to dial.</summary>
public sealed record NetworkSettings
{
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, 26656);

    /// <summary>Null: node_key in the data directory.</summary>
    public string? NodeKeyFile { get; init; }

    public IReadOnlyList<PeerAddress> StaticPeers { get; init; } = [];

    /// <summary>Whether transactions admitted from a peer go on to the other peers (see NetworkSection.RelayTransactions).</summary>
    public bool RelayTransactions { get; init; } = true;
}

/// <summary>One member of the validator set: its account (which signs votes), power, and the node its messages come from.</summary>
public readonly record struct ValidatorEntrySettings(Address Address, long VotingPower, NodeId NodeId);

/// <summary>The consensus section after parsing.</summary>
public sealed record ConsensusSettings
{
    public IReadOnlyList<ValidatorEntrySettings> Validators { get; init; } = [];

    /// <summary>How long a proposer waits for transactions before it builds its block.</summary>
    public long BlockIntervalMs { get; init; } = 1000;

    public TimeoutConfig Timeouts { get; init; } = TimeoutConfig.Default;

    /// <summary>Null: consensus/signer-state in the data directory.</summary>
    public string? SignerStateFile { get; init; }

    /// <summary>Null: consensus/locked-value in the data directory.</summary>
    public string? LockedValueFile { get; init; }

    public ValidatorSet ToValidatorSet() => ValidatorSet.Create(Validators.Select(v => new Validator(v.Address, v.VotingPower)));
}
