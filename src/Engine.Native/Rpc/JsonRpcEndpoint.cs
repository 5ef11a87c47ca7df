using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc.Json;
using NexusFast.Native.Rpc.Limits;
using NexusFast.Native.Rpc.Metrics;

namespace NexusFast.Native.Rpc;

/// <summary>
/// POST / : the HTTP side of JSON-RPC. Enforces the media type, body size, per-client rate and request time before
/// and around <see cref="RpcProcessor"/>, and answers refusals with the matching HTTP status and a JSON-RPC error body
/// (clients show the message).
/// </summary>
internal sealed class JsonRpcEndpoint(RpcProcessor processor, RpcMetrics metrics, ClientRateLimiter? limiter)
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = false };

    public async Task HandleAsync(HttpContext http)
    {
        RpcOptions options = processor.Options;
        if (!IsJson(http.Request.ContentType))
        {
            metrics.OnRejected(RpcRejection.UnsupportedMediaType);
            await WriteRefusalAsync(http, StatusCodes.Status415UnsupportedMediaType, RpcError.InvalidRequest,
                $"invalid content type {http.Request.ContentType}: only application/json is supported").ConfigureAwait(false);
            return;
        }
        if (http.Request.ContentLength is long declared && declared > options.BodyBytesMax)
        {
            await RefuseBodyAsync(http, options).ConfigureAwait(false);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(options.RequestTimeoutMs);
        byte[]? body = null;
        int length = 0;
        try
        {
            (body, length) = await ReadBodyAsync(http.Request.BodyReader, options.BodyBytesMax, timeout.Token).ConfigureAwait(false);
            if (body is null)
            {
                await RefuseBodyAsync(http, options).ConfigureAwait(false);
                return;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseBodyAsync(http, options).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            metrics.OnRejected(RpcRejection.Timeout);
            await WriteRefusalAsync(http, StatusCodes.Status408RequestTimeout, RpcError.Timeout, "request timed out while reading the body").ConfigureAwait(false);
            return;
        }

        try
        {
            using var output = new PooledBufferWriter();
            IPAddress client = http.Connection.RemoteIpAddress ?? IPAddress.None;
            (RpcOutcome outcome, int responses) = await processor.ProcessAsync(body.AsMemory(0, length), output,
                calls => Admit(client, calls, options), timeout.Token).ConfigureAwait(false);
            http.Response.StatusCode = outcome == RpcOutcome.RateLimited ? StatusCodes.Status429TooManyRequests : StatusCodes.Status200OK;
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = responses == 0 ? 0 : output.WrittenCount;
            if (responses > 0) await http.Response.Body.WriteAsync(output.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    /// <summary>GET / and friends: JSON-RPC over HTTP is POST only.</summary>
    public static Task MethodNotAllowedAsync(HttpContext http)
    {
        http.Response.Headers.Allow = "POST";
        return WriteRefusalAsync(http, StatusCodes.Status405MethodNotAllowed, RpcError.InvalidRequest, "JSON-RPC requests are sent with POST");
    }

    private bool Admit(IPAddress client, int calls, RpcOptions options)
    {
        if (limiter is null) return true;
        if (IPAddress.IsLoopback(client) && !options.RateLimitLoopback) return true;
        return limiter.TryAcquire(client, calls);
    }

    /// <summary>The whole body in one pooled array, or null when it exceeds <paramref name="limit"/>.</summary>
    private static async Task<(byte[]? Body, int Length)> ReadBodyAsync(PipeReader reader, int limit, CancellationToken cancellation)
    {
        while (true)
        {
            ReadResult read = await reader.ReadAsync(cancellation).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.End);
                return (null, 0);
            }
            if (read.IsCompleted || read.IsCanceled)
            {
                int length = (int)buffer.Length;
                byte[] body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                buffer.CopyTo(body);
                reader.AdvanceTo(buffer.End);
                return (body, length);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private Task RefuseBodyAsync(HttpContext http, RpcOptions options)
    {
        metrics.OnRejected(RpcRejection.BodyTooLarge);
        return WriteRefusalAsync(http, StatusCodes.Status413PayloadTooLarge, RpcError.InvalidRequest,
            $"request body too large: the limit is {options.BodyBytesMax} bytes");
    }

    /// <summary>Media types JSON-RPC clients send (geth accepts the same three); a missing type is accepted too.</summary>
    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return true;
        ReadOnlySpan<char> type = contentType.AsSpan();
        int semicolon = type.IndexOf(';');
        if (semicolon >= 0) type = type[..semicolon];
        type = type.Trim();
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/json-rpc", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/jsonrequest", StringComparison.OrdinalIgnoreCase);
    }

    internal static async Task WriteRefusalAsync(HttpContext http, int status, int code, string message)
    {
        using var output = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(output, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc"u8, "2.0"u8);
            writer.WriteNull("id"u8);
            writer.WritePropertyName("error"u8);
            writer.WriteStartObject();
            writer.WriteNumber("code"u8, code);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = output.WrittenCount;
        await http.Response.Body.WriteAsync(output.WrittenMemory, http.RequestAborted).ConfigureAwait(false);
    }
}
