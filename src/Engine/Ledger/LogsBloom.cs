using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// The 2048-bit logs bloom of the Yellow Paper (section 4.3.1, M3:2048): for the address and each topic of
/// every log, three bits are set, chosen by the low 11 bits of the first three byte pairs of its Keccak-256.
/// </summary>
public sealed class LogsBloom : IEquatable<LogsBloom>
{
    public const int Size = 256;

    public static readonly LogsBloom Empty = new();

    private readonly byte[] _bits;

    public LogsBloom() => _bits = new byte[Size];

    public LogsBloom(ReadOnlySpan<byte> bits)
    {
        if (bits.Length != Size) throw new ArgumentException($"a logs bloom has exactly {Size} bytes, got {bits.Length}", nameof(bits));
        _bits = bits.ToArray();
    }

    public ReadOnlySpan<byte> Bytes => _bits;

    public bool IsEmpty => !_bits.AsSpan().ContainsAnyExcept((byte)0);

    /// <summary>Sets the three bits selected by a 32-byte Keccak-256 digest of an address or topic.</summary>
    public void AddKeccak(ReadOnlySpan<byte> digest32)
    {
        if (ReferenceEquals(this, Empty)) throw new InvalidOperationException("LogsBloom.Empty is shared and must not be modified");
        for (int i = 0; i < 6; i += 2)
        {
            int bit = ((digest32[i] << 8) | digest32[i + 1]) & 2047;
            // Bit 0 is the least significant bit of the last byte (big-endian 2048-bit number).
            _bits[Size - 1 - (bit >> 3)] |= (byte)(1 << (bit & 7));
        }
    }

    /// <summary>Adds a log's address and topics.</summary>
    public void Add(LogEntry log)
    {
        Span<byte> digest = stackalloc byte[32];
        Address address = log.Address;
        Keccak256.Hash(address.Bytes, digest);
        AddKeccak(digest);
        foreach (Hash256 topic in log.Topics)
        {
            Hash256 copy = topic;
            Keccak256.Hash(copy.Bytes, digest);
            AddKeccak(digest);
        }
    }

    /// <summary>The bloom of a set of logs; the shared <see cref="Empty"/> when there are none.</summary>
    public static LogsBloom FromLogs(IReadOnlyList<LogEntry> logs)
    {
        if (logs.Count == 0) return Empty;
        var bloom = new LogsBloom();
        foreach (LogEntry log in logs) bloom.Add(log);
        return bloom;
    }

    public bool ContainsKeccak(ReadOnlySpan<byte> digest32)
    {
        for (int i = 0; i < 6; i += 2)
        {
            int bit = ((digest32[i] << 8) | digest32[i + 1]) & 2047;
            if ((_bits[Size - 1 - (bit >> 3)] & (1 << (bit & 7))) == 0) return false;
        }
        return true;
    }

    public void UnionWith(LogsBloom other)
    {
        if (ReferenceEquals(this, Empty)) throw new InvalidOperationException("LogsBloom.Empty is shared and must not be modified");
        for (int i = 0; i < Size; i++) _bits[i] |= other._bits[i];
    }

    public bool Equals(LogsBloom? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as LogsBloom);

    public override int GetHashCode() => HashCode.Combine(_bits[0], _bits[Size - 1]);
}
