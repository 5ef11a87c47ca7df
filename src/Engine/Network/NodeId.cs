using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Network;

/// <summary>
/// A node's identity on the peer network: its static secp256k1 public key in compressed form (33 bytes,
/// (0x02 | parity of Y) || X). The handshake proves that the remote side holds the matching secret, so a
/// <see cref="NodeId"/> obtained from a link is authenticated; one parsed from configuration or peer exchange
/// is only a claim until a handshake confirms it.
/// </summary>
public readonly struct NodeId : IEquatable<NodeId>, IComparable<NodeId>
{
    public const int Length = Secp256k1.CompressedPublicKeyLength;

    // Stored as the prefix byte and the X coordinate so that equality is one 256-bit compare plus a byte.
    private readonly Hash256 _x;
    private readonly byte _prefix;

    private NodeId(byte prefix, Hash256 x)
    {
        _prefix = prefix;
        _x = x;
    }

    /// <summary>The default value is no key at all; every id read from the wire or a key is not default.</summary>
    public bool IsDefault => _prefix == 0;

    /// <summary>
    /// Reads a compressed key. Only the encoding is checked here (length and 0x02/0x03 prefix); whether X is on
    /// the curve is found out by the first signature check or ECDH that uses it.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> compressed33, out NodeId id)
    {
        if (compressed33.Length != Length || compressed33[0] is not (0x02 or 0x03))
        {
            id = default;
            return false;
        }
        id = new NodeId(compressed33[0], new Hash256(compressed33[1..]));
        return true;
    }

    public static NodeId Read(ReadOnlySpan<byte> compressed33)
    {
        if (!TryRead(compressed33, out NodeId id))
            throw new FormatException("a node id is a 33-byte compressed secp256k1 public key starting with 0x02 or 0x03");
        return id;
    }

    public void WriteTo(Span<byte> destination33)
    {
        if (IsDefault) throw new InvalidOperationException("the default NodeId has no bytes");
        destination33[0] = _prefix;
        _x.CopyTo(destination33.Slice(1, Hash256.Size));
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Parses 66 hex digits, with or without a 0x prefix.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out NodeId id, [NotNullWhen(false)] out string? error)
    {
        id = default;
        if (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) hex = hex[2..];
        if (hex.Length != Length * 2)
        {
            error = $"a node id is {Length * 2} hex digits, got {hex.Length}";
            return false;
        }
        Span<byte> bytes = stackalloc byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            error = "a node id must contain only hex digits";
            return false;
        }
        if (!TryRead(bytes, out id))
        {
            error = "a node id must start with 02 or 03 (a compressed secp256k1 public key)";
            return false;
        }
        error = null;
        return true;
    }

    public static NodeId Parse(string hex)
    {
        if (!TryParse(hex, out NodeId id, out string? error)) throw new FormatException(error);
        return id;
    }

    public bool Equals(NodeId other) => _prefix == other._prefix && _x == other._x;

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode() => _x.GetHashCode() ^ _prefix;

    /// <summary>Byte order of the compressed encoding; used to pick one of two simultaneous links deterministically.</summary>
    public int CompareTo(NodeId other)
    {
        int byPrefix = _prefix.CompareTo(other._prefix);
        return byPrefix != 0 ? byPrefix : _x.CompareTo(other._x);
    }

    /// <summary>66 lowercase hex digits without a prefix, the form of enode-style peer strings.</summary>
    public override string ToString()
    {
        if (IsDefault) return "(none)";
        Span<byte> bytes = stackalloc byte[Length];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A short form for logs: the first 8 hex digits of X.</summary>
    public string ToShortString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        if (IsDefault) return "(none)";
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes.Slice(1, 4));
    }

    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);

    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;
}
