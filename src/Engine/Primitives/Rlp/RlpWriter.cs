using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace NexusFast.Engine.Primitives.Rlp;

/// <summary>
/// Canonical RLP encoding (Yellow Paper appendix B) into a caller-provided span, in one forward pass. Size the
/// buffer first with the static <c>LengthOf*</c> helpers (a list needs its payload length before its header),
/// then write; nothing allocates.
/// </summary>
/// <remarks>
/// Writing past the end of the span is a sizing bug in the caller, not bad input, so it throws
/// <see cref="InvalidOperationException"/> rather than returning false.
/// </remarks>
public ref struct RlpWriter
{
    private const byte ShortStringPrefix = 0x80;
    private const byte LongStringPrefix = 0xB7;
    private const byte ShortListPrefix = 0xC0;
    private const byte LongListPrefix = 0xF7;
    private const int LongFormThreshold = 56;

    /// <summary>Encoded length of a 20-byte address: 0x94 and the bytes.</summary>
    public const int LengthOfAddress = 1 + Address.Size;

    /// <summary>Encoded length of a 32-byte hash: 0xa0 and the bytes.</summary>
    public const int LengthOfHash = 1 + Hash256.Size;

    private readonly Span<byte> _buffer;
    private int _position;

    public RlpWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public readonly int RemainingLength => _buffer.Length - _position;

    /// <summary>The encoding written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer.Slice(0, _position);

    // ---- sizing -------------------------------------------------------------------------------------

    /// <summary>Length of a string or list header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int LengthOfHeader(int payloadLength)
    {
        if (payloadLength < 0) ThrowNegativeLength(payloadLength);
        return payloadLength < LongFormThreshold ? 1 : 1 + ByteCount((uint)payloadLength);
    }

    /// <summary>Encoded length of a byte string (a lone byte below 0x80 is its own encoding).</summary>
    public static int LengthOfString(ReadOnlySpan<byte> value) =>
        value.Length == 1 && value[0] < ShortStringPrefix ? 1 : LengthOfHeader(value.Length) + value.Length;

    /// <summary>Encoded length of a list whose items take <paramref name="payloadLength"/> bytes together.</summary>
    public static int LengthOfList(int payloadLength) => LengthOfHeader(payloadLength) + payloadLength;

    public static int LengthOfUInt64(ulong value) => value < ShortStringPrefix ? 1 : 1 + ByteCount(value);

    public static int LengthOfUInt256(in UInt256 value) =>
        value.IsUInt64 ? LengthOfUInt64(value.U0) : 1 + value.ByteLength;

    // ---- writing ------------------------------------------------------------------------------------

    public void WriteString(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < ShortStringPrefix)
        {
            WriteByte(value[0]);
            return;
        }

        WriteHeader(ShortStringPrefix, LongStringPrefix, value.Length);
        Reserve(value.Length);
        value.CopyTo(_buffer.Slice(_position));
        _position += value.Length;
    }

    /// <summary>
    /// Writes the header of a byte string of <paramref name="length"/> bytes and returns the space after it, which the
    /// caller fills with the string (an encoder writing in place, with no array in between). A one-byte string is
    /// refused: whether it needs a header depends on the byte, which is not known yet.
    /// </summary>
    public Span<byte> BeginString(int length)
    {
        if (length == 1) throw new ArgumentOutOfRangeException(nameof(length), length, "a one-byte string is written with WriteString, its header depends on its value");
        WriteHeader(ShortStringPrefix, LongStringPrefix, length);
        Reserve(length);
        Span<byte> content = _buffer.Slice(_position, length);
        _position += length;
        return content;
    }

    /// <summary>The empty string 0x80, which is also the encoding of zero and of an absent <c>to</c>.</summary>
    public void WriteEmptyString() => WriteByte(ShortStringPrefix);

    /// <summary>Writes the header of a list; the caller then writes items totalling exactly the given length.</summary>
    public void WriteListHeader(int payloadLength) => WriteHeader(ShortListPrefix, LongListPrefix, payloadLength);

    /// <summary>Writes an already-encoded item unchanged.</summary>
    public void WriteEncoded(ReadOnlySpan<byte> item)
    {
        Reserve(item.Length);
        item.CopyTo(_buffer.Slice(_position));
        _position += item.Length;
    }

    /// <summary>Writes an unsigned integer big-endian without leading zeros; zero is the empty string.</summary>
    public void WriteUInt64(ulong value)
    {
        if (value == 0)
        {
            WriteByte(ShortStringPrefix);
            return;
        }

        if (value < ShortStringPrefix)
        {
            WriteByte((byte)value);
            return;
        }

        int count = ByteCount(value);
        Reserve(1 + count);
        _buffer[_position] = (byte)(ShortStringPrefix + count);
        WriteBigEndian(value, _buffer.Slice(_position + 1, count));
        _position += 1 + count;
    }

    public void WriteUInt256(in UInt256 value)
    {
        if (value.IsUInt64)
        {
            WriteUInt64(value.U0);
            return;
        }

        // At most 32 bytes, so always the short form.
        int count = value.ByteLength;
        Reserve(1 + count);
        Span<byte> full = stackalloc byte[32];
        value.WriteBigEndian(full);
        _buffer[_position] = (byte)(ShortStringPrefix + count);
        full.Slice(32 - count).CopyTo(_buffer.Slice(_position + 1));
        _position += 1 + count;
    }

    public void WriteAddress(in Address value)
    {
        Reserve(LengthOfAddress);
        _buffer[_position] = ShortStringPrefix + Address.Size;
        value.CopyTo(_buffer.Slice(_position + 1));
        _position += LengthOfAddress;
    }

    public void WriteHash(in Hash256 value)
    {
        Reserve(LengthOfHash);
        _buffer[_position] = ShortStringPrefix + Hash256.Size;
        value.CopyTo(_buffer.Slice(_position + 1));
        _position += LengthOfHash;
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private void WriteHeader(byte shortPrefix, byte longPrefix, int payloadLength)
    {
        if (payloadLength < 0) ThrowNegativeLength(payloadLength);
        if (payloadLength < LongFormThreshold)
        {
            WriteByte((byte)(shortPrefix + payloadLength));
            return;
        }

        int count = ByteCount((uint)payloadLength);
        Reserve(1 + count);
        _buffer[_position] = (byte)(longPrefix + count);
        WriteBigEndian((uint)payloadLength, _buffer.Slice(_position + 1, count));
        _position += 1 + count;
    }

    private void WriteByte(byte value)
    {
        Reserve(1);
        _buffer[_position++] = value;
    }

    private readonly void Reserve(int count)
    {
        if (count > _buffer.Length - _position) ThrowBufferTooSmall(count, _position, _buffer.Length);
    }

    /// <summary>Bytes in the minimal big-endian form of a non-zero value.</summary>
    private static int ByteCount(ulong value) => (64 - BitOperations.LeadingZeroCount(value) + 7) >> 3;

    private static void WriteBigEndian(ulong value, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(full, value);
        full.Slice(sizeof(ulong) - destination.Length).CopyTo(destination);
    }

    [DoesNotReturn]
    private static void ThrowBufferTooSmall(int needed, int position, int capacity) =>
        throw new InvalidOperationException(
            $"RLP writer needs {needed} more bytes at offset {position} but its buffer holds {capacity}; size it with the LengthOf helpers");

    [DoesNotReturn]
    private static void ThrowNegativeLength(int length) =>
        throw new ArgumentOutOfRangeException(nameof(length), length, "an RLP payload length cannot be negative");
}
