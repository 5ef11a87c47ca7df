using System.Net;
using NexusFast.Engine.Network;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

public class PeerListCodecTests
{
    private static List<PeerAddress> Sample()
    {
        using NodeKey a = Key("a");
        using NodeKey b = Key("b");
        using NodeKey c = Key("c");
        return
        [
            new(a.Id, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 30303)),
            new(b.Id, new IPEndPoint(IPAddress.Parse("2001:db8::7"), 1)),
            new(c.Id, new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.1"), 65535)),
        ];
    }

    [Fact]
    public void A_peer_list_round_trips_with_ipv4_ipv6_and_mapped_addresses()
    {
        List<PeerAddress> peers = Sample();
        byte[] payload = PeerListCodec.Encode(peers);
        Assert.Equal(1 + (33 + 1 + 4 + 2) + (33 + 1 + 16 + 2) + (33 + 1 + 4 + 2), payload.Length);

        Assert.True(PeerListCodec.TryDecode(payload, 32, out List<PeerAddress>? decoded, out string? error), error);
        Assert.Equal(peers[0], decoded[0]);
        Assert.Equal(peers[1], decoded[1]);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 65535), decoded[2].EndPoint);

        Assert.True(PeerListCodec.TryDecode([0], 32, out decoded, out _));
        Assert.Empty(decoded);
    }

    [Fact]
    public void Malformed_peer_lists_are_refused_with_a_reason()
    {
        byte[] good = PeerListCodec.Encode(Sample());
        AssertRefused(good, 2, "3 entries, the limit is 2");
        AssertRefused([], 32, "count byte is missing");
        AssertRefused(good[..^1], 32, "truncated");
        AssertRefused([.. good, 0], 32, "1 bytes after");

        byte[] badFamily = (byte[])good.Clone();
        badFamily[1 + 33] = 5;
        AssertRefused(badFamily, 32, "unknown address family 5");

        byte[] portZero = (byte[])good.Clone();
        portZero[1 + 33 + 1 + 4] = 0;
        portZero[1 + 33 + 1 + 4 + 1] = 0;
        AssertRefused(portZero, 32, "port 0");

        byte[] badKey = (byte[])good.Clone();
        badKey[1] = 0x04;
        AssertRefused(badKey, 32, "entry 0: node id");
    }

    private static void AssertRefused(byte[] payload, int entriesMax, string expected)
    {
        Assert.False(PeerListCodec.TryDecode(payload, entriesMax, out List<PeerAddress>? peers, out string? error));
        Assert.Null(peers);
        Assert.Contains(expected, error);
    }
}
