// A constant response of eth_blockNumber's shape: what Kestrel alone costs per request, the ceiling the node's
// JSON-RPC endpoint is compared with.
byte[] response = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x0\"}"u8.ToArray();
string port = args.Length > 0 ? args[0] : "8600";
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
WebApplication app = builder.Build();
app.MapPost("/", async (HttpContext http) =>
{
    // Read the body as the node must, then answer.
    while (true)
    {
        System.IO.Pipelines.ReadResult read = await http.Request.BodyReader.ReadAsync();
        http.Request.BodyReader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted) break;
    }
    http.Response.ContentType = "application/json";
    http.Response.ContentLength = response.Length;
    await http.Response.Body.WriteAsync(response);
});
app.Run();
