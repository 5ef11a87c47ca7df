using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace NexusFast.Engine.Network;

/// <summary>
/// The peer manager of a node: accepts connections, dials its static peers and peers learned by peer exchange
/// (redialing with backoff), keeps one authenticated link per peer, dispatches received messages to the handler
/// registered for their type, and gossips: a message of a gossip type is delivered once and relayed once to
/// every other peer, duplicates being recognized by hash. Peers that send invalid data are disconnected and
/// banned for <see cref="NetworkOptions.BanDuration"/>.
///
/// <para>Register handlers, then <see cref="Start"/>; <see cref="DisposeAsync"/> stops everything and waits for
/// every task the host started. Events and handlers run on the host's I/O tasks and must not block.</para>
/// </summary>
public sealed partial class NetworkHost : IAsyncDisposable, IPeerLinkOwner
{
    private const int Created = 0;
    private const int Running = 1;
    private const int Stopped = 2;

    /// <summary>How long <see cref="DisposeAsync"/> waits for the host's tasks after closing every socket.</summary>
    private static readonly TimeSpan s_stopWaitMax = TimeSpan.FromSeconds(10);

    private readonly NetworkOptions _options;
    private readonly AddressBook _book;
    private readonly SeenMessages _seen;
    private readonly Registration?[] _handlers = new Registration?[256];
    private readonly Lock _gate = new();
    private readonly Dictionary<NodeId, PeerLink> _links = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _tasksDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<Exception> _faults = new();
    private PeerLink[] _linkSnapshot = [];
    private HandshakeParameters? _handshake;
    private Socket? _listenSocket;
    private int _state;
    private int _activeTasks = 1; // the host itself, released by DisposeAsync
    private int _pendingHandshakes;
    private long _nextPeerExchangeTimestamp;

    public NetworkHost(NetworkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _book = new AddressBook(options);
        _seen = new SeenMessages(options.SeenMessagesMax);
        Bans = new BanList(options.Time);
    }

    /// <summary>A link completed its handshake and was admitted.</summary>
    public event Action<PeerLink>? PeerConnected;

    /// <summary>An admitted link closed; <see cref="PeerLink.CloseDetail"/> says more.</summary>
    public event Action<PeerLink, DisconnectReason>? PeerDisconnected;

    /// <summary>A dial failed or a handshake was refused, on either side.</summary>
    public event Action<ConnectionFailure>? ConnectionFailed;

    public NodeId NodeId => _options.NodeKey.Id;

    public NetworkIdentity Network => _options.Network;

    /// <summary>The largest payload a message may have (<see cref="NetworkOptions.PayloadLengthMax"/>).</summary>
    public int PayloadLengthMax => _options.PayloadLengthMax;

    /// <summary>The bound listening address (with the real port when 0 was asked for); null before start or when not listening.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>This node's address for others' static peer lists; null when not listening.</summary>
    public PeerAddress? LocalAddress => LocalEndPoint is { } endPoint ? new PeerAddress(NodeId, endPoint) : null;

    public BanList Bans { get; }

    public NetworkCounters Counters { get; } = new();

    /// <summary>The admitted links now (a snapshot; it does not change as peers come and go).</summary>
    public IReadOnlyList<PeerLink> Peers => Volatile.Read(ref _linkSnapshot);

    /// <summary>Addresses learned by peer exchange and kept for dialing.</summary>
    public int KnownAddressCount => _book.DiscoveredCount;

    public bool IsConnected(NodeId peer)
    {
        lock (_gate) return _links.ContainsKey(peer);
    }

    /// <summary>Handles messages of <paramref name="type"/> sent directly to this node. Before <see cref="Start"/> only.</summary>
    public void Register(byte type, MessageHandler handler) => RegisterCore(type, handler, isGossip: false);

    /// <summary>
    /// Handles messages of a gossip type: each distinct message (by hash) reaches the handler once, and when the
    /// handler accepts it, it is relayed to every peer but the one it came from. Before <see cref="Start"/> only.
    /// </summary>
    public void RegisterGossip(byte type, MessageHandler handler) => RegisterCore(type, handler, isGossip: true);

    /// <summary>Binds the listener (when configured) and starts accepting, dialing and upkeep.</summary>
    /// <exception cref="SocketException">The listen address cannot be bound.</exception>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Created) != Created)
            throw new InvalidOperationException("a network host starts once");
        if (_options.ListenEndPoint is { } listen)
        {
            var socket = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // [::] takes IPv4 peers too (as IPv4-mapped addresses, which PeerAddress.Normalize turns back).
                if (listen.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
                socket.Bind(listen);
                socket.Listen(backlog: 128);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            _listenSocket = socket;
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        }
        _handshake = new HandshakeParameters(_options.NodeKey, _options.Network, (ushort)(LocalEndPoint?.Port ?? 0));
        _nextPeerExchangeTimestamp = _options.Time.GetTimestamp() + ToTimestampTicks(_options.PeerExchangeInterval);
        if (_listenSocket is not null) Track(AcceptLoopAsync);
        Track(MaintenanceLoopAsync);
    }

    /// <summary>
    /// Adds a static peer at run time (an operator's admin call, or a validator set change): it is dialed at the
    /// next upkeep round and redialed whenever disconnected.
    /// </summary>
    public void AddStaticPeer(PeerAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Id == NodeId) throw new ArgumentException("a node cannot list itself as a peer", nameof(address));
        _book.AddStatic(address);
    }

    /// <summary>Queues a message to one connected peer; false when it is not connected or its queue is full.</summary>
    public bool TrySend(NodeId peer, byte type, ReadOnlyMemory<byte> payload)
    {
        PeerLink? link;
        lock (_gate) _links.TryGetValue(peer, out link);
        return link is not null && link.TrySend(type, payload);
    }

    /// <summary>
    /// Originates a gossip message: marks it seen (so it is not delivered back here or relayed again) and queues it
    /// to every peer. Returns how many peers took it. Broadcasting a message again sends it again (consensus may
    /// repeat its votes); peers drop the copies they have seen.
    /// </summary>
    /// <exception cref="InvalidOperationException">The type is not registered as gossip here, so peers relaying it back would be refused.</exception>
    public int Broadcast(byte type, ReadOnlyMemory<byte> payload)
    {
        if (_handlers[type] is not { IsGossip: true })
            throw new InvalidOperationException($"message type {type} is not registered with RegisterGossip on this host");
        _seen.TryAdd(SeenMessages.HashOf(type, payload.Span));
        int queued = 0;
        foreach (PeerLink link in Volatile.Read(ref _linkSnapshot))
            if (link.TrySend(type, payload)) queued++;
        return queued;
    }

    /// <summary>Closes the link to a peer without banning it; false when not connected.</summary>
    public bool Disconnect(NodeId peer)
    {
        PeerLink? link;
        lock (_gate) _links.TryGetValue(peer, out link);
        link?.Disconnect();
        return link is not null;
    }

    /// <summary>
    /// Stops listening and dialing, closes every link and waits (bounded) for the host's tasks.
    /// </summary>
    /// <exception cref="AggregateException">A task of the host failed unexpectedly (a bug), reported here rather than lost.</exception>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, Stopped) == Stopped) return;
        PeerLink[] links;
        lock (_gate)
        {
            // Under the lock, so that no link is admitted after this snapshot (Admit checks the token under it).
            _stopping.Cancel();
            links = [.. _links.Values];
        }
        _listenSocket?.Dispose();
        foreach (PeerLink link in links) link.Close(DisconnectReason.LocalClose, "host stopped");
        ReleaseTask();
        try
        {
            await _tasksDone.Task.WaitAsync(s_stopWaitMax).ConfigureAwait(false);
            _stopping.Dispose(); // only once nothing can still be observing its token
        }
        catch (TimeoutException)
        {
            _faults.Enqueue(new TimeoutException($"network host tasks still running {s_stopWaitMax.TotalSeconds} s after stop"));
        }
        if (!_faults.IsEmpty) throw new AggregateException("the network host had unexpected failures", _faults);
    }

    public override string ToString() => $"NetworkHost({NodeId.ToShortString()}, {LocalEndPoint?.ToString() ?? "not listening"}, {Peers.Count} peers)";

    private void RegisterCore(byte type, MessageHandler handler, bool isGossip)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (type < MessageType.ApplicationMin)
            throw new ArgumentException($"message type {type} is reserved for the network layer", nameof(type));
        if (Volatile.Read(ref _state) != Created)
            throw new InvalidOperationException("handlers are registered before Start");
        if (_handlers[type] is not null)
            throw new InvalidOperationException($"message type {type} already has a handler");
        _handlers[type] = new Registration(handler, isGossip);
    }

    /// <summary>Runs background work counted for <see cref="DisposeAsync"/>; unexpected exceptions are kept and reported there.</summary>
    private void Track(Func<Task> work)
    {
        Interlocked.Increment(ref _activeTasks);
        _ = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                _faults.Enqueue(exception);
            }
            finally
            {
                ReleaseTask();
            }
        });
    }

    private void ReleaseTask()
    {
        if (Interlocked.Decrement(ref _activeTasks) == 0) _tasksDone.TrySetResult();
    }

    private void UpdateSnapshot() => Volatile.Write(ref _linkSnapshot, [.. _links.Values]);

    private long ToTimestampTicks(TimeSpan delay) => (long)(delay.TotalSeconds * _options.Time.TimestampFrequency);

    private sealed record Registration(MessageHandler Handler, bool IsGossip);
}
