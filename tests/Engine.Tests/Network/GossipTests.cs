using System.Collections.Concurrent;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

public class GossipTests
{
    private const byte Vote = MessageType.Vote;

    /// <summary>Counts deliveries per message hash on one node.</summary>
    private sealed class Deliveries
    {
        public ConcurrentDictionary<Hash256, int> Counts { get; } = new();

        public void Register(NetworkHost host) => host.RegisterGossip(Vote, (in InboundMessage message) =>
        {
            Counts.AddOrUpdate(NetworkHost.GossipHashOf(message.Type, message.Payload), 1, (_, n) => n + 1);
            return MessageVerdict.Accept;
        });
    }

    [Theory]
    [InlineData(25)]
    [InlineData(1000)] // enough to fill write batches and interleave relays with fresh broadcasts
    public async Task Gossip_in_a_ring_of_four_reaches_every_node_exactly_once(int messagesPerOrigin)
    {
        // A ring a-b-c-d-a with peer exchange off: every message reaches the node opposite its origin along two
        // paths, so delivery to all needs relaying and exactly-once needs the duplicate filter.
        string[] names = ["a", "b", "c", "d"];
        NodeKey[] keys = [.. names.Select(Key)];
        var deliveries = names.Select(_ => new Deliveries()).ToArray();
        var hosts = new NetworkHost[4];
        try
        {
            for (int i = 0; i < 4; i++)
                // A link may carry about 4,000 of the test's messages at once when the machine is busy; the queue bound is
                // not what this test is about (NetworkHostTests checks it), so it must not drop a link here.
                hosts[i] = await StartAsync(Options(keys[i]) with { PeerExchangeEnabled = false, SendQueueMessagesMax = 1 << 16 }, deliveries[i].Register);
            for (int i = 0; i < 4; i++) hosts[i].AddStaticPeer(hosts[(i + 1) % 4].LocalAddress!);
            await WaitUntilAsync(() => hosts.All(h => h.Peers.Count == 2), "every node has its two ring neighbours");

            var messages = new List<(int Origin, byte[] Payload)>();
            for (int m = 0; m < messagesPerOrigin; m++)
            {
                messages.Add((0, [.. "vote from a #"u8, .. BitConverter.GetBytes(m)]));
                messages.Add((2, [.. "vote from c #"u8, .. BitConverter.GetBytes(m)]));
            }
            foreach ((int origin, byte[] payload) in messages)
                Assert.Equal(2, hosts[origin].Broadcast(Vote, payload));

            // In a ring of four every message travels on exactly five links (2 from the origin, 1 relay from each
            // of the three others) and is delivered three times, so exactly two copies per message are duplicates.
            // Waiting for that total means every copy in flight has arrived.
            await WaitUntilAsync(
                () => hosts.Sum(h => h.Counters.GossipDuplicates) == 2 * messages.Count,
                "all copies have arrived");

            for (int i = 0; i < 4; i++)
            {
                int fromOthers = messages.Count(m => m.Origin != i);
                Assert.Equal(fromOthers, deliveries[i].Counts.Count);
                Assert.All(deliveries[i].Counts.Values, count => Assert.Equal(1, count));
                Assert.Equal(fromOthers, hosts[i].Counters.GossipDelivered);
                Assert.Equal(fromOthers, hosts[i].Counters.GossipRelayed);
                foreach ((int origin, byte[] payload) in messages.Where(m => m.Origin != i))
                    Assert.True(deliveries[i].Counts.ContainsKey(NetworkHost.GossipHashOf(Vote, payload)));
            }
        }
        finally
        {
            foreach (NetworkHost host in hosts) if (host is not null) await host.DisposeAsync();
            foreach (NodeKey key in keys) key.Dispose();
        }
    }

    [Fact]
    public async Task Nodes_that_know_only_one_hub_form_a_mesh_by_peer_exchange_and_gossip_reaches_each_once()
    {
        string[] names = ["hub", "p1", "p2", "p3"];
        NodeKey[] keys = [.. names.Select(Key)];
        var deliveries = names.Select(_ => new Deliveries()).ToArray();
        var hosts = new NetworkHost[4];
        try
        {
            hosts[0] = await StartAsync(Options(keys[0]), deliveries[0].Register);
            for (int i = 1; i < 4; i++) hosts[i] = await StartAsync(Options(keys[i], hosts[0].LocalAddress!), deliveries[i].Register);
            await WaitUntilAsync(() => hosts.All(h => h.Peers.Count == 3), "every node is linked to the three others");

            var messages = new List<(int Origin, byte[] Payload)>();
            for (int m = 0; m < 10; m++)
                for (int origin = 0; origin < 4; origin++) messages.Add((origin, [.. "block part "u8, (byte)origin, (byte)m]));
            foreach ((int origin, byte[] payload) in messages) hosts[origin].Broadcast(Vote, payload);

            int expectedPerNode = messages.Count / 4 * 3;
            await WaitUntilAsync(() => deliveries.All(d => d.Counts.Count == expectedPerNode), "every node has every other node's messages");
            for (int i = 0; i < 4; i++)
            {
                Assert.All(deliveries[i].Counts.Values, count => Assert.Equal(1, count));
                Assert.Equal(expectedPerNode, hosts[i].Counters.GossipDelivered);
            }
        }
        finally
        {
            foreach (NetworkHost host in hosts) if (host is not null) await host.DisposeAsync();
            foreach (NodeKey key in keys) key.Dispose();
        }
    }

    [Fact]
    public async Task Broadcasting_a_type_not_registered_as_gossip_is_refused()
    {
        using NodeKey key = Key("a");
        await using NetworkHost host = await StartAsync(Options(key), h => h.Register(MessageType.BlockRequest, (in InboundMessage _) => MessageVerdict.Accept));
        Assert.Throws<InvalidOperationException>(() => host.Broadcast(MessageType.BlockRequest, new byte[1]));
        Assert.Throws<InvalidOperationException>(() => host.Broadcast(Vote, new byte[1]));
        Assert.Throws<InvalidOperationException>(() => host.RegisterGossip(Vote, (in InboundMessage _) => MessageVerdict.Accept));
    }
}
