using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Network;

/// <summary>Keys, options and waiting helpers shared by the network tests. Everything binds 127.0.0.1.</summary>
internal static class NetworkTestKit
{
    /// <summary>Every wait in these tests ends by this limit, so a broken build fails instead of hanging.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);

    public static readonly NetworkIdentity TestNetwork = new(7_777, new Hash256(SHA256.HashData("nexusfast network tests genesis"u8)));

    /// <summary>A fixed key per name, so that runs are repeatable (the duplicate-link rule orders by node id).</summary>
    public static NodeKey Key(string name) => NodeKey.FromSecret(SHA256.HashData(Encoding.UTF8.GetBytes("network test key " + name)));

    public static IPEndPoint Loopback0 => new(IPAddress.Loopback, 0);

    /// <summary>Options with short intervals so that dialing, exchange and reconnects happen within milliseconds.</summary>
    public static NetworkOptions Options(NodeKey key, params PeerAddress[] staticPeers) => new()
    {
        NodeKey = key,
        Network = TestNetwork,
        ListenEndPoint = Loopback0,
        StaticPeers = staticPeers,
        PayloadLengthMax = 64 * 1024,
        SendQueueBytesMax = 4 * 1024 * 1024,
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        MaintenanceInterval = TimeSpan.FromMilliseconds(20),
        ReconnectDelayMin = TimeSpan.FromMilliseconds(40),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(400),
        PeerExchangeInterval = TimeSpan.FromMilliseconds(100),
        BanDuration = TimeSpan.FromMinutes(5),
    };

    public static async Task<NetworkHost> StartAsync(NetworkOptions options, Action<NetworkHost>? register = null)
    {
        var host = new NetworkHost(options);
        register?.Invoke(host);
        host.Start();
        await Task.Yield();
        return host;
    }

    /// <summary>
    /// Waits for a condition over several hosts' state (for which no single event exists), checking it every 5 ms.
    /// Fails the test at <see cref="WaitLimit"/>.
    /// </summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {WaitLimit.TotalSeconds} s waiting until {what}");
            await Task.Delay(5);
        }
    }
}

/// <summary>Records a host's events and lets a test await one that matches.</summary>
internal sealed class HostEvents
{
    private readonly EventLog<PeerLink> _connected = new();
    private readonly EventLog<(PeerLink Link, DisconnectReason Reason)> _disconnected = new();
    private readonly EventLog<ConnectionFailure> _failures = new();

    public HostEvents(NetworkHost host)
    {
        host.PeerConnected += _connected.Add;
        host.PeerDisconnected += (link, reason) => _disconnected.Add((link, reason));
        host.ConnectionFailed += _failures.Add;
    }

    public Task<PeerLink> Connected(Func<PeerLink, bool>? match = null) => _connected.WaitAsync(match ?? (_ => true), "a peer connected");

    public Task<(PeerLink Link, DisconnectReason Reason)> Disconnected(Func<(PeerLink Link, DisconnectReason Reason), bool>? match = null) =>
        _disconnected.WaitAsync(match ?? (_ => true), "a peer disconnected");

    public Task<ConnectionFailure> Failed(Func<ConnectionFailure, bool>? match = null) => _failures.WaitAsync(match ?? (_ => true), "a connection failed");

    public IReadOnlyList<PeerLink> AllConnected => _connected.Snapshot();

    public IReadOnlyList<ConnectionFailure> AllFailures => _failures.Snapshot();
}

/// <summary>A thread-safe list of events with waiters for the first event matching a predicate (past or future).</summary>
internal sealed class EventLog<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Done)> _waiters = [];

    public void Add(T item)
    {
        List<(TaskCompletionSource<T> Done, T Item)> fire = [];
        lock (_gate)
        {
            _items.Add(item);
            for (int i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(item)) continue;
                fire.Add((_waiters[i].Done, item));
                _waiters.RemoveAt(i);
            }
        }
        foreach ((TaskCompletionSource<T> done, T value) in fire) done.TrySetResult(value);
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate) return [.. _items];
    }

    public async Task<T> WaitAsync(Func<T, bool> match, string what)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (T item in _items)
                if (match(item)) return item;
            _waiters.Add((match, done));
        }
        try
        {
            return await done.Task.WaitAsync(NetworkTestKit.WaitLimit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"timed out after {NetworkTestKit.WaitLimit.TotalSeconds} s waiting for {what}; seen: {string.Join("; ", Snapshot())}");
            throw;
        }
    }
}

/// <summary>
/// A hand-driven peer for attacking or starving a host: it completes a real handshake, then writes whatever
/// bytes the test builds (valid, tampered, replayed, oversized) and reads only when asked.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly HandshakeResult _session;
    private FrameReader? _reader;

    private RawPeer(Socket socket, NetworkStream stream, HandshakeResult session)
    {
        _socket = socket;
        _stream = stream;
        _session = session;
    }

    public NodeId PeerId => _session.PeerId;

    public static async Task<RawPeer> ConnectAsync(NetworkHost host, NodeKey key, int? receiveBufferBytes = null, ushort listenPort = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferBytes is { } bytes) socket.ReceiveBufferSize = bytes;
        await socket.ConnectAsync(host.LocalEndPoint!);
        var stream = new NetworkStream(socket, ownsSocket: false);
        using var timeout = new CancellationTokenSource(NetworkTestKit.WaitLimit);
        HandshakeResult session = await Handshake.RunAsync(
            stream, new HandshakeParameters(key, host.Network, listenPort), isInitiator: true, host.NodeId, timeout.Token);
        return new RawPeer(socket, stream, session);
    }

    /// <summary>Seals the next frame of this link (advancing its sequence number) without sending it.</summary>
    public byte[] Seal(byte type, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[FrameFormat.WireLength(payload.Length)];
        _session.Sealer.Seal(type, payload, frame);
        return frame;
    }

    public async Task WriteAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Ends this side's sending (a TCP FIN) while still able to read.</summary>
    public void CloseSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads the next <paramref name="count"/> application frames (types at or above 16), skipping the network layer's own.</summary>
    public async Task<List<(byte Type, byte[] Payload)>> ReadApplicationFramesAsync(int count)
    {
        using var timeout = new CancellationTokenSource(NetworkTestKit.WaitLimit);
        _reader ??= new FrameReader(_stream, _session.Opener, 1 << 20);
        var frames = new List<(byte Type, byte[] Payload)>();
        while (frames.Count < count)
        {
            FrameReadResult frame = await _reader.ReadAsync(timeout.Token);
            Assert.Equal(FrameStatus.Ok, frame.Status);
            if (frame.Type >= MessageType.ApplicationMin) frames.Add((frame.Type, frame.Payload.ToArray()));
        }
        return frames;
    }

    /// <summary>Reads frames until the host closes the connection; true when it did within the wait limit.</summary>
    public async Task<bool> WaitForCloseAsync()
    {
        using var timeout = new CancellationTokenSource(NetworkTestKit.WaitLimit);
        using var reader = new FrameReader(_stream, _session.Opener, 1 << 20);
        try
        {
            while (true)
            {
                FrameReadResult frame = await reader.ReadAsync(timeout.Token);
                if (frame.Status != FrameStatus.Ok) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        _socket.Dispose();
        _session.Dispose();
        return ValueTask.CompletedTask;
    }
}
