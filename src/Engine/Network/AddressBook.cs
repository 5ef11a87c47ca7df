namespace NexusFast.Engine.Network;

/// <summary>
/// The addresses a host dials: its static peers (kept forever) and peers learned by peer exchange (bounded,
/// forgotten after repeated dial failures). Tracks, per address, whether a dial is in progress and when the next
/// attempt is due, with a delay that doubles per consecutive failure. Timestamps are those of the host's
/// <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
internal sealed class AddressBook
{
    private sealed class Entry(PeerAddress address, bool isStatic)
    {
        public PeerAddress Address { get; set; } = address;

        public bool IsStatic { get; } = isStatic;

        public int Failures { get; set; }

        public long NextAttemptTimestamp { get; set; } = long.MinValue;

        public bool Dialing { get; set; }
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<NodeId, Entry> _entries = [];
    private readonly NetworkOptions _options;
    private int _discoveredCount;

    public AddressBook(NetworkOptions options)
    {
        _options = options;
        foreach (PeerAddress peer in options.StaticPeers) _entries[peer.Id] = new Entry(peer, isStatic: true);
    }

    public int DiscoveredCount
    {
        get
        {
            lock (_gate) return _discoveredCount;
        }
    }

    public int DialingCount
    {
        get
        {
            lock (_gate)
            {
                int count = 0;
                foreach (Entry entry in _entries.Values) if (entry.Dialing) count++;
                return count;
            }
        }
    }

    public bool IsStatic(NodeId id)
    {
        lock (_gate) return _entries.TryGetValue(id, out Entry? entry) && entry.IsStatic;
    }

    public bool Contains(NodeId id)
    {
        lock (_gate) return _entries.ContainsKey(id);
    }

    /// <summary>Adds a static peer after start (or promotes a learned one); its address replaces any learned one.</summary>
    public void AddStatic(PeerAddress address)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(address.Id, out Entry? existing) && !existing.IsStatic) _discoveredCount--;
            _entries[address.Id] = new Entry(address, isStatic: true);
        }
    }

    /// <summary>Remembers a learned address; false when it is known already or the book is full.</summary>
    public bool TryAddDiscovered(PeerAddress address)
    {
        lock (_gate)
        {
            if (_entries.ContainsKey(address.Id) || _discoveredCount >= _options.KnownAddressesMax) return false;
            _entries[address.Id] = new Entry(address, isStatic: false);
            _discoveredCount++;
            return true;
        }
    }

    /// <summary>
    /// The addresses to dial now, each marked as dialing: every due static peer, and due learned peers up to
    /// <paramref name="discoveredSlots"/>. <paramref name="skip"/> filters out connected and banned peers.
    /// </summary>
    public List<PeerAddress> TakeDue(long nowTimestamp, int discoveredSlots, Func<PeerAddress, bool> skip)
    {
        var due = new List<PeerAddress>();
        lock (_gate)
        {
            foreach (Entry entry in _entries.Values)
            {
                if (entry.Dialing || nowTimestamp < entry.NextAttemptTimestamp) continue;
                if (!entry.IsStatic && discoveredSlots <= 0) continue;
                if (skip(entry.Address)) continue;
                if (!entry.IsStatic) discoveredSlots--;
                entry.Dialing = true;
                due.Add(entry.Address);
            }
        }
        return due;
    }

    /// <summary>
    /// The dial ended in a handshake. The failure count stays: only a link that lasts clears it
    /// (<see cref="OnDisconnected"/>), so a peer that completes handshakes and then drops us still backs off.
    /// </summary>
    public void OnDialSucceeded(NodeId id)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(id, out Entry? entry)) entry.Dialing = false;
        }
    }

    public void OnDialFailed(NodeId id, long nowTimestamp)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out Entry? entry)) return;
            entry.Dialing = false;
            entry.Failures++;
            if (!entry.IsStatic && entry.Failures >= _options.DialFailuresMax)
            {
                _entries.Remove(id);
                _discoveredCount--;
                return;
            }
            entry.NextAttemptTimestamp = nowTimestamp + ToTimestampTicks(Backoff(entry.Failures));
        }
    }

    /// <summary>
    /// A link to this peer closed after it had worked for a while: the failure count is cleared, and the next dial
    /// waits the minimum delay, so a peer that drops us at once is not hammered.
    /// </summary>
    public void OnDisconnected(NodeId id, long nowTimestamp)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out Entry? entry)) return;
            entry.Failures = 0;
            entry.NextAttemptTimestamp = Math.Max(entry.NextAttemptTimestamp, nowTimestamp + ToTimestampTicks(_options.ReconnectDelayMin));
        }
    }

    /// <summary>Consecutive failures recorded for an address; -1 when it is not in the book.</summary>
    public int FailuresOf(NodeId id)
    {
        lock (_gate) return _entries.TryGetValue(id, out Entry? entry) ? entry.Failures : -1;
    }

    /// <summary>ReconnectDelayMin · 2^(failures − 1), capped at ReconnectDelayMax.</summary>
    internal TimeSpan Backoff(int failures)
    {
        TimeSpan delay = _options.ReconnectDelayMin;
        for (int i = 1; i < failures && delay < _options.ReconnectDelayMax; i++) delay += delay;
        return delay < _options.ReconnectDelayMax ? delay : _options.ReconnectDelayMax;
    }

    private long ToTimestampTicks(TimeSpan delay) => (long)(delay.TotalSeconds * _options.Time.TimestampFrequency);
}
