using System.Globalization;
using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Config;

/// <summary>
/// Builds <see cref="NodeSettings"/> from, in increasing precedence: defaults, the JSON config file, NEXUSFAST_*
/// environment variables, and command-line flags. Every bad value is a <see cref="ConfigException"/> naming where it
/// came from.
/// </summary>
public static class NodeSettingsLoader
{
    /// <summary>The environment variables read, each overriding the config file field named beside it.</summary>
    public static readonly IReadOnlyList<(string Variable, string Field)> EnvironmentVariables =
    [
        ("NEXUSFAST_DATA_DIRECTORY", "dataDirectory"),
        ("NEXUSFAST_CHAIN_ID", "chainId"),
        ("NEXUSFAST_BLOCK_TIME_MS", "blockTimeMs"),
        ("NEXUSFAST_CHECKPOINT_INTERVAL_BLOCKS", "checkpointIntervalBlocks"),
        ("NEXUSFAST_RPC_HOST", "rpc.host"),
        ("NEXUSFAST_RPC_PORT", "rpc.port"),
        ("NEXUSFAST_VALIDATOR_KEY_FILE", "validatorKeyFile"),
        ("NEXUSFAST_VALIDATOR_PASSPHRASE_FILE", "validatorPassphraseFile"),
        ("NEXUSFAST_LOG_FORMAT", "logFormat"),
    ];

    public static NodeSettings Load(string? configPath, Func<string, string?> environment, IReadOnlyDictionary<string, string> flags)
    {
        var settings = new NodeSettings();
        if (configPath is not null) settings = ApplyFile(settings, configPath);
        foreach ((string variable, string field) in EnvironmentVariables)
        {
            string? value = environment(variable);
            if (!string.IsNullOrEmpty(value)) settings = ApplyValue(settings, field, value, $"environment variable {variable}");
        }
        foreach ((string field, string value) in flags) settings = ApplyValue(settings, field, value, $"flag for {field}");
        ValidatorConfig.CheckConsistency(settings, configPath is null ? "settings" : $"config {configPath}");
        return settings;
    }

    public static NodeSettings ApplyFile(NodeSettings settings, string path)
    {
        NodeConfigFile file;
        try
        {
            using FileStream stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize(stream, NodeConfigJsonContext.Default.NodeConfigFile)
                ?? throw new ConfigException($"config {path}: the file is empty (null)");
        }
        catch (JsonException e)
        {
            throw new ConfigException($"config {path}: {e.Message}");
        }
        catch (IOException e)
        {
            throw new ConfigException($"config {path}: cannot read it: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigException($"config {path}: cannot read it: {e.Message}");
        }

        string source = $"config {path}";
        RpcSection rpc = file.Rpc ?? new RpcSection();
        MempoolSection mempool = file.Mempool ?? new MempoolSection();
        return settings with
        {
            DataDirectory = file.DataDirectory ?? settings.DataDirectory,
            ChainId = Positive(file.ChainId, "chainId", source) ?? settings.ChainId,
            GasLimit = Positive(file.GasLimit, "gasLimit", source) ?? settings.GasLimit,
            BaseFee = file.BaseFee is { } fee ? ParseWei(fee, "baseFee", source) : settings.BaseFee,
            CheckpointIntervalBlocks = Positive(file.CheckpointIntervalBlocks, "checkpointIntervalBlocks", source) ?? settings.CheckpointIntervalBlocks,
            BlockTimeMs = file.BlockTimeMs ?? settings.BlockTimeMs,
            RpcHost = rpc.Host ?? settings.RpcHost,
            RpcPort = rpc.Port is { } port ? Port(port, "rpc.port", source) : settings.RpcPort,
            RpcBodyBytesMax = PositiveInt(rpc.BodyBytesMax, "rpc.bodyBytesMax", source) ?? settings.RpcBodyBytesMax,
            RpcBatchMax = PositiveInt(rpc.BatchMax, "rpc.batchMax", source) ?? settings.RpcBatchMax,
            RpcRequestsPerSecondPerClient = rpc.RequestsPerSecondPerClient ?? settings.RpcRequestsPerSecondPerClient,
            RpcRequestTimeoutMs = PositiveInt(rpc.RequestTimeoutMs, "rpc.requestTimeoutMs", source) ?? settings.RpcRequestTimeoutMs,
            MempoolTransactionsMax = PositiveInt(mempool.TransactionsMax, "mempool.transactionsMax", source) ?? settings.MempoolTransactionsMax,
            MempoolPerSenderMax = PositiveInt(mempool.PerSenderMax, "mempool.perSenderMax", source) ?? settings.MempoolPerSenderMax,
            MempoolFeeCapMin = mempool.FeeCapMin is { } cap ? ParseWei(cap, "mempool.feeCapMin", source) : settings.MempoolFeeCapMin,
            GenesisTimestamp = file.Genesis?.Timestamp ?? settings.GenesisTimestamp,
            GenesisAllocations = file.Genesis?.Alloc is { } alloc ? ParseAlloc(alloc, source) : settings.GenesisAllocations,
            ValidatorKeyFile = RelativeTo(path, file.ValidatorKeyFile) ?? settings.ValidatorKeyFile,
            ValidatorPassphraseFile = RelativeTo(path, file.ValidatorPassphraseFile) ?? settings.ValidatorPassphraseFile,
            LogFormat = file.LogFormat is { } format ? ParseLogFormat(format, "logFormat", source) : settings.LogFormat,
            Network = file.Network is { } network ? ValidatorConfig.ParseNetwork(network, path, source) : settings.Network,
            Consensus = file.Consensus is { } consensus ? ValidatorConfig.ParseConsensus(consensus, path, source) : settings.Consensus,
        };
    }

    /// <summary>One field from the environment or a flag (text values).</summary>
    public static NodeSettings ApplyValue(NodeSettings settings, string field, string value, string source) => field switch
    {
        "dataDirectory" => settings with { DataDirectory = value },
        "chainId" => settings with { ChainId = ParseUInt64(value, field, source, positive: true) },
        "blockTimeMs" => settings with { BlockTimeMs = ParseUInt64(value, field, source, positive: false) },
        "checkpointIntervalBlocks" => settings with { CheckpointIntervalBlocks = ParseUInt64(value, field, source, positive: true) },
        "rpc.host" => settings with { RpcHost = value },
        "rpc.port" => settings with { RpcPort = Port(checked((int)ParseUInt64(value, field, source, positive: false)), field, source) },
        "validatorKeyFile" => settings with { ValidatorKeyFile = value },
        "validatorPassphraseFile" => settings with { ValidatorPassphraseFile = value },
        "logFormat" => settings with { LogFormat = ParseLogFormat(value, field, source) },
        _ => throw new ConfigException($"{source}: unknown setting '{field}'"),
    };

    public static UInt256 ParseWei(string text, string field, string source)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (Hex.TryParseQuantity(text, out UInt256 hex, out string? error)) return hex;
            throw new ConfigException($"{source}: {field} '{text}': {error}");
        }
        try
        {
            return UInt256.Parse(text);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ConfigException($"{source}: {field} '{text}' is not an amount of wei (a decimal number or 0x-hex below 2^256)");
        }
    }

    public static LogFormat ParseLogFormat(string text, string field, string source) => text.ToLowerInvariant() switch
    {
        "text" => LogFormat.Text,
        "json" => LogFormat.Json,
        _ => throw new ConfigException($"{source}: {field} '{text}' must be 'text' or 'json'"),
    };

    private static IReadOnlyList<GenesisAllocation> ParseAlloc(Dictionary<string, string> alloc, string source)
    {
        var result = new List<GenesisAllocation>(alloc.Count);
        foreach ((string address, string balance) in alloc)
        {
            if (!Address.TryParse(address, out Address parsed, out string? error))
                throw new ConfigException($"{source}: genesis.alloc key '{address}' is not an address: {error}");
            result.Add(new GenesisAllocation(parsed, ParseWei(balance, $"genesis.alloc[{address}]", source)));
        }
        return result;
    }

    private static ulong ParseUInt64(string text, string field, string source, bool positive)
    {
        bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? Hex.TryParseQuantity(text, out ulong value, out _)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok) throw new ConfigException($"{source}: {field} '{text}' is not a non-negative 64-bit number");
        if (positive && value == 0) throw new ConfigException($"{source}: {field} must be at least 1");
        return value;
    }

    private static ulong? Positive(ulong? value, string field, string source) =>
        value == 0 ? throw new ConfigException($"{source}: {field} must be at least 1") : value;

    private static int? PositiveInt(int? value, string field, string source) =>
        value <= 0 ? throw new ConfigException($"{source}: {field} must be at least 1, got {value}") : value;

    private static int Port(int port, string field, string source) =>
        port is < 0 or > 65535 ? throw new ConfigException($"{source}: {field} {port} is not a TCP port (0-65535)") : port;

    /// <summary>Paths in a config file are relative to the file, so a config directory can be moved as a whole.</summary>
    internal static string? RelativeTo(string configPath, string? path) =>
        path is null || Path.IsPathRooted(path) ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, path);
}
