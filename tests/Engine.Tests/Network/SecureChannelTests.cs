using System.Net;
using System.Net.Sockets;
using NexusFast.Engine.Network;

namespace NexusFast.Engine.Tests.Network;

public sealed class SecureChannelTests
{
    private const ulong Chain = 31337;

    /// <summary>Runs both sides of a handshake over a real loopback TCP connection; the client may wrap its stream.</summary>
    private static async Task<(Task<SecureChannel> Server, Task<SecureChannel> Client, IDisposable Cleanup)> Connect(
        NodeKey server, NodeKey client, Func<byte[], bool> serverAccepts, Func<byte[], bool> clientAccepts,
        ulong serverChain = Chain, Func<Stream, Stream>? wrapClient = null)
    {
        var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientSocket = new TcpClient();
        Task connect = clientSocket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancel.Token).AsTask();
        TcpClient serverSocket = await listener.AcceptTcpClientAsync(cancel.Token);
        await connect;
        Stream clientStream = wrapClient is null ? clientSocket.GetStream() : wrapClient(clientSocket.GetStream());
        Task<SecureChannel> serverTask = SecureHandshake.RunAsync(serverSocket.GetStream(), server, serverChain, serverAccepts, cancel.Token);
        Task<SecureChannel> clientTask = Task.Run(async () =>
        {
            try
            {
                return await SecureHandshake.RunAsync(clientStream, client, Chain, clientAccepts, cancel.Token);
            }
            catch
            {
                clientSocket.Close(); // a refusing side hangs up, as a node does
                throw;
            }
        });
        return (serverTask, clientTask, new Cleanup(() =>
        {
            clientSocket.Dispose();
            serverSocket.Dispose();
            listener.Stop();
            cancel.Dispose();
        }));
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private static Func<byte[], bool> Only(NodeKey key) => peer => peer.AsSpan().SequenceEqual(key.PublicKey);

    [Fact]
    public async Task Two_nodes_prove_their_keys_and_exchange_messages_in_order()
    {
        NodeKey server = NodeKey.Generate(), client = NodeKey.Generate();
        var (serverTask, clientTask, cleanup) = await Connect(server, client, Only(client), Only(server));
        using (cleanup)
        {
            using SecureChannel serverChannel = await serverTask;
            using SecureChannel clientChannel = await clientTask;
            Assert.Equal(client.PublicKey, serverChannel.RemotePublicKey);
            Assert.Equal(server.PublicKey, clientChannel.RemotePublicKey);

            byte[] large = new byte[1 << 20];
            new Random(7).NextBytes(large);
            for (int i = 0; i < 20; i++) await clientChannel.SendAsync(new[] { (byte)i });
            await clientChannel.SendAsync(large);
            await serverChannel.SendAsync("pong"u8.ToArray());
            for (int i = 0; i < 20; i++) Assert.Equal(new[] { (byte)i }, await serverChannel.ReceiveAsync());
            Assert.Equal(large, await serverChannel.ReceiveAsync());
            Assert.Equal("pong"u8.ToArray(), await clientChannel.ReceiveAsync());
        }
    }

    [Fact]
    public async Task A_peer_with_another_key_than_the_one_dialled_is_refused()
    {
        NodeKey server = NodeKey.Generate(), client = NodeKey.Generate(), expected = NodeKey.Generate();
        var (serverTask, clientTask, cleanup) = await Connect(server, client, Only(client), Only(expected));
        using (cleanup)
        {
            var refused = await Assert.ThrowsAsync<SecureChannelException>(() => clientTask);
            Assert.Equal(SecureChannelError.PeerRefused, refused.Error);
            await Assert.ThrowsAnyAsync<IOException>(() => serverTask); // the client hung up before authenticating
        }
    }

    [Fact]
    public async Task A_peer_on_another_chain_is_refused()
    {
        NodeKey server = NodeKey.Generate(), client = NodeKey.Generate();
        var (serverTask, clientTask, cleanup) = await Connect(server, client, Only(client), Only(server), serverChain: Chain + 1);
        using (cleanup)
        {
            Assert.Equal(SecureChannelError.WrongChain, (await Assert.ThrowsAsync<SecureChannelException>(() => serverTask)).Error);
            Assert.Equal(SecureChannelError.WrongChain, (await Assert.ThrowsAsync<SecureChannelException>(() => clientTask)).Error);
        }
    }

    [Fact]
    public async Task A_man_in_the_middle_who_swaps_the_ephemeral_key_breaks_the_handshake()
    {
        NodeKey server = NodeKey.Generate(), client = NodeKey.Generate(), attacker = NodeKey.Generate();
        // Replace the client's ephemeral key in its hello with the attacker's (a valid point the attacker holds).
        var (serverTask, clientTask, cleanup) = await Connect(server, client, Only(client), Only(server),
            wrapClient: inner => new RewritingStream(inner, 12, attacker.PublicKey));
        using (cleanup)
        {
            var error = await Assert.ThrowsAsync<SecureChannelException>(() => serverTask);
            Assert.Contains(error.Error, new[] { SecureChannelError.Tampered, SecureChannelError.BadAuthentication, SecureChannelError.Closed });
            await Assert.ThrowsAnyAsync<IOException>(() => clientTask);
        }
    }

    /// <summary>Overwrites bytes at a fixed offset of what is written through it (once).</summary>
    private sealed class RewritingStream(Stream inner, int offset, byte[] replacement) : Stream
    {
        private long _written;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            byte[] copy = buffer.ToArray();
            for (int i = 0; i < copy.Length; i++)
            {
                long position = _written + i;
                if (position >= offset && position < offset + replacement.Length) copy[i] = replacement[position - offset];
            }
            _written += copy.Length;
            return inner.WriteAsync(copy, cancellationToken);
        }
    }
}

public sealed class SecureChannelFrameTests
{
    private static readonly byte[] s_keyAb = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] s_keyBa = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    private static (SecureChannel Writer, SecureChannel Reader, MemoryStream Wire) Pair(int framePayloadMax = SecureChannel.FramePayloadMaxDefault)
    {
        var wire = new MemoryStream();
        var writer = new SecureChannel(wire, s_keyAb, s_keyBa, [], framePayloadMax);
        var reader = new SecureChannel(wire, s_keyBa, s_keyAb, [], framePayloadMax);
        return (writer, reader, wire);
    }

    [Fact]
    public async Task A_flipped_bit_anywhere_in_a_frame_is_detected()
    {
        for (int position = 0; position < 4 + 5 + SecureChannel.TagLength; position++)
        {
            var (writer, reader, wire) = Pair();
            await writer.SendAsync("hello"u8.ToArray());
            wire.GetBuffer()[position] ^= 0x10;
            wire.Position = 0;
            var error = await Assert.ThrowsAsync<SecureChannelException>(async () => await reader.ReceiveAsync());
            Assert.Contains(error.Error, new[] { SecureChannelError.Tampered, SecureChannelError.Closed, SecureChannelError.FrameTooLarge });
        }
    }

    [Fact]
    public async Task A_replayed_or_reordered_frame_is_detected()
    {
        var (writer, reader, wire) = Pair();
        byte[] first = writer.SealFrame("one"u8);
        byte[] second = writer.SealFrame("two"u8);
        wire.Write(second);
        wire.Write(first);
        wire.Position = 0;
        Assert.Equal(SecureChannelError.Tampered, (await Assert.ThrowsAsync<SecureChannelException>(async () => await reader.ReceiveAsync())).Error);

        (writer, reader, wire) = Pair();
        first = writer.SealFrame("one"u8);
        wire.Write(first);
        wire.Write(first);
        wire.Position = 0;
        Assert.Equal("one"u8.ToArray(), await reader.ReceiveAsync());
        Assert.Equal(SecureChannelError.Tampered, (await Assert.ThrowsAsync<SecureChannelException>(async () => await reader.ReceiveAsync())).Error);
    }

    [Fact]
    public async Task An_oversized_frame_is_refused_before_it_is_read_and_a_cut_one_reports_closed()
    {
        var (writer, reader, wire) = Pair(framePayloadMax: 100);
        await Assert.ThrowsAsync<SecureChannelException>(async () => await writer.SendAsync(new byte[101]));
        wire.Write([0x7F, 0xFF, 0xFF, 0xFF]);
        wire.Position = 0;
        Assert.Equal(SecureChannelError.FrameTooLarge, (await Assert.ThrowsAsync<SecureChannelException>(async () => await reader.ReceiveAsync())).Error);

        (writer, reader, wire) = Pair();
        wire.Write(writer.SealFrame("truncated"u8).AsSpan(0, 10));
        wire.Position = 0;
        Assert.Equal(SecureChannelError.Closed, (await Assert.ThrowsAsync<SecureChannelException>(async () => await reader.ReceiveAsync())).Error);
    }
}
