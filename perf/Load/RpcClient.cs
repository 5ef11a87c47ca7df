using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace NexusFast.Load;

/// <summary>The few JSON-RPC calls the driver makes, over one pooled HTTP/1.1 client.</summary>
public sealed class RpcClient : IDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _url;

    public RpcClient(Uri url, int connections)
    {
        _url = url;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>POSTs a body and returns the response body (any HTTP status: JSON-RPC errors ride on 200 and 4xx alike).</summary>
    public async Task<byte[]> PostAsync(byte[] body, CancellationToken cancellation)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = s_json;
        using HttpResponseMessage response = await _http.PostAsync(_url, content, cancellation).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<JsonElement> CallAsync(string method, string paramsJson, CancellationToken cancellation)
    {
        byte[] body = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{paramsJson}}}");
        byte[] response = await PostAsync(body, cancellation).ConfigureAwait(false);
        using JsonDocument document = JsonDocument.Parse(response);
        if (document.RootElement.TryGetProperty("error", out JsonElement error))
            throw new InvalidOperationException($"{method}: {error.GetRawText()}");
        return document.RootElement.GetProperty("result").Clone();
    }

    public async Task<ulong> BlockNumberAsync(CancellationToken cancellation) =>
        ParseQuantity((await CallAsync("eth_blockNumber", "[]", cancellation).ConfigureAwait(false)).GetString()!);

    /// <summary>Waits until the node answers eth_blockNumber, or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout, Func<bool> gaveUp)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await BlockNumberAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !gaveUp())
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }
    }

    public static ulong ParseQuantity(string hex) => ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}
