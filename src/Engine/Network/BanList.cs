namespace NexusFast.Engine.Network;

/// <summary>
/// Peers that sent invalid data, refused until their ban expires. Time comes from a <see cref="TimeProvider"/> so tests
/// can move it. Thread-safe (links report from their own receive loops).
/// </summary>
public sealed class BanList(TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Ban(ReadOnlySpan<byte> peerKey, TimeSpan duration)
    {
        string key = Convert.ToHexStringLower(peerKey);
        DateTimeOffset until = time.GetUtcNow() + duration;
        lock (_gate)
        {
            if (!_until.TryGetValue(key, out DateTimeOffset current) || current < until) _until[key] = until;
        }
    }

    public bool IsBanned(ReadOnlySpan<byte> peerKey)
    {
        string key = Convert.ToHexStringLower(peerKey);
        lock (_gate)
        {
            if (!_until.TryGetValue(key, out DateTimeOffset until)) return false;
            if (until > time.GetUtcNow()) return true;
            _until.Remove(key);
            return false;
        }
    }
}
