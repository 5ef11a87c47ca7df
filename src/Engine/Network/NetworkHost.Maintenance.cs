namespace NexusFast.Engine.Network;

public sealed partial class NetworkHost
{
    private async Task MaintenanceLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval, _options.Time);
        do
        {
            Maintain();
        }
        while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false));
    }

    /// <summary>One round of upkeep: keepalive and idle checks, periodic peer exchange, dialing what is due.</summary>
    private void Maintain()
    {
        PeerLink[] links = Volatile.Read(ref _linkSnapshot);
        foreach (PeerLink link in links) link.Tick(_options.PingInterval, _options.IdleTimeout);

        long now = _options.Time.GetTimestamp();
        if (_options.PeerExchangeEnabled && now >= _nextPeerExchangeTimestamp)
        {
            foreach (PeerLink link in links) link.RequestPeers();
            _nextPeerExchangeTimestamp = now + ToTimestampTicks(_options.PeerExchangeInterval);
        }

        int outbound = 0;
        foreach (PeerLink link in links) if (link.IsOutbound && !_book.IsStatic(link.Id)) outbound++;
        int slots = Math.Min(
            _options.OutboundPeersTarget - outbound - _book.DialingCount,
            _options.PeersMax - links.Length);
        foreach (PeerAddress address in _book.TakeDue(now, slots, ShouldSkipDial))
            Track(() => DialAsync(address));
    }

    private bool ShouldSkipDial(PeerAddress address) =>
        IsConnected(address.Id) || Bans.IsBanned(address.Id) || Bans.IsBanned(address.EndPoint.Address);
}
