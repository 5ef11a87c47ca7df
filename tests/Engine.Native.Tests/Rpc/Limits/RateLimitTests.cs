using System.Net;
using System.Text.Json;
using NexusFast.Native.Rpc;
using NexusFast.Native.Rpc.Limits;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Rpc.Limits;

/// <summary>The per-client token bucket, with a hand-driven clock, and its HTTP answer.</summary>
public sealed class RateLimitTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; } = 1_000_000;

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => Ticks;
    }

    private static readonly IPAddress s_alice = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress s_bob = IPAddress.Parse("192.0.2.2");

    [Fact]
    public void A_client_gets_its_burst_then_the_refill_rate()
    {
        var clock = new ManualClock();
        var limiter = new ClientRateLimiter(ratePerSecond: 10, burst: 5, clientsMax: 100, clock);
        Assert.True(limiter.TryAcquire(s_alice, 5));
        Assert.False(limiter.TryAcquire(s_alice, 1));
        Assert.True(limiter.TryAcquire(s_bob, 5)); // buckets are per client
        clock.Ticks += 100; // 0.1 s: one token
        Assert.True(limiter.TryAcquire(s_alice, 1));
        Assert.False(limiter.TryAcquire(s_alice, 1));
        clock.Ticks += 10_000; // long idle: refills to the burst, not beyond
        Assert.False(limiter.TryAcquire(s_alice, 6));
        Assert.True(limiter.TryAcquire(s_alice, 5));
    }

    [Fact]
    public void A_refused_request_takes_nothing_and_ipv4_mapped_addresses_share_the_ipv4_bucket()
    {
        var clock = new ManualClock();
        var limiter = new ClientRateLimiter(10, 5, 100, clock);
        Assert.False(limiter.TryAcquire(s_alice, 6));
        Assert.True(limiter.TryAcquire(s_alice.MapToIPv6(), 5));
        Assert.False(limiter.TryAcquire(s_alice, 1));
    }

    [Fact]
    public void Memory_stays_bounded_idle_clients_are_forgotten_and_newcomers_beyond_the_cap_share_a_bucket()
    {
        var clock = new ManualClock();
        var limiter = new ClientRateLimiter(10, 2, clientsMax: 2, clock);
        Assert.True(limiter.TryAcquire(s_alice, 2));
        Assert.True(limiter.TryAcquire(s_bob, 2));
        IPAddress carol = IPAddress.Parse("192.0.2.3"), dave = IPAddress.Parse("192.0.2.4");
        Assert.True(limiter.TryAcquire(carol, 2)); // the shared overflow bucket
        Assert.False(limiter.TryAcquire(dave, 1));
        Assert.Equal(2 + 1, limiter.TrackedClients); // the cap plus the shared bucket
        clock.Ticks += 1000; // everyone refills: idle buckets are dropped for the next newcomer, who gets its own
        Assert.True(limiter.TryAcquire(dave, 2));
        Assert.Equal(1, limiter.TrackedClients);
        Assert.False(limiter.TryAcquire(dave, 1));
    }

    [Fact]
    public async Task Over_the_limit_a_client_gets_429_with_a_limit_exceeded_error_and_a_batch_costs_its_size()
    {
        // The node's clock stands still until the test moves it: how long a busy machine takes between two requests
        // must not refill the bucket.
        var clock = new ManualClock();
        await using TestNode node = await TestNode.StartAsync(rpcOptions: new RpcOptions
        {
            RateLimitPerSecond = 1, RateLimitBurst = 3, RateLimitLoopback = true,
        }, time: clock);
        const string Batch = "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_chainId\"}]";
        (int status, string body) = await node.PostRawAsync(Batch);
        Assert.Equal(200, status);
        // One token left: a batch of two is refused whole.
        (status, body) = await node.PostRawAsync(Batch);
        Assert.Equal(429, status);
        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement error = document.RootElement.GetProperty("error");
        Assert.Equal(RpcError.LimitExceeded, error.GetProperty("code").GetInt32());
        Assert.StartsWith("rate limit exceeded", error.GetProperty("message").GetString());
        (status, _) = await node.PostRawAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}");
        Assert.Equal(200, status);
        // The bucket is empty now; a second refills one token.
        (status, _) = await node.PostRawAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}");
        Assert.Equal(429, status);
        clock.Ticks += clock.TimestampFrequency;
        (status, _) = await node.PostRawAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}");
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Loopback_clients_are_not_limited_unless_configured()
    {
        await using TestNode node = await TestNode.StartAsync(rpcOptions: new RpcOptions { RateLimitPerSecond = 1, RateLimitBurst = 1 });
        for (int i = 0; i < 5; i++) Assert.Equal("0x7a69", (await node.ResultAsync("eth_chainId")).GetString());
    }
}
