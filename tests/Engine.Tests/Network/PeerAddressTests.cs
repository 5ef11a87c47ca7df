using System.Net;
using NexusFast.Engine.Network;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

public class PeerAddressTests
{
    [Fact]
    public void A_peer_address_parses_from_and_prints_to_the_config_form()
    {
        using NodeKey key = Key("alice");
        string text = $"{key.Id}@127.0.0.1:30303";
        PeerAddress address = PeerAddress.Parse(text);
        Assert.Equal(key.Id, address.Id);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 30303), address.EndPoint);
        Assert.Equal(text, address.ToString());
        Assert.Equal(address, PeerAddress.Parse($"0x{key.Id}@127.0.0.1:30303"));
        Assert.Equal(IPAddress.IPv6Loopback, PeerAddress.Parse($"{key.Id}@[::1]:30303").EndPoint.Address);
    }

    [Theory]
    [InlineData("{id}127.0.0.1:30303", "'@' is missing")]
    [InlineData("{id}@127.0.0.1", "not IP:PORT")]
    [InlineData("{id}@localhost:30303", "not IP:PORT")]
    [InlineData("{id}@127.0.0.1:0", "port cannot be 0")]
    [InlineData("04{x}@127.0.0.1:30303", "must start with 02 or 03")]
    [InlineData("02{x}ff@127.0.0.1:30303", "66 hex digits")]
    [InlineData("02{x-with-g}@127.0.0.1:30303", "only hex digits")]
    public void A_malformed_peer_address_is_refused_with_the_reason(string template, string expectedError)
    {
        using NodeKey key = Key("alice");
        string x = key.Id.ToString()[2..];
        string text = template.Replace("{id}", key.Id.ToString()).Replace("{x}", x).Replace("{x-with-g}", "g" + x[1..]);
        Assert.False(PeerAddress.TryParse(text, out PeerAddress? address, out string? error));
        Assert.Null(address);
        Assert.Contains(expectedError, error);
    }

    [Fact]
    public void Node_ids_round_trip_through_bytes_and_hex_and_order_by_their_bytes()
    {
        using NodeKey a = Key("alice");
        using NodeKey b = Key("bob");
        Assert.Equal(a.Id, NodeId.Read(a.Id.ToArray()));
        Assert.Equal(a.Id, NodeId.Parse(a.Id.ToString()));
        Assert.Equal(
            Math.Sign(a.Id.ToArray().AsSpan().SequenceCompareTo(b.Id.ToArray())),
            Math.Sign(a.Id.CompareTo(b.Id)));
        Assert.True(default(NodeId).IsDefault);
        Assert.False(a.Id.IsDefault);
    }

    [Fact]
    public void Options_refuse_a_static_list_naming_this_node_or_a_node_twice()
    {
        using NodeKey self = Key("alice");
        using NodeKey other = Key("bob");
        var own = new PeerAddress(self.Id, new IPEndPoint(IPAddress.Loopback, 1000));
        var peer = new PeerAddress(other.Id, new IPEndPoint(IPAddress.Loopback, 1001));

        var selfListed = Assert.Throws<ArgumentException>(() => Options(self, own).Validate());
        Assert.Contains("own key", selfListed.Message);
        var twice = Assert.Throws<ArgumentException>(() => Options(self, peer, peer with { EndPoint = new IPEndPoint(IPAddress.Loopback, 1002) }).Validate());
        Assert.Contains("twice", twice.Message);
        var badQueue = Assert.Throws<ArgumentException>(() => (Options(self) with { SendQueueBytesMax = 10 }).Validate());
        Assert.Equal(nameof(NetworkOptions.SendQueueBytesMax), badQueue.ParamName);
    }
}
