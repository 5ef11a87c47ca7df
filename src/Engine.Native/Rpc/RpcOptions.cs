using System.Net;

namespace NexusFast.Native.Rpc;

/// <summary>
/// Where the HTTP server listens and the limits it enforces. Defaults follow geth's HTTP-RPC server where it has one,
/// so that tools tuned against geth behave the same here.
/// </summary>
public sealed record RpcOptions
{
    /// <summary>Loopback unless the operator decides otherwise: an RPC port reachable from outside is a choice.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 lets the system pick a free one (tests), see <see cref="RpcHost.GetListenUris"/>.</summary>
    public int Port { get; init; } = 8545;

    /// <summary>
    /// Browser origins allowed to call the node (CORS); "*" allows any. None by default: a page on any website could
    /// otherwise drive a node on the visitor's machine. A devnet passes "*", as anvil and hardhat do, so that dapps
    /// served from a local dev server can use it.
    /// </summary>
    public IReadOnlyList<string> CorsAllowedOrigins { get; init; } = [];

    /// <summary>Largest request body (geth: 5 MiB). Larger bodies get HTTP 413 and are not parsed.</summary>
    public int BodyBytesMax { get; init; } = 5 * 1024 * 1024;

    /// <summary>
    /// Requests in one JSON-RPC batch. geth's default (--rpc.batch-request-limit) is 1000; ethers batches at most 100,
    /// so 1000 leaves room for load tools and block explorers without letting one HTTP request carry unbounded work.
    /// </summary>
    public int BatchRequestsMax { get; init; } = 1000;

    /// <summary>Largest response a batch may produce (geth: --rpc.batch-response-max-size, 25 MB).</summary>
    public int BatchResponseBytesMax { get; init; } = 25 * 1000 * 1000;

    /// <summary>Time one HTTP request may take, body read and processing included (geth's HTTP write timeout is 30 s).</summary>
    public int RequestTimeoutMs { get; init; } = 30_000;

    /// <summary>Token-bucket refill rate per client IP in JSON-RPC calls per second; 0 turns rate limiting off.</summary>
    public int RateLimitPerSecond { get; init; } = 5_000;

    /// <summary>Bucket size: calls a client may make in a burst after being idle.</summary>
    public int RateLimitBurst { get; init; } = 10_000;

    /// <summary>
    /// Whether loopback clients are rate limited too. Off by default: on a devnet the wallet, the test suite and the
    /// load driver all come from 127.0.0.1, and limiting them only distorts measurements.
    /// </summary>
    public bool RateLimitLoopback { get; init; }

    /// <summary>Distinct client IPs tracked at once; beyond this, idle buckets are dropped (memory is bounded).</summary>
    public int RateLimitClientsMax { get; init; } = 10_000;

    /// <summary>eth_getLogs: blocks one query may scan (what public providers commonly allow).</summary>
    public int LogsBlockRangeMax { get; init; } = 10_000;

    /// <summary>eth_getLogs: logs one query may return (the usual provider limit; geth has none).</summary>
    public int LogsResultsMax { get; init; } = 10_000;

    /// <summary>eth_feeHistory: most blocks per query (geth: 1024).</summary>
    public int FeeHistoryBlocksMax { get; init; } = 1024;

    /// <summary>eth_feeHistory: most reward percentiles per query (geth: 100).</summary>
    public int FeeHistoryPercentilesMax { get; init; } = 100;

    /// <summary>nexus_getProof: most storage slots per query.</summary>
    public int ProofSlotsMax { get; init; } = 1024;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        Require(Port is >= 0 and <= 65535, nameof(Port), Port, "0..65535");
        Require(BodyBytesMax >= 1024, nameof(BodyBytesMax), BodyBytesMax, "at least 1024");
        Require(BatchRequestsMax >= 1, nameof(BatchRequestsMax), BatchRequestsMax, "at least 1");
        Require(BatchResponseBytesMax >= 1024, nameof(BatchResponseBytesMax), BatchResponseBytesMax, "at least 1024");
        Require(RequestTimeoutMs >= 1, nameof(RequestTimeoutMs), RequestTimeoutMs, "at least 1");
        Require(RateLimitPerSecond >= 0, nameof(RateLimitPerSecond), RateLimitPerSecond, "0 (off) or more");
        Require(RateLimitPerSecond == 0 || RateLimitBurst >= 1, nameof(RateLimitBurst), RateLimitBurst, "at least 1");
        Require(RateLimitClientsMax >= 1, nameof(RateLimitClientsMax), RateLimitClientsMax, "at least 1");
        Require(LogsBlockRangeMax >= 1, nameof(LogsBlockRangeMax), LogsBlockRangeMax, "at least 1");
        Require(LogsResultsMax >= 1, nameof(LogsResultsMax), LogsResultsMax, "at least 1");
        Require(FeeHistoryBlocksMax >= 1, nameof(FeeHistoryBlocksMax), FeeHistoryBlocksMax, "at least 1");
        Require(FeeHistoryPercentilesMax >= 1, nameof(FeeHistoryPercentilesMax), FeeHistoryPercentilesMax, "at least 1");
        Require(ProofSlotsMax >= 1, nameof(ProofSlotsMax), ProofSlotsMax, "at least 1");
    }

    private static void Require(bool condition, string name, long value, string rule)
    {
        if (!condition) throw new ArgumentOutOfRangeException(name, value, $"RpcOptions.{name} must be {rule}");
    }
}
