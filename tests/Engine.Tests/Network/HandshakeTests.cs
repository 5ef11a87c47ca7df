using System.Net;
using System.Net.Sockets;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

public class HandshakeTests
{
    /// <summary>The outcome of one side: a session or the exception that ended it.</summary>
    private sealed record Side(HandshakeResult? Result, Exception? Error, NetworkStream Stream)
    {
        public HandshakeException Refusal => Assert.IsType<HandshakeException>(Error);
    }

    private sealed class Pair : IDisposable
    {
        public required Socket Client { get; init; }

        public required Socket Server { get; init; }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }

    private static async Task<Pair> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task<Socket> accepted = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return new Pair { Client = client, Server = await accepted };
    }

    /// <summary>Runs one side; on failure it closes its socket, as a node does, so the other side ends too.</summary>
    private static async Task<Side> RunSideAsync(Socket socket, HandshakeParameters parameters, bool isInitiator, NodeId? expected)
    {
        var stream = new NetworkStream(socket, ownsSocket: false);
        using var timeout = new CancellationTokenSource(WaitLimit);
        try
        {
            return new Side(await Handshake.RunAsync(stream, parameters, isInitiator, expected, timeout.Token), null, stream);
        }
        catch (Exception exception)
        {
            socket.Shutdown(SocketShutdown.Both);
            return new Side(null, exception, stream);
        }
    }

    private static async Task<(Side Initiator, Side Responder)> RunAsync(
        Pair pair, HandshakeParameters initiator, HandshakeParameters responder, NodeId? expected)
    {
        Task<Side> dialing = RunSideAsync(pair.Client, initiator, isInitiator: true, expected);
        Task<Side> accepting = RunSideAsync(pair.Server, responder, isInitiator: false, null);
        return (await dialing, await accepting);
    }

    [Fact]
    public async Task Both_sides_learn_the_others_proven_key_and_encrypted_frames_flow_both_ways()
    {
        using NodeKey alice = Key("alice");
        using NodeKey bob = Key("bob");
        using Pair pair = await ConnectedPairAsync();

        (Side a, Side b) = await RunAsync(pair, new(alice, TestNetwork, 30_301), new(bob, TestNetwork, 30_302), expected: bob.Id);

        Assert.Null(a.Error);
        Assert.Null(b.Error);
        using HandshakeResult ar = a.Result!;
        using HandshakeResult br = b.Result!;
        Assert.Equal(bob.Id, ar.PeerId);
        Assert.Equal(alice.Id, br.PeerId);
        Assert.Equal(30_302, ar.PeerListenPort);
        Assert.Equal(30_301, br.PeerListenPort);
        // The auth frame was each direction's frame 0.
        Assert.Equal(1UL, ar.Sealer.Sequence);
        Assert.Equal(1UL, br.Opener.Sequence);

        await SendAndReceiveAsync(ar, a.Stream, br, b.Stream, 16, "from the dialer"u8.ToArray());
        await SendAndReceiveAsync(br, b.Stream, ar, a.Stream, 17, "from the acceptor"u8.ToArray());
        await SendAndReceiveAsync(ar, a.Stream, br, b.Stream, 18, new byte[5000]);
    }

    private static async Task SendAndReceiveAsync(
        HandshakeResult sender, NetworkStream senderStream, HandshakeResult receiver, NetworkStream receiverStream, byte type, byte[] payload)
    {
        byte[] frame = new byte[FrameFormat.WireLength(payload.Length)];
        sender.Sealer.Seal(type, payload, frame);
        await senderStream.WriteAsync(frame);
        using var reader = new FrameReader(receiverStream, receiver.Opener, 1 << 16);
        using var timeout = new CancellationTokenSource(WaitLimit);
        FrameReadResult received = await reader.ReadAsync(timeout.Token);
        Assert.Equal(FrameStatus.Ok, received.Status);
        Assert.Equal(type, received.Type);
        Assert.Equal(payload, received.Payload.ToArray());
    }

    [Fact]
    public async Task A_dialer_expecting_another_key_refuses_the_peer_and_the_peer_gets_no_session()
    {
        using NodeKey alice = Key("alice");
        using NodeKey bob = Key("bob");
        using NodeKey carol = Key("carol");
        using Pair pair = await ConnectedPairAsync();

        (Side a, Side b) = await RunAsync(pair, new(alice, TestNetwork, 0), new(bob, TestNetwork, 0), expected: carol.Id);

        Assert.Equal(DisconnectReason.WrongNodeKey, a.Refusal.Reason);
        Assert.Contains(bob.Id.ToString(), a.Refusal.Message);
        Assert.Null(b.Result);
        Assert.Equal(DisconnectReason.RemoteClosed, b.Refusal.Reason);
    }

    [Theory]
    [InlineData(7_778UL, false)]
    [InlineData(7_777UL, true)]
    public async Task Nodes_of_different_networks_refuse_each_other(ulong chainId, bool otherGenesis)
    {
        using NodeKey alice = Key("alice");
        using NodeKey bob = Key("bob");
        using Pair pair = await ConnectedPairAsync();
        var otherNetwork = new NetworkIdentity(chainId, otherGenesis ? Hash256.Parse("0x" + new string('1', 64)) : TestNetwork.GenesisHash);

        (Side a, Side b) = await RunAsync(pair, new(alice, TestNetwork, 0), new(bob, otherNetwork, 0), expected: bob.Id);

        Assert.Equal(DisconnectReason.WrongNetwork, a.Refusal.Reason);
        Assert.Equal(DisconnectReason.WrongNetwork, b.Refusal.Reason);
        Assert.Contains($"chain {chainId}", a.Refusal.Message);
    }

    [Fact]
    public async Task A_node_that_reaches_itself_refuses_the_connection()
    {
        using NodeKey alice = Key("alice");
        using Pair pair = await ConnectedPairAsync();

        (Side a, Side b) = await RunAsync(pair, new(alice, TestNetwork, 0), new(alice, TestNetwork, 0), expected: null);

        Assert.Equal(DisconnectReason.SelfConnection, a.Refusal.Reason);
        Assert.Equal(DisconnectReason.SelfConnection, b.Refusal.Reason);
    }

    [Fact]
    public async Task A_hello_changed_in_flight_breaks_the_handshake_because_the_transcript_binds_both_hellos()
    {
        // A man in the middle swaps the dialer's static key in its hello for carol's: the acceptor then believes it
        // talks to carol, but its transcript differs from the dialer's, so the session keys differ and neither
        // auth frame opens. Without the transcript in the key derivation this would authenticate the wrong peer.
        using NodeKey alice = Key("alice");
        using NodeKey bob = Key("bob");
        using NodeKey carol = Key("carol");
        using Pair toMiddle = await ConnectedPairAsync();
        using Pair toBob = await ConnectedPairAsync();

        Task relayAliceToBob = RelayAsync(toMiddle.Server, toBob.Client, hello =>
        {
            carol.Id.WriteTo(hello.AsSpan(45, NodeId.Length));
        });
        Task relayBobToAlice = RelayAsync(toBob.Client, toMiddle.Server, _ => { });
        Task<Side> dialing = RunSideAsync(toMiddle.Client, new(alice, TestNetwork, 0), isInitiator: true, bob.Id);
        Task<Side> accepting = RunSideAsync(toBob.Server, new(bob, TestNetwork, 0), isInitiator: false, null);
        Side a = await dialing;
        Side b = await accepting;

        Assert.Null(a.Result);
        Assert.Null(b.Result);
        Assert.Contains(a.Refusal.Reason, new[] { DisconnectReason.DecryptionFailed, DisconnectReason.RemoteClosed });
        Assert.Contains(b.Refusal.Reason, new[] { DisconnectReason.DecryptionFailed, DisconnectReason.RemoteClosed });
        Assert.True(a.Refusal.Reason == DisconnectReason.DecryptionFailed || b.Refusal.Reason == DisconnectReason.DecryptionFailed);
        toMiddle.Dispose();
        toBob.Dispose();
        await Task.WhenAll(relayAliceToBob, relayBobToAlice).WaitAsync(WaitLimit);
    }

    /// <summary>Copies bytes one way, letting the test rewrite the first 113 (the hello) before they go on.</summary>
    private static async Task RelayAsync(Socket from, Socket to, Action<byte[]> rewriteHello)
    {
        try
        {
            byte[] hello = new byte[Handshake.HelloLength];
            for (int read = 0; read < hello.Length;)
            {
                int n = await from.ReceiveAsync(hello.AsMemory(read), SocketFlags.None);
                if (n == 0) return;
                read += n;
            }
            rewriteHello(hello);
            await to.SendAsync(hello, SocketFlags.None);
            byte[] buffer = new byte[4096];
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (n == 0) break;
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // One side gave up and closed; the relay ends with it.
        }
    }
}
