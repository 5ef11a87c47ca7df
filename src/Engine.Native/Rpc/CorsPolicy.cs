using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace NexusFast.Native.Rpc;

/// <summary>
/// CORS for browser dapps (Fetch standard, "CORS protocol"): answers preflight OPTIONS requests and marks responses to
/// allowed origins. Requests from other origins are still served (CORS is enforced by the browser, which then hides
/// the response); only the permission headers are withheld.
/// </summary>
internal sealed class CorsPolicy(IReadOnlyList<string> allowedOrigins)
{
    private readonly bool _any = allowedOrigins.Contains("*");
    private readonly HashSet<string> _origins = new(allowedOrigins, StringComparer.OrdinalIgnoreCase);

    public bool IsEnabled => _any || _origins.Count > 0;

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        StringValues origin = http.Request.Headers.Origin;
        bool allowed = origin.Count == 1 && (_any || _origins.Contains(origin.ToString()));
        if (allowed)
        {
            http.Response.Headers.AccessControlAllowOrigin = _any ? "*" : origin.ToString();
            if (!_any) http.Response.Headers.Vary = "Origin";
        }
        if (HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers.AccessControlRequestMethod.Count > 0)
        {
            if (allowed)
            {
                http.Response.Headers.AccessControlAllowMethods = "POST, GET, OPTIONS";
                StringValues requested = http.Request.Headers.AccessControlRequestHeaders;
                http.Response.Headers.AccessControlAllowHeaders = requested.Count > 0 ? requested : (StringValues)"content-type";
                http.Response.Headers.AccessControlMaxAge = "600";
            }
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        await next(http).ConfigureAwait(false);
    }
}
