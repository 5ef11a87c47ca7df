using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc.Limits;
using NexusFast.Native.Rpc.Metrics;
using NexusFast.Native.Rpc.Rest;

namespace NexusFast.Native.Rpc;

/// <summary>
/// The node's HTTP server: Kestrel (slim builder, no reflection) with JSON-RPC at POST / and the REST and metrics
/// endpoints beside it. The caller starts it (<c>await app.StartAsync()</c>), reads the bound address with
/// <see cref="GetListenUris"/>, and on shutdown stops it before disposing the <see cref="NodeContext"/>.
/// </summary>
public static class RpcHost
{
    /// <param name="configure">Last say over the builder before it is built (logging, extra configuration).</param>
    public static WebApplication Build(NodeContext node, RpcOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.ListenAddress, options.Port);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.BodyBytesMax;
            // Slow-loris protection: headers must arrive promptly whatever the request timeout is.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromMilliseconds(Math.Min(options.RequestTimeoutMs, 30_000));
        });
        configure?.Invoke(builder);

        WebApplication app = builder.Build();
        var metrics = new RpcMetrics();
        ClientRateLimiter? limiter = options.RateLimitPerSecond == 0
            ? null
            : new ClientRateLimiter(options.RateLimitPerSecond, options.RateLimitBurst, options.RateLimitClientsMax, node.Time);
        var processor = new RpcProcessor(node, options, metrics);
        var rpc = new JsonRpcEndpoint(processor, metrics, limiter);
        var rest = new RestEndpoints(node, options, metrics, limiter);

        var cors = new CorsPolicy(options.CorsAllowedOrigins);
        if (cors.IsEnabled) app.Use(cors.InvokeAsync);
        app.MapPost("/", rpc.HandleAsync);
        app.MapMethods("/", ["GET", "PUT", "DELETE", "PATCH"], JsonRpcEndpoint.MethodNotAllowedAsync);
        app.MapGet("/health", RestEndpoints.HealthAsync);
        app.MapGet("/ready", rest.ReadyAsync);
        app.MapGet("/metrics", rest.MetricsAsync);
        app.MapGet("/v1/blocks/{id}", rest.BlockAsync);
        app.MapGet("/v1/transactions/{hash}", rest.TransactionAsync);
        app.MapGet("/v1/accounts/{address}", rest.AccountAsync);
        return app;
    }

    /// <summary>The addresses the started server listens on (with the real port when <see cref="RpcOptions.Port"/> was 0).</summary>
    public static IReadOnlyList<Uri> GetListenUris(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        IServerAddressesFeature? addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        if (addresses is null) return [];
        var uris = new List<Uri>();
        foreach (string address in addresses.Addresses) uris.Add(new Uri(address));
        return uris;
    }
}
