using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NexusFast.Engine.Primitives;

/// <summary>A 20-byte account address (the last 20 bytes of Keccak-256 of a public key).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4, Size = Size)]
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Size = 20;

    public static readonly Address Zero;

    // 8 + 8 + 4 bytes; the layout keeps the bytes contiguous for Bytes.
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) ThrowWrongLength(bytes.Length);
        _a = MemoryMarshal.Read<ulong>(bytes);
        _b = MemoryMarshal.Read<ulong>(bytes[8..]);
        _c = MemoryMarshal.Read<uint>(bytes[16..]);
    }

    /// <summary>The 20 bytes of this address; the span points into this instance (use on variables, not temporaries).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _a)), Size);

    public bool IsZero => _a == 0 && _b == 0 && _c == 0;

    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    public byte[] ToArray() => Bytes.ToArray();

    public static Address Parse(string hex)
    {
        if (!TryParse(hex, out Address value, out string? error)) throw new FormatException(error);
        return value;
    }

    /// <summary>Parses 0x + 40 hex digits in any case; checksum validation (EIP-55) is a separate, stricter step.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out Address value, [NotNullWhen(false)] out string? error)
    {
        Span<byte> buffer = stackalloc byte[Size];
        if (!Hex.TryDecodeFixed(hex, buffer, out error))
        {
            value = default;
            return false;
        }
        value = new Address(buffer);
        return true;
    }

    public bool Equals(Address other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    public int CompareTo(Address other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>Lowercase 0x-prefixed hex, the JSON-RPC DATA form.</summary>
    public override string ToString() => Hex.ToHexData(Bytes);

    public static bool operator ==(Address left, Address right) => left.Equals(right);

    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;

    [DoesNotReturn]
    private static void ThrowWrongLength(int length) =>
        throw new ArgumentException($"an address needs exactly 20 bytes, got {length}", "bytes");
}
