using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Public keys seen recently, by key hash, so that a hash-form transaction from an active account does not read the
/// key's 62 registry slots for every transaction. Bounded: when full, the oldest insertion goes (a ring of hashes).
/// Entries are content-addressed (see <see cref="IMlDsaKeySource"/>), so a stale entry cannot exist.
/// </summary>
internal sealed class MlDsaKeyCache
{
    private readonly Dictionary<Hash256, byte[]> _keys;
    private readonly Hash256[] _order;
    private readonly Lock _gate = new();
    private int _next;

    public MlDsaKeyCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _keys = new Dictionary<Hash256, byte[]>(capacity);
        _order = new Hash256[capacity];
    }

    public int Count
    {
        get
        {
            lock (_gate) return _keys.Count;
        }
    }

    public bool TryGet(in Hash256 keyHash, out byte[] publicKey)
    {
        lock (_gate) return _keys.TryGetValue(keyHash, out publicKey!);
    }

    /// <summary>Adds a key whose hash the caller has computed or checked.</summary>
    public void Add(in Hash256 keyHash, byte[] publicKey)
    {
        lock (_gate)
        {
            if (_keys.ContainsKey(keyHash)) return;
            if (_keys.Count == _order.Length) _keys.Remove(_order[_next]);
            _keys.Add(keyHash, publicKey);
            _order[_next] = keyHash;
            _next = (_next + 1) % _order.Length;
        }
    }
}
