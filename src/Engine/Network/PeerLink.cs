using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace NexusFast.Engine.Network;

/// <summary>
/// One authenticated, encrypted connection to a peer, after its handshake. A read loop opens frames and hands
/// them to the host; a write loop drains a bounded send queue, sealing frames and writing them in batches. A
/// peer that does not read fast enough fills its queue, and then the link is closed
/// (<see cref="DisconnectReason.SendQueueFull"/>) rather than buffering without limit.
/// </summary>
public sealed class PeerLink
{
    /// <summary>Frames are sealed into one buffer of this size and written with one call, as long as they fit.</summary>
    private const int WriteBatchBytes = 64 * 1024;

    /// <summary>The read side buffers this much, so that small frames do not cost a system call each.</summary>
    private const int ReadBufferBytes = 64 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly HandshakeResult _session;
    private readonly IPeerLinkOwner _owner;
    private readonly TimeProvider _time;
    // Send queues by class (MessageType.SendClassOf), drained in order: urgent messages (consensus, keepalive) are
    // written before any proposal part, and parts before any bulk message (transactions, block sync) still waiting,
    // so that a backlog of bulk traffic or of a large proposal's parts cannot delay a vote. CometBFT's MConnection
    // gives its consensus channels a higher send priority than the mempool and blocksync channels for the same reason.
    private readonly Channel<OutboundMessage>[] _queues;
    private readonly long _queueBytesMax;
    private readonly int _payloadLengthMax;
    private readonly CancellationTokenSource _closing = new();
    private long _queuedBytes;
    private long _lastReceivedTimestamp;
    private long _lastSentTimestamp;
    private long _lastPeerRequestAnsweredTimestamp;
    private int _peerListRequested;
    private int _closed;
    private int _started;

    internal PeerLink(
        Socket socket, NetworkStream stream, HandshakeResult session, bool isOutbound, IPEndPoint remoteEndPoint,
        IPeerLinkOwner owner, NetworkOptions options)
    {
        _socket = socket;
        _stream = stream;
        _session = session;
        _owner = owner;
        _time = options.Time;
        _queueBytesMax = options.SendQueueBytesMax;
        _payloadLengthMax = options.PayloadLengthMax;
        _queues = [CreateQueue(options.SendQueueMessagesMax), CreateQueue(options.SendQueueMessagesMax), CreateQueue(options.SendQueueMessagesMax)];
        Id = session.PeerId;
        IsOutbound = isOutbound;
        RemoteEndPoint = remoteEndPoint;
        ListenEndPoint = session.PeerListenPort == 0 ? null : new IPEndPoint(remoteEndPoint.Address, session.PeerListenPort);
        ConnectedTimestamp = _lastReceivedTimestamp = _lastSentTimestamp = _time.GetTimestamp();
        _lastPeerRequestAnsweredTimestamp = long.MinValue;
    }

    /// <summary>The peer's node key, proven by the handshake.</summary>
    public NodeId Id { get; }

    /// <summary>True when this node dialed the peer.</summary>
    public bool IsOutbound { get; }

    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>Where the peer accepts connections: its IP as seen here and the port from its hello; null when it does not listen.</summary>
    public IPEndPoint? ListenEndPoint { get; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>When the link was admitted, in the host's <see cref="TimeProvider"/> timestamps.</summary>
    internal long ConnectedTimestamp { get; }

    /// <summary>Why the link closed; null while it is open.</summary>
    public DisconnectReason? CloseReason { get; private set; }

    /// <summary>Details of the close for logs (the failing handler's exception, a malformed message's error).</summary>
    public string? CloseDetail { get; private set; }

    public int QueuedMessages => _queues[0].Reader.Count + _queues[1].Reader.Count + _queues[2].Reader.Count;

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Payload bytes the send queues may hold (<see cref="NetworkOptions.SendQueueBytesMax"/>); beyond it the link closes.</summary>
    public long QueuedBytesMax => _queueBytesMax;

    /// <summary>
    /// Queues an application message. False when the link is closed or when the message does not fit in the send
    /// queue, in which case the link is closed as too slow. The payload must not change after the call. Messages
    /// leave in the order queued, except that a message overtakes those of a later send class (<see cref="MessageType.SendClassOf"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A reserved type, or a payload over the configured maximum.</exception>
    public bool TrySend(byte type, ReadOnlyMemory<byte> payload)
    {
        if (type < MessageType.ApplicationMin)
            throw new ArgumentException($"message type {type} is reserved for the network layer", nameof(type));
        return TryQueue(type, payload);
    }

    /// <summary>Closes the link; the peer is not banned and may reconnect.</summary>
    public void Disconnect() => Close(DisconnectReason.LocalClose, "disconnected by this node");

    public override string ToString() => $"{Id.ToShortString()}@{RemoteEndPoint}{(IsOutbound ? " (out)" : " (in)")}";

    internal bool TryQueue(byte type, ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > _payloadLengthMax)
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds the frame maximum of {_payloadLengthMax}", nameof(payload));
        if (IsClosed) return false;
        long queued = Interlocked.Add(ref _queuedBytes, payload.Length);
        Channel<OutboundMessage> queue = _queues[(int)MessageType.SendClassOf(type)];
        if (queued <= _queueBytesMax && queue.Writer.TryWrite(new OutboundMessage(type, payload))) return true;
        Interlocked.Add(ref _queuedBytes, -payload.Length);
        Close(DisconnectReason.SendQueueFull,
            $"send queue full ({QueuedMessages} messages, {QueuedBytes} bytes queued): the peer does not read fast enough");
        return false;
    }

    /// <summary>Marks that a peer list was asked for, so that one answer is accepted.</summary>
    internal bool RequestPeers()
    {
        Volatile.Write(ref _peerListRequested, 1);
        return TryQueue(NetworkMessageType.PeerRequest, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>True once per request: an unsolicited peer list is ignored, so a peer cannot flood the address book.</summary>
    internal bool TryConsumePeerListRequest() => Interlocked.Exchange(ref _peerListRequested, 0) == 1;

    /// <summary>True, and remembers now, when the last answered peer request is at least <paramref name="spacing"/> old.</summary>
    internal bool TryAnswerPeerRequest(TimeSpan spacing)
    {
        long now = _time.GetTimestamp();
        long last = Interlocked.Read(ref _lastPeerRequestAnsweredTimestamp);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < spacing) return false;
        Interlocked.Exchange(ref _lastPeerRequestAnsweredTimestamp, now);
        return true;
    }

    /// <summary>Periodic upkeep from the host: closes a silent link, pings an idle one.</summary>
    internal void Tick(TimeSpan pingInterval, TimeSpan idleTimeout)
    {
        long now = _time.GetTimestamp();
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastReceivedTimestamp), now) > idleTimeout)
        {
            Close(DisconnectReason.IdleTimeout, $"nothing received for more than {idleTimeout.TotalMilliseconds} ms");
            return;
        }
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastSentTimestamp), now) >= pingInterval)
            TryQueue(NetworkMessageType.Ping, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>Runs both loops until the link closes, then releases its buffers and ciphers.</summary>
    internal async Task RunAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("a link runs once");
        Task reading = ReadLoopAsync();
        Task writing = WriteLoopAsync();
        await Task.WhenAll(reading, writing).ConfigureAwait(false);
        _session.Dispose();
        _closing.Dispose();
    }

    /// <summary>Releases a link that was refused before it started (no events).</summary>
    internal void Abandon()
    {
        Volatile.Write(ref _closed, 1);
        _socket.Dispose();
        _session.Dispose();
        _closing.Dispose();
    }

    internal void Close(DisconnectReason reason, string? detail = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        CloseReason = reason;
        CloseDetail = detail;
        foreach (Channel<OutboundMessage> queue in _queues) queue.Writer.TryComplete();
        _closing.Cancel();
        // Disposing the socket ends any read or write in progress; the loops then see the link closed and stop.
        _socket.Dispose();
        _owner.OnLinkClosed(this, reason);
    }

    private async Task ReadLoopAsync()
    {
        var buffered = new BufferedStream(_stream, ReadBufferBytes);
        using var reader = new FrameReader(buffered, _session.Opener, _payloadLengthMax);
        try
        {
            while (!IsClosed)
            {
                FrameReadResult frame = await reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                switch (frame.Status)
                {
                    case FrameStatus.Ok:
                        Interlocked.Exchange(ref _lastReceivedTimestamp, _time.GetTimestamp());
                        if (_owner.Dispatch(this, frame.Type, frame.Payload.Span) is { } refusal)
                        {
                            Close(refusal.Reason, refusal.Detail);
                            return;
                        }
                        break;
                    case FrameStatus.EndOfStream:
                        Close(DisconnectReason.RemoteClosed);
                        return;
                    case FrameStatus.TooLarge:
                        Close(DisconnectReason.FrameTooLarge, $"frame body of {frame.BodyLength} bytes, the maximum is {FrameFormat.BodyLength(_payloadLengthMax)}");
                        return;
                    case FrameStatus.TooSmall:
                        Close(DisconnectReason.FrameTooSmall, $"frame body of {frame.BodyLength} bytes, the minimum is {FrameFormat.BodyLengthMin}");
                        return;
                    default:
                        Close(DisconnectReason.DecryptionFailed, $"frame {_session.Opener.Sequence} failed authentication");
                        return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close(DisconnectReason.IoError, exception.Message);
        }
    }

    private async Task WriteLoopAsync()
    {
        byte[] batch = ArrayPool<byte>.Shared.Rent(WriteBatchBytes);
        CancellationToken token = _closing.Token;
        var waits = new Task<bool>?[_queues.Length];
        try
        {
            while (true)
            {
                int used = 0;
                while (used < WriteBatchBytes && TryDequeue(out OutboundMessage message))
                {
                    Interlocked.Add(ref _queuedBytes, -message.Payload.Length);
                    int wireLength = FrameFormat.WireLength(message.Payload.Length);
                    if (wireLength > batch.Length - used)
                    {
                        // Flush first so that frames leave in the order they were sealed (their sequence numbers are the nonces).
                        if (used > 0) await _stream.WriteAsync(batch.AsMemory(0, used), token).ConfigureAwait(false);
                        used = 0;
                        if (wireLength > batch.Length)
                        {
                            await WriteLargeAsync(message, wireLength, token).ConfigureAwait(false);
                            continue;
                        }
                    }
                    used += _session.Sealer.Seal(message.Type, message.Payload.Span, batch.AsSpan(used));
                }
                if (used > 0)
                {
                    await _stream.WriteAsync(batch.AsMemory(0, used), token).ConfigureAwait(false);
                    Interlocked.Exchange(ref _lastSentTimestamp, _time.GetTimestamp());
                    continue;
                }

                // Every queue is empty: wait for any. A wait that did not fire is kept for the next round rather
                // than abandoned, so a link that only ever carries urgent messages does not pile up waiters on the
                // other queues.
                for (int i = 0; i < waits.Length; i++) waits[i] ??= _queues[i].Reader.WaitToReadAsync(token).AsTask();
                Task<bool> woken = await Task.WhenAny(waits!).ConfigureAwait(false);
                if (!await woken.ConfigureAwait(false)) return; // completed: the link is closing
                for (int i = 0; i < waits.Length; i++)
                {
                    if (waits[i]!.IsCompleted) waits[i] = null;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Close(DisconnectReason.IoError, exception.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private bool TryDequeue(out OutboundMessage message)
    {
        foreach (Channel<OutboundMessage> queue in _queues)
        {
            if (queue.Reader.TryRead(out message)) return true;
        }
        message = default;
        return false;
    }

    private static Channel<OutboundMessage> CreateQueue(int messagesMax) =>
        Channel.CreateBounded<OutboundMessage>(new BoundedChannelOptions(messagesMax)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait, // never waited on: TryWrite fails instead, and the link is closed
        });

    private async Task WriteLargeAsync(OutboundMessage message, int wireLength, CancellationToken token)
    {
        byte[] frame = ArrayPool<byte>.Shared.Rent(wireLength);
        try
        {
            int written = _session.Sealer.Seal(message.Type, message.Payload.Span, frame);
            await _stream.WriteAsync(frame.AsMemory(0, written), token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }
}

/// <summary>Why the host refused a message: the link closes with this reason.</summary>
internal readonly record struct Refusal(DisconnectReason Reason, string Detail);

/// <summary>The side of the host a link talks to.</summary>
internal interface IPeerLinkOwner
{
    /// <summary>Handles one opened frame; a refusal closes the link.</summary>
    Refusal? Dispatch(PeerLink link, byte type, ReadOnlySpan<byte> payload);

    /// <summary>Called once, when the link closes for any reason.</summary>
    void OnLinkClosed(PeerLink link, DisconnectReason reason);
}
