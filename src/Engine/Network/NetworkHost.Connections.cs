using System.Net;
using System.Net.Sockets;

namespace NexusFast.Engine.Network;

public sealed partial class NetworkHost
{
    private async Task AcceptLoopAsync()
    {
        Socket listener = _listenSocket!;
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or OperationCanceledException && _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                // A connection that was reset while still in the backlog; the listener itself is fine.
                continue;
            }
            catch (SocketException)
            {
                // Out of file descriptors or buffers: retrying at once would spin, so wait one upkeep round.
                await Task.Delay(_options.MaintenanceInterval, _options.Time, _stopping.Token).ConfigureAwait(false);
                continue;
            }

            IPEndPoint remote = PeerAddress.Normalize((IPEndPoint)socket.RemoteEndPoint!);
            if (Bans.IsBanned(remote.Address))
            {
                socket.Dispose();
                ReportFailure(remote, null, isOutbound: false, DisconnectReason.Banned, "the address is banned");
                continue;
            }
            if (Interlocked.Increment(ref _pendingHandshakes) > _options.PendingHandshakesMax)
            {
                Interlocked.Decrement(ref _pendingHandshakes);
                socket.Dispose();
                ReportFailure(remote, null, isOutbound: false, DisconnectReason.TooManyPeers,
                    $"{_options.PendingHandshakesMax} handshakes are in progress already");
                continue;
            }
            Track(() => HandshakeInboundAsync(socket, remote));
        }
    }

    private async Task HandshakeInboundAsync(Socket socket, IPEndPoint remote)
    {
        try
        {
            ConfigureSocket(socket);
            var stream = new NetworkStream(socket, ownsSocket: false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.HandshakeTimeout);
            HandshakeResult session = await Handshake.RunAsync(stream, _handshake!, isInitiator: false, expectedPeer: null, timeout.Token)
                .ConfigureAwait(false);
            Admit(socket, stream, session, isOutbound: false, remote);
        }
        catch (Exception exception) when (TryClassify(exception, out DisconnectReason reason))
        {
            socket.Dispose();
            if (reason.IsBannable()) BanPeer(null, remote.Address);
            ReportFailure(remote, null, isOutbound: false, reason, exception.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingHandshakes);
        }
    }

    private async Task DialAsync(PeerAddress address)
    {
        var socket = new Socket(address.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            ConfigureSocket(socket);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.HandshakeTimeout);
            await socket.ConnectAsync(address.EndPoint, timeout.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: false);
            HandshakeResult session = await Handshake.RunAsync(stream, _handshake!, isInitiator: true, address.Id, timeout.Token)
                .ConfigureAwait(false);
            try
            {
                Admit(socket, stream, session, isOutbound: true, address.EndPoint);
            }
            finally
            {
                // Only now: until the link is admitted the peer is not connected, and a maintenance round that found
                // its dial over would dial it again; the second link would then replace this one, dropping what was
                // queued on it. Ending the dial keeps any failure a link closing at once has recorded meanwhile.
                _book.OnDialSucceeded(address.Id);
            }
        }
        catch (Exception exception) when (TryClassify(exception, out DisconnectReason reason))
        {
            socket.Dispose();
            _book.OnDialFailed(address.Id, _options.Time.GetTimestamp());
            if (reason.IsBannable()) BanPeer(address.Id, address.EndPoint.Address);
            ReportFailure(address.EndPoint, address.Id, isOutbound: true, reason, exception.Message);
        }
    }

    /// <summary>
    /// Admits an authenticated connection as a link, or refuses it (banned, stopping, full, or a duplicate that
    /// loses to the link already there). Owns the socket and session from here on, either way.
    /// </summary>
    private void Admit(Socket socket, NetworkStream stream, HandshakeResult session, bool isOutbound, IPEndPoint remote)
    {
        var link = new PeerLink(socket, stream, session, isOutbound, remote, this, _options);
        PeerLink? replaced = null;
        DisconnectReason? refusal = null;
        // Read before taking _gate: the address book calls back into IsConnected (under _gate) while holding its
        // own lock, so _gate must never wait for the book's lock.
        bool isStatic = _book.IsStatic(link.Id);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) refusal = DisconnectReason.LocalClose;
            else if (Bans.IsBanned(link.Id)) refusal = DisconnectReason.Banned;
            else if (_links.TryGetValue(link.Id, out PeerLink? existing))
            {
                if (KeepsExisting(existing, link)) refusal = DisconnectReason.DuplicateConnection;
                else replaced = existing;
            }
            else if (_links.Count >= _options.PeersMax && !isStatic) refusal = DisconnectReason.TooManyPeers;

            if (refusal is null)
            {
                _links[link.Id] = link;
                UpdateSnapshot();
            }
        }
        if (refusal is { } reason)
        {
            link.Abandon();
            ReportFailure(remote, link.Id, isOutbound, reason, $"link to {link.Id.ToShortString()} refused after its handshake");
            return;
        }
        replaced?.Close(DisconnectReason.DuplicateConnection, "replaced by a newer link to the same node");
        PeerConnected?.Invoke(link);
        if (_options.PeerExchangeEnabled) link.RequestPeers();
        Track(link.RunAsync);
    }

    private bool KeepsExisting(PeerLink existing, PeerLink candidate) =>
        KeepsExisting(NodeId, existing.Id, existing.IsOutbound, candidate.IsOutbound);

    /// <summary>
    /// Which of two links between this node and <paramref name="peer"/> survives. Both ends must choose the same
    /// link without talking, so the rule uses only what both know: of links dialed from different ends, keep the
    /// one dialed by the smaller node id; of two dialed from the same end, keep the newer (the older one is
    /// usually dead but not yet noticed).
    /// </summary>
    internal static bool KeepsExisting(NodeId self, NodeId peer, bool existingIsOutbound, bool candidateIsOutbound)
    {
        NodeId existingDialer = existingIsOutbound ? self : peer;
        NodeId candidateDialer = candidateIsOutbound ? self : peer;
        if (existingDialer == candidateDialer) return false;
        return existingDialer < candidateDialer;
    }

    void IPeerLinkOwner.OnLinkClosed(PeerLink link, DisconnectReason reason)
    {
        lock (_gate)
        {
            if (_links.TryGetValue(link.Id, out PeerLink? current) && ReferenceEquals(current, link))
            {
                _links.Remove(link.Id);
                UpdateSnapshot();
            }
        }
        if (reason.IsBannable()) BanPeer(link.Id, link.RemoteEndPoint.Address);
        long now = _options.Time.GetTimestamp();
        if (IsRefusedAfterHandshake(link, reason, now)) _book.OnDialFailed(link.Id, now);
        else _book.OnDisconnected(link.Id, now);
        PeerDisconnected?.Invoke(link, reason);
    }

    /// <summary>
    /// An outbound link that the peer closed within a handshake time limit of its start: the peer completed the
    /// handshake but refused us (full, a duplicate, or it banned us). Counting that as a failed dial makes the
    /// redial back off, and forgets a learned peer that keeps doing it, instead of reconnecting every
    /// <see cref="NetworkOptions.ReconnectDelayMin"/> forever.
    /// </summary>
    private bool IsRefusedAfterHandshake(PeerLink link, DisconnectReason reason, long now) =>
        link.IsOutbound
        && reason is DisconnectReason.RemoteClosed or DisconnectReason.IoError
        && _options.Time.GetElapsedTime(link.ConnectedTimestamp, now) < _options.HandshakeTimeout;

    private void BanPeer(NodeId? id, IPAddress address)
    {
        Bans.Ban(id, address, _options.BanDuration);
        Counters.PeerBanned();
    }

    private void ReportFailure(IPEndPoint remote, NodeId? peer, bool isOutbound, DisconnectReason reason, string detail)
    {
        Counters.ConnectionFailed();
        ConnectionFailed?.Invoke(new ConnectionFailure(remote, peer, isOutbound, reason, detail));
    }

    private bool TryClassify(Exception exception, out DisconnectReason reason)
    {
        reason = exception switch
        {
            HandshakeException handshake => handshake.Reason,
            OperationCanceledException => _stopping.IsCancellationRequested ? DisconnectReason.LocalClose : DisconnectReason.HandshakeTimeout,
            IOException or SocketException or ObjectDisposedException => DisconnectReason.IoError,
            _ => DisconnectReason.LocalClose,
        };
        return exception is HandshakeException or OperationCanceledException or IOException or SocketException or ObjectDisposedException;
    }

    private void ConfigureSocket(Socket socket)
    {
        socket.NoDelay = true;
        if (_options.SocketBufferBytes is { } bytes)
        {
            socket.SendBufferSize = bytes;
            socket.ReceiveBufferSize = bytes;
        }
    }
}
