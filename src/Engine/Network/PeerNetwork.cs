using System.Net;
using System.Net.Sockets;
using NexusFast.Engine.Consensus.Host;

namespace NexusFast.Engine.Network;

/// <summary>A peer from the static peer list: its identity key (compressed, 33 bytes) and where it listens.</summary>
public sealed record PeerAddress(byte[] PublicKey, IPEndPoint EndPoint);

/// <summary>
/// Links to a static list of peers, kept up: one link per pair, dialled by the side with the smaller key and accepted by
/// the other (so two nodes never hold two links to each other), redialled with growing backoff when it drops, and
/// refused while a peer is banned (it sent invalid data). Peers are numbered by their place in the list, which is how
/// <see cref="IPeerTransport"/> names them. Received messages are handed to <c>onMessage</c> from the links' own
/// threads; the caller marshals them onto its consensus thread.
/// </summary>
public sealed class PeerNetwork : IPeerTransport, IAsyncDisposable
{
    private static readonly TimeSpan s_banDuration = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_handshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly NodeKey _key;
    private readonly ulong _chainId;
    private readonly BanList _bans;
    private readonly Action<int, object> _onMessage;
    private readonly int _queueCapacity;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = new();
    private TcpListener? _listener;
    private PeerAddress[] _peers = [];
    private int[] _indexes = [];
    private PeerLink?[] _links = [];

    public PeerNetwork(NodeKey key, ulong chainId, BanList bans, Action<int, object> onMessage, int queueCapacity = 1024)
    {
        _key = key ?? throw new ArgumentNullException(nameof(key));
        _chainId = chainId;
        _bans = bans ?? throw new ArgumentNullException(nameof(bans));
        _onMessage = onMessage ?? throw new ArgumentNullException(nameof(onMessage));
        _queueCapacity = queueCapacity;
    }

    public IReadOnlyList<int> Peers => _indexes;

    /// <summary>Whether a link to the peer at <paramref name="index"/> is up.</summary>
    public bool IsConnected(int index) => Volatile.Read(ref _links[index]) is not null;

    /// <summary>Starts listening; returns the bound port (pass port 0 to get a free one).</summary>
    public int Listen(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _listener = new TcpListener(endPoint);
        _listener.Start();
        return ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    /// <summary>Starts accepting and dialling. Our own entry in <paramref name="peers"/>, if any, is left out.</summary>
    public void Start(IReadOnlyList<PeerAddress> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        if (_listener is null) throw new InvalidOperationException("Listen first");
        _peers = peers.Where(p => !p.PublicKey.AsSpan().SequenceEqual(_key.PublicKey)).ToArray();
        _indexes = Enumerable.Range(0, _peers.Length).ToArray();
        _links = new PeerLink?[_peers.Length];
        _loops.Add(Task.Run(AcceptLoop));
        for (int i = 0; i < _peers.Length; i++)
        {
            int index = i;
            if (_key.PublicKey.AsSpan().SequenceCompareTo(_peers[i].PublicKey) < 0) _loops.Add(Task.Run(() => DialLoop(index)));
        }
    }

    public void Send(int peer, object message) => Volatile.Read(ref _links[peer])?.Send(message);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        for (int i = 0; i < _links.Length; i++)
        {
            if (Interlocked.Exchange(ref _links[i], null) is { } link) await link.DisposeAsync().ConfigureAwait(false);
        }
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private int IndexOf(byte[] publicKey)
    {
        for (int i = 0; i < _peers.Length; i++)
        {
            if (_peers[i].PublicKey.AsSpan().SequenceEqual(publicKey)) return i;
        }
        return -1;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            // Only peers with a smaller key dial us; anything else is refused in the handshake.
            _ = Task.Run(() => Establish(client, publicKey =>
            {
                int index = IndexOf(publicKey);
                return index >= 0 && publicKey.AsSpan().SequenceCompareTo(_key.PublicKey) < 0 && !_bans.IsBanned(publicKey);
            }));
        }
    }

    private async Task DialLoop(int index)
    {
        TimeSpan backoff = TimeSpan.FromMilliseconds(100);
        while (!_stop.IsCancellationRequested)
        {
            if (Volatile.Read(ref _links[index]) is null && !_bans.IsBanned(_peers[index].PublicKey))
            {
                var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(_peers[index].EndPoint, _stop.Token).ConfigureAwait(false);
                    byte[] expected = _peers[index].PublicKey;
                    if (await Establish(client, key => key.AsSpan().SequenceEqual(expected)).ConfigureAwait(false)) backoff = TimeSpan.FromMilliseconds(100);
                }
                catch (Exception error) when (error is SocketException or IOException)
                {
                    client.Dispose();
                }
                catch (OperationCanceledException)
                {
                    client.Dispose();
                    return;
                }
            }
            try
            {
                await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>Handshake, then the link runs until it closes. False when the handshake failed.</summary>
    private async Task<bool> Establish(TcpClient client, Func<byte[], bool> acceptPeer)
    {
        SecureChannel channel;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(s_handshakeTimeout);
            channel = await SecureHandshake.RunAsync(client.GetStream(), _key, _chainId, acceptPeer, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or OperationCanceledException or SocketException)
        {
            client.Dispose();
            return false;
        }
        int index = IndexOf(channel.RemotePublicKey);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var link = new PeerLink(channel, _queueCapacity, (_, message) => _onMessage(index, message), (l, misbehaviour) =>
        {
            if (misbehaviour is not null) _bans.Ban(l.RemotePublicKey, s_banDuration);
            Interlocked.CompareExchange(ref _links[index], null, l);
            closed.TrySetResult();
        });
        if (Interlocked.CompareExchange(ref _links[index], link, null) is not null)
        {
            await link.DisposeAsync().ConfigureAwait(false); // a link to this peer is already up
            client.Dispose();
            return true;
        }
        await closed.Task.ConfigureAwait(false);
        await link.DisposeAsync().ConfigureAwait(false);
        client.Dispose();
        return true;
    }
}
