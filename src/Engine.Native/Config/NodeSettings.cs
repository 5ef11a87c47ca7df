using NexusFast.Engine.Chain;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Config;

/// <summary>Everything a node needs to start, after the config file, the environment and flags were merged.</summary>
public sealed record NodeSettings
{
    public string? DataDirectory { get; init; }

    public ulong ChainId { get; init; } = 31337;

    public ulong GasLimit { get; init; } = 30_000_000;

    public UInt256 BaseFee { get; init; } = new(1_000_000_000);

    public ulong CheckpointIntervalBlocks { get; init; } = 64;

    /// <summary>0: automine (a block as soon as transactions are ready).</summary>
    public ulong BlockTimeMs { get; init; }

    public string RpcHost { get; init; } = "127.0.0.1";

    public int RpcPort { get; init; } = 8545;

    public int RpcBodyBytesMax { get; init; } = 5 * 1024 * 1024;

    public int RpcBatchMax { get; init; } = 1000;

    /// <summary>Token-bucket rate per remote address (0 disables); loopback clients are not limited.</summary>
    public int RpcRequestsPerSecondPerClient { get; init; } = 5_000;

    public int RpcRequestTimeoutMs { get; init; } = 30_000;

    public int MempoolTransactionsMax { get; init; } = 8192;

    public int MempoolPerSenderMax { get; init; } = 64;

    public UInt256 MempoolFeeCapMin { get; init; } = UInt256.One;

    public ulong GenesisTimestamp { get; init; }

    public IReadOnlyList<GenesisAllocation> GenesisAllocations { get; init; } = [];

    public string? ValidatorKeyFile { get; init; }

    public string? ValidatorPassphraseFile { get; init; }

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>Peer-to-peer settings; set exactly when <see cref="Consensus"/> is.</summary>
    public NetworkSettings? Network { get; init; }

    /// <summary>Set: the node is one validator of a BFT chain (no local block production, no dev methods).</summary>
    public ConsensusSettings? Consensus { get; init; }
}

public enum LogFormat
{
    Text,
    Json,
}
