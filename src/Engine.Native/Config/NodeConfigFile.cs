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
