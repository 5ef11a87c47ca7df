using System.Threading.Channels;

namespace NexusFast.Engine.Network;

/// <summary>
/// One authenticated peer: a bounded outbound queue drained by a send loop, and a receive loop that decodes messages and
/// hands them on. The queue drops its oldest message when full rather than blocking consensus or growing without bound:
/// consensus tolerates loss (peers re-send on status), memory does not. A peer that sends anything undecodable or
/// unauthenticated is disconnected and reported as misbehaving, so its caller can ban it.
/// </summary>
public sealed class PeerLink : IAsyncDisposable
{
    private readonly SecureChannel _channel;
    private readonly Channel<byte[]> _outbound;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sendLoop;
    private readonly Task _receiveLoop;
    private long _dropped;
    private int _disposed;

    /// <param name="onMessage">Called on the receive loop, one message at a time, in order.</param>
    /// <param name="onClosed">Called once when the link ends, with the misbehaviour that ended it (null: a clean close or I/O error).</param>
    public PeerLink(SecureChannel channel, int queueCapacity, Action<PeerLink, object> onMessage, Action<PeerLink, string?> onClosed)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(onMessage);
        ArgumentNullException.ThrowIfNull(onClosed);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _channel = channel;
        _outbound = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(queueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _sendLoop = Task.Run(SendLoop);
        _receiveLoop = Task.Run(() => ReceiveLoop(onMessage, onClosed));
    }

    public byte[] RemotePublicKey => _channel.RemotePublicKey;

    /// <summary>Messages dropped because the queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Queues a message; never blocks. False once the link is closed.</summary>
    public bool Send(object message) => _outbound.Writer.TryWrite(PeerMessageCodec.Encode(message));

    /// <summary>Stops both loops and releases the channel; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _outbound.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_sendLoop, _receiveLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _channel.Dispose();
        _stop.Dispose();
    }

    private async Task SendLoop()
    {
        try
        {
            await foreach (byte[] message in _outbound.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                await _channel.SendAsync(message, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or ObjectDisposedException)
        {
            _outbound.Writer.TryComplete();
        }
    }

    private async Task ReceiveLoop(Action<PeerLink, object> onMessage, Action<PeerLink, string?> onClosed)
    {
        string? misbehaviour = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                byte[] frame = await _channel.ReceiveAsync(_stop.Token).ConfigureAwait(false);
                object message;
                try
                {
                    message = PeerMessageCodec.Decode(frame);
                }
                catch (FormatException error)
                {
                    misbehaviour = $"sent an invalid message: {error.Message}";
                    break;
                }
                onMessage(this, message);
            }
        }
        catch (SecureChannelException error) when (error.Error is SecureChannelError.Tampered or SecureChannelError.FrameTooLarge)
        {
            misbehaviour = error.Message;
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        _outbound.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        onClosed(this, misbehaviour);
    }
}
