using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc.Json;
using NexusFast.Native.Rpc.Limits;
using NexusFast.Native.Rpc.Methods;
using NexusFast.Native.Rpc.Metrics;

namespace NexusFast.Native.Rpc.Rest;

/// <summary>
/// Plain HTTP beside JSON-RPC, for operators and simple tools: liveness, readiness, Prometheus metrics, and blocks,
/// transactions and accounts as JSON in the same formats as the RPC results. Errors are {"error": "..."} with 400 (bad
/// identifier), 404 (not found) or 429 (rate limit).
/// </summary>
internal sealed class RestEndpoints(NodeContext node, RpcOptions options, RpcMetrics metrics, ClientRateLimiter? limiter)
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = false };

    /// <summary>Liveness: the process serves HTTP.</summary>
    public static Task HealthAsync(HttpContext http) => WriteAsync(http, StatusCodes.Status200OK, w =>
    {
        w.WriteStartObject();
        w.WriteString("status"u8, "ok"u8);
        w.WriteEndObject();
    });

    /// <summary>Readiness: the node is started, not stopping, and producing blocks (503 with the reason otherwise).</summary>
    public Task ReadyAsync(HttpContext http)
    {
        bool ready = node.IsReady;
        string? reason = ready ? null : node.Producer.Fault is { } fault ? $"block production failed: {fault.Message}" : "the node is starting or stopping";
        ulong head = node.CurrentChain.Head.Number;
        return WriteAsync(http, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ready"u8, ready);
            w.WriteNumber("head"u8, head);
            if (reason is not null) w.WriteString("reason"u8, reason);
            w.WriteEndObject();
        });
    }

    public async Task MetricsAsync(HttpContext http)
    {
        string text = PrometheusExporter.Render(node, metrics);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = PrometheusExporter.ContentType;
        await http.Response.WriteAsync(text, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>/v1/blocks/{number|hash|tag}?full=true</summary>
    public Task BlockAsync(HttpContext http)
    {
        if (!Admit(http)) return RateLimitedAsync(http);
        string id = (string?)http.Request.RouteValues["id"] ?? string.Empty;
        if (!TryParseBlockId(id, out BlockSelector selector, out string? why)) return ErrorAsync(http, StatusCodes.Status400BadRequest, why);
        bool full = string.Equals(http.Request.Query["full"], "true", StringComparison.OrdinalIgnoreCase);
        using ChainScope scope = node.EnterChain();
        Block? block = ChainQueries.FindBlock(scope.Chain, selector, out _);
        if (block is null) return ErrorAsync(http, StatusCodes.Status404NotFound, $"block {id} not found");
        return WriteAsync(http, StatusCodes.Status200OK, w => ChainJson.WriteBlock(w, block, full));
    }

    /// <summary>/v1/transactions/{hash}: {"transaction": ..., "receipt": ... | null} (pending: block fields null, no receipt).</summary>
    public Task TransactionAsync(HttpContext http)
    {
        if (!Admit(http)) return RateLimitedAsync(http);
        string id = (string?)http.Request.RouteValues["hash"] ?? string.Empty;
        if (!Hash256.TryParse(id, out Hash256 hash, out string? why)) return ErrorAsync(http, StatusCodes.Status400BadRequest, $"invalid transaction hash: {why}");
        using ChainScope scope = node.EnterChain();
        Blockchain chain = scope.Chain;
        if (chain.Pool.TryGet(hash, out Transaction? pending))
        {
            return WriteAsync(http, StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("transaction"u8);
                ChainJson.WriteTransaction(w, pending, null, 0);
                w.WriteNull("receipt"u8);
                w.WriteEndObject();
            });
        }
        if (!TransactionMethods.TryLocate(chain, hash, out Block? block, out Receipt[] receipts, out int index))
            return ErrorAsync(http, StatusCodes.Status404NotFound, $"transaction {hash} not found");
        return WriteAsync(http, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("transaction"u8);
            ChainJson.WriteTransaction(w, block.Transactions[index], block, index);
            w.WritePropertyName("receipt"u8);
            ChainJson.WriteReceipt(w, receipts[index], block, index, ChainJson.FirstLogIndex(receipts, index));
            w.WriteEndObject();
        });
    }

    /// <summary>/v1/accounts/{address}: balance, nonce, pending nonce, code hash and storage root at the head.</summary>
    public Task AccountAsync(HttpContext http)
    {
        if (!Admit(http)) return RateLimitedAsync(http);
        string id = (string?)http.Request.RouteValues["address"] ?? string.Empty;
        if (!Address.TryParse(id, out Address address, out string? why)) return ErrorAsync(http, StatusCodes.Status400BadRequest, $"invalid address: {why}");
        using ChainScope scope = node.EnterChain();
        Account account = scope.Chain.GetAccount(address, out Block head);
        ulong pendingNonce = scope.Chain.Pool.PendingNonce(address);
        return WriteAsync(http, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            HexJson.WriteAddress(w, "address"u8, address);
            HexJson.WriteQuantity(w, "balance"u8, account.Balance);
            HexJson.WriteQuantity(w, "nonce"u8, account.Nonce);
            HexJson.WriteQuantity(w, "pendingNonce"u8, pendingNonce);
            HexJson.WriteHash(w, "codeHash"u8, account.CodeHash);
            HexJson.WriteHash(w, "storageHash"u8, account.StorageRoot);
            HexJson.WriteQuantity(w, "blockNumber"u8, head.Number);
            HexJson.WriteHash(w, "blockHash"u8, head.Hash);
            w.WriteEndObject();
        });
    }

    /// <summary>A decimal number, a hex quantity, a 32-byte hash, or a tag.</summary>
    internal static bool TryParseBlockId(string id, out BlockSelector selector, [NotNullWhen(false)] out string? why)
    {
        selector = BlockSelector.Latest;
        why = null;
        switch (id)
        {
            case "latest": return true;
            case "earliest": selector = new(BlockTag.Earliest); return true;
            case "pending": selector = new(BlockTag.Pending); return true;
            case "safe": selector = new(BlockTag.Safe); return true;
            case "finalized": selector = new(BlockTag.Finalized); return true;
        }
        if (id.Length == 66)
        {
            if (!Hash256.TryParse(id, out Hash256 hash, out why))
            {
                why = $"invalid block hash: {why}";
                return false;
            }
            selector = new(BlockTag.Hash, Hash: hash);
            return true;
        }
        if (id.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (!Hex.TryParseQuantity(id, out ulong number, out why))
            {
                why = $"invalid block number: {why}";
                return false;
            }
            selector = new(BlockTag.Number, number);
            return true;
        }
        if (id.Length > 0 && id.Length <= 20 && id.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0 && (id.Length == 1 || id[0] != '0')
            && ulong.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out ulong decimalNumber))
        {
            selector = new(BlockTag.Number, decimalNumber);
            return true;
        }
        why = $"invalid block identifier '{(id.Length > 80 ? id[..80] + "..." : id)}': expected a number (decimal or 0x hex), a 32-byte hash or latest/earliest/pending/safe/finalized";
        return false;
    }

    private bool Admit(HttpContext http)
    {
        if (limiter is null) return true;
        IPAddress client = http.Connection.RemoteIpAddress ?? IPAddress.None;
        if (IPAddress.IsLoopback(client) && !options.RateLimitLoopback) return true;
        if (limiter.TryAcquire(client, 1)) return true;
        metrics.OnRejected(RpcRejection.RateLimited);
        return false;
    }

    private Task RateLimitedAsync(HttpContext http) => ErrorAsync(http, StatusCodes.Status429TooManyRequests,
        $"rate limit exceeded: at most {options.RateLimitPerSecond} requests per second per client");

    private static Task ErrorAsync(HttpContext http, int status, string message) => WriteAsync(http, status, w =>
    {
        w.WriteStartObject();
        w.WriteString("error"u8, message);
        w.WriteEndObject();
    });

    private static async Task WriteAsync(HttpContext http, int status, Action<Utf8JsonWriter> write)
    {
        using var output = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(output, s_writerOptions)) write(writer);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = output.WrittenCount;
        await http.Response.Body.WriteAsync(output.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
    }
}
