using System.Text;
using System.Text.Json;
using NexusFast.Native.Rpc;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc;

/// <summary>JSON-RPC 2.0 framing: parse errors, invalid requests, ids, notifications, batches and HTTP-level limits.</summary>
public sealed class EnvelopeTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(rpcOptions: new RpcOptions { BodyBytesMax = 64 * 1024, BatchRequestsMax = 20 });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<JsonElement> PostAsync(string body, int expectedStatus = 200)
    {
        (int status, string text) = await _node.PostRawAsync(body);
        Assert.True(status == expectedStatus, $"HTTP {status}: {text}");
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static void AssertError(JsonElement response, int code, string messageStart, string idJson = "null")
    {
        Assert.Equal("2.0", response.GetProperty("jsonrpc").GetString());
        Assert.Equal(idJson, response.GetProperty("id").GetRawText());
        Assert.False(response.TryGetProperty("result", out _));
        JsonElement error = response.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.StartsWith(messageStart, error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":1")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":1}}")]
    [InlineData("[{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":1},")]
    [InlineData("not json")]
    [InlineData("{'jsonrpc':'2.0'}")]
    [InlineData("")]
    public async Task Malformed_json_is_a_parse_error_with_a_null_id(string body) =>
        AssertError(await PostAsync(body), RpcError.ParseError, "parse error");

    [Theory]
    [InlineData("1", "expected an object")]
    [InlineData("\"eth_chainId\"", "expected an object")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}", "invalid request: missing \\\"method\\\"")]
    [InlineData("{\"jsonrpc\":\"1.0\",\"method\":\"eth_chainId\",\"id\":1}", "invalid request: \\\"jsonrpc\\\" must be \\\"2.0\\\"")]
    [InlineData("{\"method\":\"eth_chainId\",\"id\":1}", "invalid request: \\\"jsonrpc\\\" must be \\\"2.0\\\"")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":7,\"id\":1}", "invalid request: \\\"method\\\" must be a string")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"params\":\"x\",\"id\":1}", "invalid request: \\\"params\\\" must be an array")]
    public async Task Requests_of_the_wrong_shape_are_invalid_requests(string body, string message)
    {
        JsonElement response = await PostAsync(body);
        JsonElement error = response.GetProperty("error");
        Assert.Equal(RpcError.InvalidRequest, error.GetProperty("code").GetInt32());
        Assert.Contains(JsonSerializerUnescape(message), error.GetProperty("message").GetString());
    }

    private static string JsonSerializerUnescape(string text) => text.Replace("\\\"", "\"", StringComparison.Ordinal);

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":{}}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":[1]}")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":true}")]
    public async Task An_id_that_is_not_a_string_number_or_null_is_an_invalid_request_answered_with_a_null_id(string body) =>
        AssertError(await PostAsync(body), RpcError.InvalidRequest, "invalid request: \"id\" must be");

    [Theory]
    [InlineData("7")]
    [InlineData("\"abc\"")]
    [InlineData("null")]
    [InlineData("1.50")]
    [InlineData("-3")]
    [InlineData("\"\\u0041\"")]
    [InlineData("123456789012345678901234567890")]
    public async Task The_id_is_echoed_verbatim(string id)
    {
        JsonElement response = await PostAsync($"{{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":{id}}}");
        Assert.Equal(id, response.GetProperty("id").GetRawText());
        Assert.Equal("0x7a69", response.GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_request_without_params_means_an_empty_list()
    {
        Assert.Equal("0x7a69", (await _node.ResultAsync("eth_chainId", null)).GetString());
        Assert.Equal("0x7a69", (await _node.ResultAsync("eth_chainId", "null")).GetString());
    }

    [Fact]
    public async Task By_name_params_are_refused_as_invalid_params()
    {
        (int code, string message) = await _node.ErrorAsync("eth_getBalance", "{\"address\":\"0x0000000000000000000000000000000000000000\"}");
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.Contains("array", message);
    }

    [Fact]
    public async Task An_unknown_method_is_named_in_a_method_not_found_error()
    {
        (int code, string message) = await _node.ErrorAsync("eth_fillTransaction");
        Assert.Equal(RpcError.MethodNotFound, code);
        Assert.Equal("the method eth_fillTransaction does not exist/is not available", message);
    }

    [Fact]
    public async Task An_escaped_method_name_is_resolved()
    {
        JsonElement response = await PostAsync("{\"jsonrpc\":\"2.0\",\"method\":\"eth\\u005fchainId\",\"id\":1}");
        Assert.Equal("0x7a69", response.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Too_many_params_are_refused()
    {
        (int code, string message) = await _node.ErrorAsync("eth_chainId", "[1]");
        Assert.Equal(RpcError.InvalidParams, code);
        Assert.Equal("too many arguments, want at most 0", message);
    }

    [Fact]
    public async Task A_batch_answers_every_request_in_order_and_skips_notifications()
    {
        JsonElement response = await PostAsync("""
            [
              {"jsonrpc":"2.0","method":"eth_chainId","id":"a"},
              {"jsonrpc":"2.0","method":"eth_blockNumber"},
              {"jsonrpc":"2.0","method":"nope","id":2},
              1,
              {"jsonrpc":"2.0","method":"net_version","id":3}
            ]
            """);
        Assert.Equal(JsonValueKind.Array, response.ValueKind);
        JsonElement[] items = response.EnumerateArray().ToArray();
        Assert.Equal(4, items.Length);
        Assert.Equal("\"a\"", items[0].GetProperty("id").GetRawText());
        Assert.Equal("0x7a69", items[0].GetProperty("result").GetString());
        AssertError(items[1], RpcError.MethodNotFound, "the method nope does not exist", "2");
        AssertError(items[2], RpcError.InvalidRequest, "invalid request: expected an object");
        Assert.Equal("31337", items[3].GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_single_notification_and_a_batch_of_notifications_get_an_empty_body()
    {
        (int status, string body) = await _node.PostRawAsync("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"}");
        Assert.Equal(200, status);
        Assert.Equal(string.Empty, body);
        (status, body) = await _node.PostRawAsync("[{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"},{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\"}]");
        Assert.Equal(200, status);
        Assert.Equal(string.Empty, body);
    }

    [Fact]
    public async Task Invalid_utf8_in_strings_is_a_parse_error()
    {
        foreach (string template in new[]
        {
            "{\"jsonrpc\":\"2.0\",\"method\":\"eth_\u00ffchainId\",\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBalance\",\"params\":[\"0x\u00ff\"],\"id\":1}",
        })
        {
            byte[] body = Encoding.Latin1.GetBytes(template); // a lone 0xFF byte: not UTF-8
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            using HttpResponseMessage response = await _node.Http.PostAsync("/", content);
            Assert.Equal(200, (int)response.StatusCode);
            using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            AssertError(document.RootElement, RpcError.ParseError, "parse error");
        }
    }

    [Fact]
    public async Task An_empty_batch_is_one_invalid_request() =>
        AssertError(await PostAsync("[]"), RpcError.InvalidRequest, "invalid request: empty batch");

    [Fact]
    public async Task A_batch_over_the_limit_is_refused_as_a_whole()
    {
        string item = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":1}";
        JsonElement ok = await PostAsync("[" + string.Join(",", Enumerable.Repeat(item, 20)) + "]");
        Assert.Equal(20, ok.GetArrayLength());
        JsonElement refused = await PostAsync("[" + string.Join(",", Enumerable.Repeat(item, 21)) + "]");
        AssertError(refused, RpcError.InvalidRequest, "batch too large: more than 20 requests");
    }

    [Fact]
    public async Task Once_a_batch_response_passes_its_size_limit_the_remaining_calls_get_an_error()
    {
        await using TestNode small = await TestNode.StartAsync(rpcOptions: new RpcOptions { BatchResponseBytesMax = 1024 });
        string item = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x0\",true],\"id\":1}";
        (int status, string body) = await small.PostRawAsync("[" + string.Join(",", Enumerable.Repeat(item, 5)) + "]");
        Assert.Equal(200, status);
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement[] responses = document.RootElement.EnumerateArray().ToArray();
        Assert.Equal(5, responses.Length);
        Assert.Equal("0x0", responses[0].GetProperty("result").GetProperty("number").GetString());
        foreach (JsonElement late in responses[1..])
        {
            AssertError(late, -32003, "response too large", "1");
        }
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_before_parsing()
    {
        string padding = new('0', 70 * 1024);
        (int status, string body) = await _node.PostRawAsync($"{{\"jsonrpc\":\"2.0\",\"method\":\"web3_sha3\",\"params\":[\"0x{padding}\"],\"id\":1}}");
        Assert.Equal(413, status);
        using JsonDocument document = JsonDocument.Parse(body);
        Assert.Equal(RpcError.InvalidRequest, document.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("request body too large", document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_oversized_chunked_body_is_refused_too()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("[" + new string(' ', 70 * 1024) + "]")));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage response = await _node.Http.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_form_encoded_body_is_refused_with_415()
    {
        (int status, string body) = await _node.PostRawAsync("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":1}", "application/x-www-form-urlencoded");
        Assert.Equal(415, status);
        Assert.Contains("only application/json", body);
    }

    [Fact]
    public async Task Cors_is_off_by_default_and_answers_preflights_for_allowed_origins()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/");
        preflight.Headers.Add("Origin", "http://localhost:5173");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using (HttpResponseMessage refused = await _node.Http.SendAsync(preflight))
        {
            Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        }

        await using TestNode open = await TestNode.StartAsync(rpcOptions: new RpcOptions { CorsAllowedOrigins = ["http://localhost:5173"] });
        using var again = new HttpRequestMessage(HttpMethod.Options, "/");
        again.Headers.Add("Origin", "http://localhost:5173");
        again.Headers.Add("Access-Control-Request-Method", "POST");
        again.Headers.Add("Access-Control-Request-Headers", "content-type");
        using HttpResponseMessage response = await open.Http.SendAsync(again);
        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal("http://localhost:5173", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Equal("content-type", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Headers")));

        using var call = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":1}", Encoding.UTF8, "application/json"),
        };
        call.Headers.Add("Origin", "http://localhost:5173");
        using HttpResponseMessage answered = await open.Http.SendAsync(call);
        Assert.Equal("http://localhost:5173", Assert.Single(answered.Headers.GetValues("Access-Control-Allow-Origin")));
        using var other = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\",\"id\":1}", Encoding.UTF8, "application/json"),
        };
        other.Headers.Add("Origin", "https://evil.example");
        using HttpResponseMessage unmarked = await open.Http.SendAsync(other);
        Assert.False(unmarked.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Get_on_the_rpc_path_is_405()
    {
        using HttpResponseMessage response = await _node.Http.GetAsync("/");
        Assert.Equal(405, (int)response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Dev_methods_are_unavailable_on_a_node_that_is_not_a_devnet()
    {
        await using TestNode production = await TestNode.StartAsync(new Native.Node.NodeOptions { IsDevnet = false });
        foreach (string method in new[] { "evm_snapshot", "evm_mine", "anvil_setBalance", "evm_setAutomine" })
        {
            (int code, string message) = await production.ErrorAsync(method);
            Assert.Equal(RpcError.MethodNotFound, code);
            Assert.Equal($"the method {method} does not exist/is not available", message);
        }
        Assert.Equal(0UL, await production.BlockNumberAsync());
    }
}
