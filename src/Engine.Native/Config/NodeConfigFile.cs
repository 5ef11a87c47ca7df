using System.Text.Json.Serialization;

namespace NexusFast.Native.Config;

/// <summary>
/// The JSON file of `nexusfast node --config FILE`. Every field is optional; environment variables (NEXUSFAST_*) and
/// command-line flags override it, in that order. Unknown fields are errors (a typo must not silently fall back to a
/// default).
/// </summary>
public sealed class NodeConfigFile
{
    public string? DataDirectory { get; set; }

    public ulong? ChainId { get; set; }

    public ulong? GasLimit { get; set; }

    /// <summary>Initial base fee in wei (decimal or 0x-hex string).</summary>
    public string? BaseFee { get; set; }

    /// <summary>Keystore v3 file of the validator key; its passphrase comes from <see cref="ValidatorPassphraseFile"/> or the terminal.</summary>
    public string? ValidatorKeyFile { get; set; }

    public string? ValidatorPassphraseFile { get; set; }

    public ulong? CheckpointIntervalBlocks { get; set; }

    /// <summary>0 = build a block as soon as transactions are ready; otherwise one block every this many ms.</summary>
    public ulong? BlockTimeMs { get; set; }

    public RpcSection? Rpc { get; set; }

    public MempoolSection? Mempool { get; set; }

    public GenesisSection? Genesis { get; set; }

    public string? LogFormat { get; set; }

    /// <summary>Peer-to-peer links; together with <see cref="Consensus"/> it turns the node into a BFT validator.</summary>
    public NetworkSection? Network { get; set; }

    /// <summary>The validator set and round timeouts; present: the node runs BFT consensus instead of mining alone.</summary>
    public ConsensusSection? Consensus { get; set; }
}

public sealed class NetworkSection
{
    /// <summary>IP:PORT to accept peers on (IPv6 as [ADDRESS]:PORT).</summary>
    public string? Listen { get; set; }

    /// <summary>The node key (64 hex digits); created on first start when missing. Default: node_key in the data directory.</summary>
    public string? NodeKeyFile { get; set; }

    /// <summary>Peers dialed at start and redialed whenever disconnected, each NODEID@IP:PORT.</summary>
    public List<string>? StaticPeers { get; set; }

    /// <summary>
    /// Pass on transactions admitted from a peer to the other peers (default true). A full mesh, where every validator
    /// has every other as a static peer (what `testnet init` writes), can turn it off: the node a transaction was sent
    /// to already gives it to every validator, and relaying would make each receive it once per peer.
    /// </summary>
    public bool? RelayTransactions { get; set; }
}

public sealed class ConsensusSection
{
    public List<ValidatorEntry>? Validators { get; set; }

    /// <summary>How long a proposer waits for transactions before building its block: the block time of a loaded chain.</summary>
    public long? BlockIntervalMs { get; set; }

    public TimeoutsSection? Timeouts { get; set; }

    /// <summary>Double-sign protection: the last height, round and step signed. Default: consensus/signer-state in the data directory.</summary>
    public string? SignerStateFile { get; set; }

    /// <summary>The value this validator is locked on, kept across restarts. Default: consensus/locked-value in the data directory.</summary>
    public string? LockedValueFile { get; set; }
}

public sealed class ValidatorEntry
{
    /// <summary>The validator's account address (of its secp256k1 validator key).</summary>
    public string? Address { get; set; }

    public long? VotingPower { get; set; }

    /// <summary>The node id (33-byte compressed public key of the node key, hex) its consensus messages come from.</summary>
    public string? NodeId { get; set; }
}

/// <summary>Round timeouts, base + round * delta (see TimeoutConfig); every field optional.</summary>
public sealed class TimeoutsSection
{
    public long? ProposeMs { get; set; }

    public long? ProposeDeltaMs { get; set; }

    public long? PrevoteMs { get; set; }

    public long? PrevoteDeltaMs { get; set; }

    public long? PrecommitMs { get; set; }

    public long? PrecommitDeltaMs { get; set; }
}

public sealed class RpcSection
{
    public string? Host { get; set; }

    public int? Port { get; set; }

    public int? BodyBytesMax { get; set; }

    public int? BatchMax { get; set; }

    public int? RequestsPerSecondPerClient { get; set; }

    public int? RequestTimeoutMs { get; set; }
}

public sealed class MempoolSection
{
    public int? TransactionsMax { get; set; }

    public int? PerSenderMax { get; set; }

    /// <summary>Lowest accepted fee cap in wei (decimal or 0x-hex string).</summary>
    public string? FeeCapMin { get; set; }
}

public sealed class GenesisSection
{
    public ulong? Timestamp { get; set; }

    /// <summary>Address -> balance in wei (decimal or 0x-hex string).</summary>
    public Dictionary<string, string>? Alloc { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(NodeConfigFile))]
public sealed partial class NodeConfigJsonContext : JsonSerializerContext;

/// <summary>Writes config files (`nexusfast testnet init`): indented, fields left unset are left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NodeConfigFile))]
public sealed partial class NodeConfigWriteContext : JsonSerializerContext;
