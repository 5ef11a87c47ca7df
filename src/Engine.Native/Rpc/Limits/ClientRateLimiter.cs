using System.Collections.Concurrent;
using System.Net;

namespace NexusFast.Native.Rpc.Limits;

/// <summary>
/// A token bucket per client IP: <c>ratePerSecond</c> tokens refill per second up to <c>burst</c>; one JSON-RPC call
/// costs one token (a batch costs its size). Memory is bounded: past <c>clientsMax</c> tracked clients, buckets that
/// have refilled completely (idle clients) are forgotten, and if none has, newcomers share one overflow bucket.
/// </summary>
public sealed class ClientRateLimiter
{
    private static readonly IPAddress s_overflow = IPAddress.IPv6None;

    private readonly double _ratePerSecond;
    private readonly double _burst;
    private readonly int _clientsMax;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();

    public ClientRateLimiter(int ratePerSecond, int burst, int clientsMax, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burst);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clientsMax);
        ArgumentNullException.ThrowIfNull(time);
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _clientsMax = clientsMax;
        _time = time;
    }

    public int TrackedClients => _buckets.Count;

    /// <summary>Takes <paramref name="cost"/> tokens from the client's bucket; false (nothing taken) when it has fewer.</summary>
    public bool TryAcquire(IPAddress client, int cost)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        long now = _time.GetTimestamp();
        if (!_buckets.TryGetValue(client, out Bucket? bucket))
        {
            if (_buckets.Count >= _clientsMax) Prune(now);
            bucket = _buckets.Count < _clientsMax
                ? _buckets.GetOrAdd(client, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: _burst, Now: now))
                : _buckets.GetOrAdd(s_overflow, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: _burst, Now: now));
        }
        return bucket.TryTake(cost, now, _ratePerSecond, _burst, _time.TimestampFrequency);
    }

    private void Prune(long now)
    {
        foreach (KeyValuePair<IPAddress, Bucket> entry in _buckets)
        {
            if (entry.Value.IsFull(now, _ratePerSecond, _burst, _time.TimestampFrequency)) _buckets.TryRemove(entry);
        }
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        private readonly Lock _gate = new();
        private double _tokens = tokens;
        private long _stamp = stamp;

        public bool TryTake(int cost, long now, double rate, double burst, long frequency)
        {
            lock (_gate)
            {
                Refill(now, rate, burst, frequency);
                if (_tokens < cost) return false;
                _tokens -= cost;
                return true;
            }
        }

        public bool IsFull(long now, double rate, double burst, long frequency)
        {
            lock (_gate)
            {
                Refill(now, rate, burst, frequency);
                return _tokens >= burst;
            }
        }

        private void Refill(long now, double rate, double burst, long frequency)
        {
            if (now <= _stamp) return;
            _tokens = Math.Min(burst, _tokens + ((now - _stamp) * rate / frequency));
            _stamp = now;
        }
    }
}
