using System.Diagnostics.CodeAnalysis;

namespace NexusFast.Engine.Primitives.Rlp;

/// <summary>
/// Strict, allocation-free RLP decoding over a span (Yellow Paper appendix B). Every read checks canonical form:
/// a byte below 0x80 is never wrapped, the long form is only used from 56 bytes on, lengths carry no leading zeros
/// and fit the input, integers carry no leading zeros and fit their type.
/// </summary>
/// <remarks>
/// The <c>TryRead*</c> members return <see cref="RlpError.None"/> on success and otherwise leave the reader where it
/// was, so <see cref="Position"/> is then the offset of the offending item. The plain <c>Read*</c> members throw
/// <see cref="RlpException"/> naming that offset; use them off the hot path or where bad input is exceptional.
/// A list is read as a nested reader over its payload: read its fields, then call <see cref="EnsureEnd"/> on it to
/// reject extra fields.
/// </remarks>
public ref struct RlpReader
{
    private const byte ShortStringPrefix = 0x80;
    private const byte LongStringPrefix = 0xB7;
    private const byte ShortListPrefix = 0xC0;
    private const byte LongListPrefix = 0xF7;

    // Payloads shorter than this use the one-byte header; the long form below it is non-canonical.
    private const int LongFormThreshold = 56;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;

    public RlpReader(ReadOnlySpan<byte> data)
        : this(data, 0)
    {
    }

    private RlpReader(ReadOnlySpan<byte> data, int baseOffset)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 0;
    }

    /// <summary>Offset of the next item in the input the outermost reader was created over.</summary>
    public readonly int Position => _baseOffset + _position;

    /// <summary>True when every item of this reader's scope (the input, or a list's payload) has been read.</summary>
    public readonly bool IsEnd => _position == _data.Length;

    public readonly int RemainingLength => _data.Length - _position;

    /// <summary>True when the next item is a list (its first byte is 0xc0 or above); false at the end.</summary>
    public readonly bool PeekIsList => _position < _data.Length && _data[_position] >= ShortListPrefix;

    // ---- top-level helpers --------------------------------------------------------------------------

    /// <summary>
    /// Opens <paramref name="encoded"/> as exactly one list and nothing after it (for example a legacy transaction
    /// or a header); <paramref name="fields"/> reads the list's payload.
    /// </summary>
    public static RlpError TryDecodeList(ReadOnlySpan<byte> encoded, out RlpReader fields)
    {
        var reader = new RlpReader(encoded);
        RlpError error = reader.TryReadList(out fields);
        if (error == RlpError.None) error = reader.TryEnsureEnd();
        if (error != RlpError.None) fields = default;
        return error;
    }

    public static RlpReader DecodeList(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        RlpReader fields = reader.ReadList();
        reader.EnsureEnd();
        return fields;
    }

    public readonly RlpError TryEnsureEnd() => IsEnd ? RlpError.None : RlpError.TrailingBytes;

    public readonly void EnsureEnd()
    {
        if (!IsEnd) ThrowRlp(RlpError.TrailingBytes, Position, "the end of the input or list");
    }

    // ---- items ----------------------------------------------------------------------------------------

    /// <summary>Reads a byte string; <paramref name="value"/> is a slice of the input, not a copy.</summary>
    public RlpError TryReadString(out ReadOnlySpan<byte> value)
    {
        value = default;
        RlpError error = TryReadHeader(out bool isList, out int start, out int length);
        if (error != RlpError.None) return error;
        if (isList) return RlpError.ExpectedString;

        value = _data.Slice(start, length);
        _position = start + length;
        return RlpError.None;
    }

    /// <summary>Reads a list and returns a reader over its payload; offsets it reports stay absolute.</summary>
    public RlpError TryReadList(out RlpReader list)
    {
        list = default;
        RlpError error = TryReadHeader(out bool isList, out int start, out int length);
        if (error != RlpError.None) return error;
        if (!isList) return RlpError.ExpectedList;

        list = new RlpReader(_data.Slice(start, length), _baseOffset + start);
        _position = start + length;
        return RlpError.None;
    }

    /// <summary>Reads any item and returns its whole encoding, header included (to hash or re-emit it as is).</summary>
    public RlpError TryReadEncoded(out ReadOnlySpan<byte> item)
    {
        item = default;
        RlpError error = TryReadHeader(out _, out int start, out int length);
        if (error != RlpError.None) return error;

        item = _data.Slice(_position, start + length - _position);
        _position = start + length;
        return RlpError.None;
    }

    public RlpError TrySkip() => TryReadEncoded(out _);

    /// <summary>Reads a canonical unsigned integer of at most 8 bytes.</summary>
    public RlpError TryReadUInt64(out ulong value)
    {
        value = 0;
        RlpError error = TryReadIntegerBytes(sizeof(ulong), out ReadOnlySpan<byte> bytes);
        if (error != RlpError.None) return error;

        ulong result = 0;
        foreach (byte b in bytes) result = (result << 8) | b;
        value = result;
        return RlpError.None;
    }

    /// <summary>Reads a canonical unsigned integer of at most 32 bytes.</summary>
    public RlpError TryReadUInt256(out UInt256 value)
    {
        value = default;
        RlpError error = TryReadIntegerBytes(32, out ReadOnlySpan<byte> bytes);
        if (error != RlpError.None) return error;

        UInt256.TryFromBigEndian(bytes, out value);
        return RlpError.None;
    }

    /// <summary>Reads a byte string of exactly 20 bytes.</summary>
    public RlpError TryReadAddress(out Address value)
    {
        value = default;
        RlpError error = TryReadFixed(Address.Size, out ReadOnlySpan<byte> bytes);
        if (error != RlpError.None) return error;

        value = new Address(bytes);
        return RlpError.None;
    }

    /// <summary>Reads a byte string of exactly 32 bytes.</summary>
    public RlpError TryReadHash(out Hash256 value)
    {
        value = default;
        RlpError error = TryReadFixed(Hash256.Size, out ReadOnlySpan<byte> bytes);
        if (error != RlpError.None) return error;

        value = new Hash256(bytes);
        return RlpError.None;
    }

    // ---- throwing conveniences ----------------------------------------------------------------------

    public ReadOnlySpan<byte> ReadString()
    {
        int at = Position;
        RlpError error = TryReadString(out ReadOnlySpan<byte> value);
        if (error != RlpError.None) ThrowRlp(error, at, "a byte string");
        return value;
    }

    public RlpReader ReadList()
    {
        int at = Position;
        RlpError error = TryReadList(out RlpReader list);
        if (error != RlpError.None) ThrowRlp(error, at, "a list");
        return list;
    }

    public ReadOnlySpan<byte> ReadEncoded()
    {
        int at = Position;
        RlpError error = TryReadEncoded(out ReadOnlySpan<byte> item);
        if (error != RlpError.None) ThrowRlp(error, at, "an item");
        return item;
    }

    public void Skip() => ReadEncoded();

    public ulong ReadUInt64()
    {
        int at = Position;
        RlpError error = TryReadUInt64(out ulong value);
        if (error != RlpError.None) ThrowRlp(error, at, "a 64-bit integer");
        return value;
    }

    public UInt256 ReadUInt256()
    {
        int at = Position;
        RlpError error = TryReadUInt256(out UInt256 value);
        if (error != RlpError.None) ThrowRlp(error, at, "a 256-bit integer");
        return value;
    }

    public Address ReadAddress()
    {
        int at = Position;
        RlpError error = TryReadAddress(out Address value);
        if (error != RlpError.None) ThrowRlp(error, at, "a 20-byte address");
        return value;
    }

    public Hash256 ReadHash()
    {
        int at = Position;
        RlpError error = TryReadHash(out Hash256 value);
        if (error != RlpError.None) ThrowRlp(error, at, "a 32-byte hash");
        return value;
    }

    // ---- decoding core --------------------------------------------------------------------------------

    private RlpError TryReadIntegerBytes(int maxLength, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        RlpError error = TryReadHeader(out bool isList, out int start, out int length);
        if (error != RlpError.None) return error;
        if (isList) return RlpError.ExpectedString;

        // A leading zero makes the encoding non-canonical whatever the length, so it is reported first.
        if (length > 0 && _data[start] == 0) return RlpError.LeadingZeroInInteger;
        if (length > maxLength) return RlpError.IntegerTooLarge;

        bytes = _data.Slice(start, length);
        _position = start + length;
        return RlpError.None;
    }

    private RlpError TryReadFixed(int size, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        RlpError error = TryReadHeader(out bool isList, out int start, out int length);
        if (error != RlpError.None) return error;
        if (isList) return RlpError.ExpectedString;
        if (length != size) return RlpError.UnexpectedLength;

        bytes = _data.Slice(start, length);
        _position = start + length;
        return RlpError.None;
    }

    /// <summary>Decodes the header at the cursor without moving it; the payload is [start, start + length).</summary>
    private readonly RlpError TryReadHeader(out bool isList, out int start, out int length)
    {
        ReadOnlySpan<byte> data = _data;
        int position = _position;
        isList = false;
        start = 0;
        length = 0;

        if ((uint)position >= (uint)data.Length) return RlpError.UnexpectedEnd;

        byte prefix = data[position];
        int available = data.Length - position - 1;

        if (prefix < ShortStringPrefix)
        {
            start = position;
            length = 1;
            return RlpError.None;
        }

        if (prefix <= LongStringPrefix)
        {
            int shortLength = prefix - ShortStringPrefix;
            if (shortLength > available) return RlpError.LengthExceedsInput;
            if (shortLength == 1 && data[position + 1] < ShortStringPrefix) return RlpError.NonCanonicalSingleByte;
            start = position + 1;
            length = shortLength;
            return RlpError.None;
        }

        if (prefix < ShortListPrefix)
        {
            return TryReadLongLength(data, position, prefix - LongStringPrefix, out start, out length);
        }

        isList = true;
        if (prefix <= LongListPrefix)
        {
            int shortLength = prefix - ShortListPrefix;
            if (shortLength > available) return RlpError.LengthExceedsInput;
            start = position + 1;
            length = shortLength;
            return RlpError.None;
        }

        return TryReadLongLength(data, position, prefix - LongListPrefix, out start, out length);
    }

    private static RlpError TryReadLongLength(ReadOnlySpan<byte> data, int position, int lengthOfLength, out int start, out int length)
    {
        start = 0;
        length = 0;
        int available = data.Length - position - 1;
        if (lengthOfLength > available) return RlpError.UnexpectedEnd;

        ReadOnlySpan<byte> lengthBytes = data.Slice(position + 1, lengthOfLength);
        if (lengthBytes[0] == 0) return RlpError.LeadingZeroInLength;

        // With a non-zero first byte, five or more length bytes mean at least 2^32.
        if (lengthOfLength > sizeof(int)) return RlpError.LengthOverflow;

        ulong declared = 0;
        foreach (byte b in lengthBytes) declared = (declared << 8) | b;
        if (declared > int.MaxValue) return RlpError.LengthOverflow;
        if (declared < LongFormThreshold) return RlpError.NonCanonicalLongForm;
        if ((int)declared > available - lengthOfLength) return RlpError.LengthExceedsInput;

        start = position + 1 + lengthOfLength;
        length = (int)declared;
        return RlpError.None;
    }

    [DoesNotReturn]
    private static void ThrowRlp(RlpError error, int offset, string reading) => throw new RlpException(error, offset, reading);
}
