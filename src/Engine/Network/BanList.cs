using System.Net;

namespace NexusFast.Engine.Network;

/// <summary>
/// Peers banned for a while, by node id and by IP address (a misbehaving node could otherwise come back with a
/// new key from the same host, or with the same key from another host). Bans expire by the clock of the given
/// <see cref="TimeProvider"/>. Bounded: when full, expired entries go first, then the ones closest to expiry.
/// Thread-safe.
/// </summary>
public sealed class BanList
{
    private readonly Lock _gate = new();
    private readonly Dictionary<NodeId, DateTimeOffset> _nodes = [];
    private readonly Dictionary<IPAddress, DateTimeOffset> _addresses = [];
    private readonly TimeProvider _time;
    private readonly int _entriesMax;

    public BanList(TimeProvider time, int entriesMax = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(entriesMax, 1);
        _time = time;
        _entriesMax = entriesMax;
    }

    /// <summary>Bans the node and/or the address until now + <paramref name="duration"/>; a longer ban already in place stays.</summary>
    public void Ban(NodeId? node, IPAddress? address, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), duration, "a ban lasts a positive time");
        DateTimeOffset until = _time.GetUtcNow() + duration;
        lock (_gate)
        {
            if (node is { IsDefault: false } id) Extend(_nodes, id, until);
            if (address is not null) Extend(_addresses, PeerAddress.Normalize(address), until);
        }
    }

    public bool IsBanned(NodeId node)
    {
        lock (_gate) return IsActive(_nodes, node);
    }

    public bool IsBanned(IPAddress address)
    {
        lock (_gate) return IsActive(_addresses, PeerAddress.Normalize(address));
    }

    /// <summary>Lifts a ban early (an operator's decision).</summary>
    public void Unban(NodeId? node, IPAddress? address)
    {
        lock (_gate)
        {
            if (node is { } id) _nodes.Remove(id);
            if (address is not null) _addresses.Remove(PeerAddress.Normalize(address));
        }
    }

    /// <summary>Bans in force now, nodes and addresses together.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                DateTimeOffset now = _time.GetUtcNow();
                int count = 0;
                foreach (DateTimeOffset until in _nodes.Values) if (until > now) count++;
                foreach (DateTimeOffset until in _addresses.Values) if (until > now) count++;
                return count;
            }
        }
    }

    private bool IsActive<TKey>(Dictionary<TKey, DateTimeOffset> table, TKey key) where TKey : notnull
    {
        if (!table.TryGetValue(key, out DateTimeOffset until)) return false;
        if (until > _time.GetUtcNow()) return true;
        table.Remove(key);
        return false;
    }

    private void Extend<TKey>(Dictionary<TKey, DateTimeOffset> table, TKey key, DateTimeOffset until) where TKey : notnull
    {
        if (table.TryGetValue(key, out DateTimeOffset current))
        {
            if (until > current) table[key] = until;
            return;
        }
        if (table.Count >= _entriesMax) MakeRoom(table);
        table[key] = until;
    }

    private void MakeRoom<TKey>(Dictionary<TKey, DateTimeOffset> table) where TKey : notnull
    {
        DateTimeOffset now = _time.GetUtcNow();
        TKey? soonest = default;
        DateTimeOffset soonestUntil = DateTimeOffset.MaxValue;
        List<TKey>? expired = null;
        foreach ((TKey key, DateTimeOffset until) in table)
        {
            if (until <= now) (expired ??= []).Add(key);
            else if (until < soonestUntil)
            {
                soonest = key;
                soonestUntil = until;
            }
        }
        if (expired is not null)
        {
            foreach (TKey key in expired) table.Remove(key);
            return;
        }
        if (soonest is not null) table.Remove(soonest);
    }
}
