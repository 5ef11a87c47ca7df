using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Interop.Secp256k1;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc;

namespace NexusFast.Native.Tests.Support;

/// <summary>
/// An in-memory devnet (chain id 31337, base fee 1 gwei, gas limit 30,000,000, the first anvil accounts funded with
/// 10,000 coins) served by the real Kestrel host on 127.0.0.1 with a system-chosen port, and an HttpClient to it.
/// Disposing stops the server, then the node.
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    public const ulong ChainId = 31337;

    /// <summary>anvil/hardhat accounts 0..2 of "test test ... junk" (m/44'/60'/0'/0/i), CLIENTS.md.</summary>
    public static readonly byte[][] Keys =
    [
        Convert.FromHexString("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
        Convert.FromHexString("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
        Convert.FromHexString("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
    ];

    public static readonly UInt256 InitialBalance = UInt256.Parse("10000000000000000000000");

    public static readonly Address Proposer = Address.Parse("0x00000000000000000000000000000000000000cc");

    private TestNode(NodeContext node, WebApplication app, HttpClient http, Uri uri)
    {
        Node = node;
        App = app;
        Http = http;
        Uri = uri;
    }

    public NodeContext Node { get; }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public Uri Uri { get; }

    public Blockchain Chain => Node.CurrentChain;

    public static Address Account(int i) => AddressOf(Keys[i]);

    public static Address AddressOf(byte[] key)
    {
        Span<byte> publicKey = stackalloc byte[65];
        Assert.True(Secp256k1.TryGetPublicKey(key, publicKey));
        return Address.FromPublicKey(publicKey);
    }

    public static ChainOptions ChainOptions(string? directory = null) => new()
    {
        DataDirectory = directory,
        Config = new ChainConfig { ChainId = ChainId },
        Genesis = new GenesisSpec
        {
            Timestamp = 1_700_000_000,
            Allocations = Keys.Select(k => new GenesisAllocation(AddressOf(k), InitialBalance)).ToArray(),
        },
        Proposer = Proposer,
        CheckpointIntervalBlocks = 4,
        State = new StateStoreOptions { LogMemoryBytes = 1L << 24, IndexSizeBytes = 1L << 16, NodeCacheCapacity = 1 << 14 },
    };

    /// <param name="time">The node's clock (rate limits, block timing); the system's by default.</param>
    public static async Task<TestNode> StartAsync(NodeOptions? nodeOptions = null, RpcOptions? rpcOptions = null, string? directory = null, TimeProvider? time = null)
    {
        Blockchain chain = Blockchain.Open(ChainOptions(directory));
        var node = new NodeContext(chain, nodeOptions ?? new NodeOptions
        {
            IsDevnet = true,
            Accounts = Keys.Select(AddressOf).ToArray(),
            ClientVersion = "nexusfast/test",
        }, time);
        node.Start();
        WebApplication app = RpcHost.Build(node, (rpcOptions ?? new RpcOptions()) with { Port = 0 }, builder => builder.Logging.ClearProviders());
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            await node.DisposeAsync();
            throw;
        }
        Uri uri = Assert.Single(RpcHost.GetListenUris(app));
        Assert.Equal("127.0.0.1", uri.Host);
        var http = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(60) };
        return new TestNode(node, app, http, uri);
    }

    /// <summary>Posts a raw body; returns the status and the body text.</summary>
    public async Task<(int Status, string Body)> PostRawAsync(string body, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using HttpResponseMessage response = await Http.PostAsync("/", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Calls a method; <paramref name="paramsJson"/> is the params array's JSON (null: no params member).</summary>
    public async Task<JsonElement> CallAsync(string method, string? paramsJson = "[]")
    {
        string body = paramsJson is null
            ? $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}"}"""
            : $$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{paramsJson}}}""";
        (int status, string text) = await PostRawAsync(body);
        Assert.True(status == 200, $"HTTP {status}: {text}");
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>The result of a call that must succeed.</summary>
    public async Task<JsonElement> ResultAsync(string method, string? paramsJson = "[]")
    {
        JsonElement response = await CallAsync(method, paramsJson);
        Assert.False(response.TryGetProperty("error", out JsonElement error), $"{method} failed: {error}");
        return response.GetProperty("result");
    }

    /// <summary>The error of a call that must fail.</summary>
    public async Task<(int Code, string Message)> ErrorAsync(string method, string? paramsJson = "[]")
    {
        JsonElement response = await CallAsync(method, paramsJson);
        Assert.False(response.TryGetProperty("result", out JsonElement result), $"{method} succeeded with {result}");
        JsonElement error = response.GetProperty("error");
        return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!);
    }

    public async Task<ulong> BlockNumberAsync() => Quantity(await ResultAsync("eth_blockNumber"));

    public static ulong Quantity(JsonElement element)
    {
        string text = element.GetString()!;
        JsonFormat.AssertQuantity(text);
        return Convert.ToUInt64(text[2..], 16);
    }

    public static UInt256 BigQuantity(JsonElement element)
    {
        string text = element.GetString()!;
        JsonFormat.AssertQuantity(text);
        Assert.True(Hex.TryParseQuantity(text, out UInt256 value, out _));
        return value;
    }

    /// <summary>A signed transfer, ethers-style: type 2 with maxFee = 2 x base fee + tip unless given.</summary>
    public static Transaction Transfer(int from, ulong nonce, Address to, UInt256 value, TxType type = TxType.DynamicFee,
        ulong maxFee = 3_000_000_000, ulong tip = 1_000_000_000, ulong gas = 21_000, byte[]? data = null, byte[]? key = null)
    {
        var tx = new Transaction
        {
            Type = type,
            ChainId = ChainId,
            Nonce = nonce,
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data ?? [],
        };
        if (type == TxType.DynamicFee)
        {
            tx.MaxFeePerGas = maxFee;
            tx.MaxPriorityFeePerGas = tip;
        }
        else
        {
            tx.GasPrice = maxFee;
        }
        TransactionSigner.Sign(tx, key ?? Keys[from]);
        return tx;
    }

    public static string Raw(Transaction tx) => Hex.ToHexData(TransactionEncoder.Encode(tx));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Node.DisposeAsync();
    }
}
