using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NexusFast.Engine.Primitives;

/// <summary>
/// The one 32-byte value type of the engine: Keccak-256 and SHA-256 digests, block and transaction hashes,
/// state keys, Merkle nodes, storage slots and values. Equality is a single 256-bit compare.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    public const int Size = 32;

    public static readonly Hash256 Zero;

    private readonly Vector256<byte> _value;

    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) ThrowWrongLength(bytes.Length);
        _value = Vector256.Create(bytes);
    }

    private Hash256(Vector256<byte> value) => _value = value;

    /// <summary>
    /// The 32 bytes of this value. The span points into this instance: take it from a variable or field,
    /// not from a temporary.
    /// </summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<Vector256<byte>, byte>(ref Unsafe.AsRef(in _value)), Size);

    public bool IsZero => _value == default;

    public void CopyTo(Span<byte> destination) => _value.CopyTo(destination);

    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>Reinterprets a 32-byte big-endian span as a hash without copying the bytes twice.</summary>
    public static Hash256 Read(ReadOnlySpan<byte> bytes) => new(bytes);

    /// <summary>The hash of a 256-bit number in big-endian byte order (how Ethereum writes storage slots).</summary>
    public static Hash256 FromUInt256(in UInt256 value)
    {
        Span<byte> buffer = stackalloc byte[Size];
        value.WriteBigEndian(buffer);
        return new Hash256(buffer);
    }

    public UInt256 ToUInt256() => UInt256.FromBigEndian32(Bytes);

    /// <summary>Bit <paramref name="index"/> counted from the most significant bit of byte 0 (tree paths).</summary>
    public int GetBit(int index) => (Bytes[index >> 3] >> (7 - (index & 7))) & 1;

    public static Hash256 Parse(string hex)
    {
        if (!TryParse(hex, out Hash256 value, out string? error)) throw new FormatException(error);
        return value;
    }

    public static bool TryParse(ReadOnlySpan<char> hex, out Hash256 value, [NotNullWhen(false)] out string? error)
    {
        Span<byte> buffer = stackalloc byte[Size];
        if (!Hex.TryDecodeFixed(hex, buffer, out error))
        {
            value = default;
            return false;
        }
        value = new Hash256(buffer);
        return true;
    }

    public bool Equals(Hash256 other) => _value == other._value;

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    public override int GetHashCode()
    {
        // Hashes are uniformly distributed already; fold the first 8 bytes.
        return (int)BinaryPrimitives.ReadUInt64LittleEndian(Bytes) ^ (int)(BinaryPrimitives.ReadUInt64LittleEndian(Bytes) >> 32);
    }

    /// <summary>Lexicographic byte order, which is also the order of tree paths.</summary>
    public int CompareTo(Hash256 other) => Bytes.SequenceCompareTo(other.Bytes);

    public override string ToString() => Hex.ToHexData(Bytes);

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;

    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;

    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;

    [DoesNotReturn]
    private static void ThrowWrongLength(int length) =>
        throw new ArgumentException($"a 32-byte hash needs exactly 32 bytes, got {length}", "bytes");
}
