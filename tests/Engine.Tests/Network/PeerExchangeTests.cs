using System.Net;
using NexusFast.Engine.Network;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

public class PeerExchangeTests
{
    [Fact]
    public async Task Peer_exchange_finds_a_node_that_is_in_no_static_list()
    {
        // alice and carol each know only bob; bob knows nobody. Bob's peer lists must introduce them.
        using NodeKey aliceKey = Key("alice");
        using NodeKey bobKey = Key("bob");
        using NodeKey carolKey = Key("carol");
        await using NetworkHost bob = await StartAsync(Options(bobKey));
        await using NetworkHost alice = await StartAsync(Options(aliceKey, bob.LocalAddress!));
        await using NetworkHost carol = await StartAsync(Options(carolKey, bob.LocalAddress!));

        await WaitUntilAsync(() => alice.IsConnected(carolKey.Id) && carol.IsConnected(aliceKey.Id), "alice and carol are linked");

        PeerLink carolAtAlice = alice.Peers.Single(link => link.Id == carolKey.Id);
        Assert.Equal(carol.LocalEndPoint, carolAtAlice.IsOutbound ? carolAtAlice.RemoteEndPoint : carolAtAlice.ListenEndPoint);
        Assert.True(alice.KnownAddressCount + carol.KnownAddressCount >= 1);
    }

    [Fact]
    public async Task Without_peer_exchange_a_node_stays_with_its_static_peers()
    {
        using NodeKey aliceKey = Key("alice");
        using NodeKey bobKey = Key("bob");
        using NodeKey carolKey = Key("carol");
        await using NetworkHost bob = await StartAsync(Options(bobKey) with { PeerExchangeEnabled = false });
        await using NetworkHost alice = await StartAsync(Options(aliceKey, bob.LocalAddress!) with { PeerExchangeEnabled = false });
        await using NetworkHost carol = await StartAsync(Options(carolKey, bob.LocalAddress!) with { PeerExchangeEnabled = false });

        await WaitUntilAsync(() => bob.Peers.Count == 2, "bob has both peers");
        // Several exchange intervals of the other test's settings pass: nothing introduces alice to carol.
        await Task.Delay(300);
        Assert.False(alice.IsConnected(carolKey.Id));
        Assert.Equal(0, alice.KnownAddressCount);
    }

    private static PeerAddress[] FakePeers(int count) =>
    [
        .. Enumerable.Range(1, count).Select(i =>
        {
            using NodeKey key = Key("fake " + i);
            return new PeerAddress(key.Id, new IPEndPoint(IPAddress.Loopback, 1000 + i));
        }),
    ];

    [Fact]
    public async Task A_peer_list_nobody_asked_for_is_ignored()
    {
        using NodeKey hostKey = Key("host");
        using NodeKey malloryKey = Key("mallory");
        await using NetworkHost host = await StartAsync(Options(hostKey) with { PeerExchangeInterval = TimeSpan.FromMinutes(1) });
        var events = new HostEvents(host);
        await using RawPeer mallory = await RawPeer.ConnectAsync(host, malloryKey, listenPort: 9);
        await events.Connected();
        PeerAddress[] fake = FakePeers(2);

        // The host asked once, right after the handshake: the first list answers that request ...
        await mallory.WriteAsync(mallory.Seal(NetworkMessageType.PeerList, PeerListCodec.Encode(fake[..1])));
        // ... and the second was not asked for, so it is dropped although it is well formed.
        await mallory.WriteAsync(mallory.Seal(NetworkMessageType.PeerList, PeerListCodec.Encode(fake[1..])));
        await mallory.WriteAsync(mallory.Seal(NetworkMessageType.Pong, []));
        await WaitUntilAsync(() => host.Counters.FramesReceived >= 3, "the host read all three frames");

        Assert.Equal(1, host.KnownAddressCount);
        Assert.True(host.IsConnected(malloryKey.Id));
    }

    [Fact]
    public async Task A_peer_list_over_the_limit_disconnects_and_bans_its_sender()
    {
        using NodeKey hostKey = Key("host");
        using NodeKey malloryKey = Key("mallory");
        await using NetworkHost host = await StartAsync(Options(hostKey) with { PeerExchangeEntriesMax = 2 });
        var events = new HostEvents(host);
        await using RawPeer mallory = await RawPeer.ConnectAsync(host, malloryKey);
        await events.Connected();

        await mallory.WriteAsync(mallory.Seal(NetworkMessageType.PeerList, PeerListCodec.Encode(FakePeers(3))));

        (PeerLink link, DisconnectReason reason) = await events.Disconnected();
        Assert.Equal(DisconnectReason.MalformedMessage, reason);
        Assert.Contains("3 entries, the limit is 2", link.CloseDetail);
        Assert.True(host.Bans.IsBanned(malloryKey.Id));
        Assert.Equal(0, host.KnownAddressCount);
    }
}
