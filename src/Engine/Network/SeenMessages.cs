using System.Security.Cryptography;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Network;

/// <summary>
/// The duplicate filter of gossip: hashes of the messages this node has already delivered or sent, so that each
/// is delivered and relayed at most once however many peers send it. Bounded: past <c>capacity</c> the oldest
/// hash is forgotten (a ring buffer beside a set), so memory is fixed at start-up. A message that comes back
/// after that many newer ones would be delivered again; consensus and the mempool drop such repeats themselves.
/// Thread-safe.
/// </summary>
internal sealed class SeenMessages
{
    private readonly Lock _gate = new();
    private readonly HashSet<Hash256> _set;
    private readonly Hash256[] _ring;
    private int _next;

    public SeenMessages(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new Hash256[capacity];
        _set = new HashSet<Hash256>(capacity);
    }

    public int Count
    {
        get
        {
            lock (_gate) return _set.Count;
        }
    }

    /// <summary>
    /// The identity of a gossiped message: SHA-256(type || SHA-256(payload)). Hashing the payload on its own first
    /// lets both steps use the one-shot API on stack buffers, with no allocation per message.
    /// </summary>
    public static Hash256 HashOf(byte type, ReadOnlySpan<byte> payload)
    {
        Span<byte> inner = stackalloc byte[1 + Hash256.Size];
        inner[0] = type;
        SHA256.HashData(payload, inner[1..]);
        Span<byte> digest = stackalloc byte[Hash256.Size];
        SHA256.HashData(inner, digest);
        return new Hash256(digest);
    }

    /// <summary>True when the hash was new (and is now remembered); false for a duplicate.</summary>
    public bool TryAdd(Hash256 hash)
    {
        lock (_gate)
        {
            if (!_set.Add(hash)) return false;
            if (_set.Count > _ring.Length) _set.Remove(_ring[_next]);
            _ring[_next] = hash;
            _next = (_next + 1) % _ring.Length;
            return true;
        }
    }

    public bool Contains(Hash256 hash)
    {
        lock (_gate) return _set.Contains(hash);
    }
}
