using System.Net;
using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Network;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

/// <summary>
/// Whatever a peer sends, the decoders answer with a result or a reason, never an exception, and a host
/// disconnects the sender without failing itself.
/// </summary>
public class NetworkInputPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Gen<byte> s_byte = Gen.Choose(0, 255).Select(b => (byte)b);

    private static readonly NodeId[] s_ids = [.. Enumerable.Range(0, 8).Select(i =>
    {
        using NodeKey key = Key("property " + i);
        return key.Id;
    })];

    private static readonly Gen<PeerAddress> s_address =
        from id in Gen.Elements(s_ids)
        from v6 in Gen.Elements(false, true)
        from bytes in Gen.ArrayOf(s_byte, 16)
        from port in Gen.Choose(1, 65535)
        let ip = v6 && !new IPAddress(bytes).IsIPv4MappedToIPv6 ? new IPAddress(bytes) : new IPAddress(bytes[..4])
        select new PeerAddress(id, new IPEndPoint(ip, port));

    [Fact]
    public void Peer_lists_round_trip_and_arbitrary_bytes_never_make_the_decoder_throw()
    {
        Check.One(s_config, Prop.ForAll(Gen.ArrayOf(s_address).Where(a => a.Length <= 40).ToArbitrary(), peers =>
        {
            byte[] encoded = PeerListCodec.Encode(peers);
            Assert.True(PeerListCodec.TryDecode(encoded, 64, out List<PeerAddress>? decoded, out string? error), error);
            Assert.Equal(peers, decoded);
        }));
        Check.One(s_config.WithMaxTest(2000), Prop.ForAll(Gen.ArrayOf(s_byte).ToArbitrary(), bytes =>
        {
            bool ok = PeerListCodec.TryDecode(bytes, PeerListCodec.EntriesMax, out List<PeerAddress>? decoded, out string? error);
            Assert.True(ok ? decoded is not null && error is null : decoded is null && !string.IsNullOrEmpty(error));
        }));
    }

    [Fact]
    public async Task Random_bytes_after_a_handshake_get_the_sender_dropped_and_leave_the_host_healthy()
    {
        using NodeKey hostKey = Key("host");
        using NodeKey friendKey = Key("friend");
        var random = new Random(20_261_121);
        await using NetworkHost host = await StartAsync(Options(hostKey) with { BanDuration = TimeSpan.FromMilliseconds(1) });
        var events = new HostEvents(host);
        for (int round = 0; round < 20; round++)
        {
            using NodeKey attackerKey = Key("attacker " + round);
            await using RawPeer attacker = await RawPeer.ConnectAsync(host, attackerKey);
            byte[] garbage = new byte[random.Next(1, 200)];
            random.NextBytes(garbage);
            await attacker.WriteAsync(garbage);
            attacker.CloseSend(); // the garbage may be a partial frame: the end of the stream must end the link too

            (PeerLink _, DisconnectReason reason) = await events.Disconnected(e => e.Link.Id == attackerKey.Id);
            Assert.True(reason.IsBannable() || reason == DisconnectReason.RemoteClosed, $"round {round}: {reason}");
            await WaitUntilAsync(() => !host.Bans.IsBanned(IPAddress.Loopback), "the 1 ms ban has lapsed");
        }

        // Still serving: an honest peer connects and is admitted.
        await using NetworkHost friend = await StartAsync(Options(friendKey, host.LocalAddress!));
        await events.Connected(link => link.Id == friendKey.Id);
    }
}
