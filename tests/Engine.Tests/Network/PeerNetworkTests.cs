using System.Collections.Concurrent;
using System.Net;
using NexusFast.Engine.Network;

namespace NexusFast.Engine.Tests.Network;

public sealed class PeerNetworkTests
{
    private const ulong Chain = 4242;

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (timeout.IsCancellationRequested) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Three_nodes_on_loopback_link_up_pairwise_and_deliver_to_each_peer()
    {
        NodeKey[] keys = Enumerable.Range(0, 3).Select(_ => NodeKey.Generate()).ToArray();
        var received = Enumerable.Range(0, 3).Select(_ => new ConcurrentQueue<(int, object)>()).ToArray();
        var bans = new BanList(TimeProvider.System);
        var networks = Enumerable.Range(0, 3).Select(i => new PeerNetwork(keys[i], Chain, bans, (peer, message) => received[i].Enqueue((peer, message)))).ToArray();
        try
        {
            int[] ports = networks.Select(n => n.Listen(new IPEndPoint(IPAddress.Loopback, 0))).ToArray();
            var peers = Enumerable.Range(0, 3).Select(i => new PeerAddress(keys[i].PublicKey, new IPEndPoint(IPAddress.Loopback, ports[i]))).ToList();
            foreach (PeerNetwork network in networks) network.Start(peers);

            await WaitUntil(() => networks.All(n => n.Peers.All(n.IsConnected)), "every pair is linked");
            for (int i = 0; i < 3; i++)
            {
                foreach (int peer in networks[i].Peers) networks[i].Send(peer, new StatusMessage((ulong)i + 1, 0));
            }
            await WaitUntil(() => received.All(q => q.Count == 2), "every node heard from both others");
            for (int i = 0; i < 3; i++)
            {
                var heights = received[i].Select(r => ((StatusMessage)r.Item2).Height).Order().ToArray();
                Assert.Equal(Enumerable.Range(1, 3).Where(h => h != i + 1).Select(h => (ulong)h), heights);
            }
        }
        finally
        {
            foreach (PeerNetwork network in networks) await network.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_banned_peer_is_not_linked()
    {
        NodeKey a = NodeKey.Generate(), b = NodeKey.Generate();
        var bans = new BanList(TimeProvider.System);
        bans.Ban(b.PublicKey, TimeSpan.FromMinutes(1));
        await using var networkA = new PeerNetwork(a, Chain, bans, (_, _) => { });
        await using var networkB = new PeerNetwork(b, Chain, new BanList(TimeProvider.System), (_, _) => { });
        int portA = networkA.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        int portB = networkB.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        var peers = new[] { new PeerAddress(a.PublicKey, new IPEndPoint(IPAddress.Loopback, portA)), new PeerAddress(b.PublicKey, new IPEndPoint(IPAddress.Loopback, portB)) };
        networkA.Start(peers);
        networkB.Start(peers);
        await Task.Delay(1000);
        Assert.False(networkA.IsConnected(0));
        Assert.False(networkB.IsConnected(0));
    }
}
