using System.Diagnostics.CodeAnalysis;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>
/// Verifies ML-DSA signatures with the expanded form of each public key kept between calls (<see cref="MlDsaPublicKey"/>):
/// a key that signs again skips ExpandA and NTT(t1), which are most of a verification. At most
/// <see cref="Capacity"/> keys are kept, least recently used evicted first, so memory is bounded (about 37 KB per
/// ML-DSA-65 key) whatever keys the network sends. Thread-safe: the lock covers only the table; expansion and
/// verification run outside it, and a key evicted while a thread still verifies with it stays valid for that thread.
/// </summary>
public sealed class MlDsaVerifierCache
{
    private readonly object _gate = new();
    private readonly Dictionary<byte[], LinkedListNode<MlDsaPublicKey>> _byEncoding;
    private readonly Dictionary<byte[], LinkedListNode<MlDsaPublicKey>>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private readonly LinkedList<MlDsaPublicKey> _recency = new(); // most recently used first
    private long _hits;
    private long _misses;

    public MlDsaVerifierCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _byEncoding = new Dictionary<byte[], LinkedListNode<MlDsaPublicKey>>(capacity + 1, PublicKeyComparer.Instance);
        _bySpan = _byEncoding.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_gate) return _byEncoding.Count;
        }
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>ML-DSA.Verify (pure) through the cache; false for any malformed input, which is not cached.</summary>
    public bool Verify(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> context, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (publicKey.Length != parameters.PublicKeySize || context.Length > MlDsa.ContextMaxLength) return false;
        return GetOrAdd(parameters, publicKey).Verify(message, context, signature);
    }

    /// <summary>Verify_internal with an external mu, through the cache.</summary>
    public bool VerifyMu(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> mu, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (publicKey.Length != parameters.PublicKeySize) return false;
        return GetOrAdd(parameters, publicKey).VerifyMu(mu, signature);
    }

    /// <summary>The expanded key, from the cache or expanded now and added (evicting the least recently used).</summary>
    public MlDsaPublicKey GetOrAdd(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (TryGet(parameters, publicKey, out MlDsaPublicKey? cached))
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }
        Interlocked.Increment(ref _misses);
        MlDsaPublicKey expanded = MlDsaPublicKey.Create(parameters, publicKey); // outside the lock: ~30 us of work
        lock (_gate)
        {
            if (_bySpan.TryGetValue(publicKey, out LinkedListNode<MlDsaPublicKey>? raced) && raced.Value.Parameters == parameters)
            {
                return raced.Value; // another thread added it meanwhile
            }
            if (_byEncoding.Remove(expanded.EncodedArray, out LinkedListNode<MlDsaPublicKey>? stale)) _recency.Remove(stale);
            _byEncoding.Add(expanded.EncodedArray, _recency.AddFirst(expanded));
            while (_byEncoding.Count > Capacity)
            {
                LinkedListNode<MlDsaPublicKey> oldest = _recency.Last!;
                _recency.RemoveLast();
                _byEncoding.Remove(oldest.Value.EncodedArray);
            }
        }
        return expanded;
    }

    private bool TryGet(MlDsaParameters parameters, ReadOnlySpan<byte> publicKey, [NotNullWhen(true)] out MlDsaPublicKey? key)
    {
        lock (_gate)
        {
            if (_bySpan.TryGetValue(publicKey, out LinkedListNode<MlDsaPublicKey>? node) && node.Value.Parameters == parameters)
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                key = node.Value;
                return true;
            }
        }
        key = null;
        return false;
    }

    /// <summary>Byte-wise equality with a per-process randomized hash of all bytes (so chosen keys cannot be made to collide).</summary>
    private sealed class PublicKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly PublicKeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
