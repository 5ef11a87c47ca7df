using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace NexusFast.Engine.Primitives.Rlp;

/// <summary>
/// A decoded RLP value as a tree: a byte string or a list of items. For tests and tools only; it allocates per
/// node. Engine code paths read and write RLP with <see cref="RlpReader"/> and <see cref="RlpWriter"/> directly.
/// </summary>
public sealed class RlpItem : IEquatable<RlpItem>
{
    /// <summary>Deepest list nesting <see cref="TryDecode"/> accepts, so hostile input cannot exhaust the stack.</summary>
    public const int DepthMax = 1024;

    private readonly byte[]? _bytes;
    private readonly RlpItem[]? _items;

    private RlpItem(byte[]? bytes, RlpItem[]? items)
    {
        _bytes = bytes;
        _items = items;
    }

    public bool IsList => _items is not null;

    /// <summary>The bytes of a string item.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new InvalidOperationException("an RLP list has no bytes; check IsList");

    /// <summary>The items of a list item.</summary>
    public IReadOnlyList<RlpItem> Items => _items ?? throw new InvalidOperationException("an RLP string has no items; check IsList");

    public static RlpItem FromBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), null);

    public static RlpItem FromList(params ReadOnlySpan<RlpItem> items)
    {
        foreach (RlpItem item in items) ArgumentNullException.ThrowIfNull(item, nameof(items));
        return new(null, items.ToArray());
    }

    /// <summary>An unsigned integer as RLP writes it: big-endian, no leading zeros, zero as the empty string.</summary>
    public static RlpItem FromUInt256(in UInt256 value) => new(value.ToBigEndianTrimmed(), null);

    // ---- encoding -----------------------------------------------------------------------------------

    public int EncodedLength => _items is null ? RlpWriter.LengthOfString(_bytes) : RlpWriter.LengthOfList(PayloadLength());

    public byte[] Encode()
    {
        byte[] result = new byte[EncodedLength];
        var writer = new RlpWriter(result);
        Encode(ref writer);
        return result;
    }

    public void Encode(ref RlpWriter writer)
    {
        if (_items is null)
        {
            writer.WriteString(_bytes);
            return;
        }

        writer.WriteListHeader(PayloadLength());
        foreach (RlpItem item in _items) item.Encode(ref writer);
    }

    private int PayloadLength()
    {
        int total = 0;
        foreach (RlpItem item in _items!) total = checked(total + item.EncodedLength);
        return total;
    }

    // ---- decoding -----------------------------------------------------------------------------------

    /// <summary>Decodes exactly one item spanning all of <paramref name="encoded"/>, strictly.</summary>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        RlpError error = TryDecode(encoded, out RlpItem? item, out int errorOffset);
        if (error != RlpError.None) throw new RlpException(error, errorOffset, "an item");
        return item!;
    }

    public static RlpError TryDecode(ReadOnlySpan<byte> encoded, out RlpItem? item, out int errorOffset)
    {
        var reader = new RlpReader(encoded);
        RlpError error = TryRead(ref reader, 0, out item, out errorOffset);
        if (error == RlpError.None && !reader.IsEnd)
        {
            error = RlpError.TrailingBytes;
            errorOffset = reader.Position;
        }

        if (error != RlpError.None) item = null;
        return error;
    }

    private static RlpError TryRead(ref RlpReader reader, int depth, out RlpItem? item, out int errorOffset)
    {
        item = null;
        errorOffset = reader.Position;

        if (!reader.PeekIsList)
        {
            RlpError stringError = reader.TryReadString(out ReadOnlySpan<byte> bytes);
            if (stringError != RlpError.None) return stringError;
            item = new RlpItem(bytes.ToArray(), null);
            return RlpError.None;
        }

        if (depth >= DepthMax) return RlpError.DepthExceeded;

        RlpError error = reader.TryReadList(out RlpReader list);
        if (error != RlpError.None) return error;

        var items = new List<RlpItem>();
        while (!list.IsEnd)
        {
            error = TryRead(ref list, depth + 1, out RlpItem? child, out errorOffset);
            if (error != RlpError.None) return error;
            items.Add(child!);
        }

        item = new RlpItem(null, items.ToArray());
        return RlpError.None;
    }

    // ---- equality and display -----------------------------------------------------------------------

    public bool Equals(RlpItem? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (_items is null || other._items is null)
        {
            return _items is null && other._items is null && _bytes.AsSpan().SequenceEqual(other._bytes);
        }

        if (_items.Length != other._items.Length) return false;
        for (int i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(other._items[i])) return false;
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is RlpItem other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        if (_items is null)
        {
            hash.AddBytes(_bytes);
        }
        else
        {
            hash.Add(_items.Length);
            foreach (RlpItem item in _items) hash.Add(item.GetHashCode());
        }

        return hash.ToHashCode();
    }

    /// <summary>Strings as 0x-hex, lists in brackets: <c>["0x646f67", []]</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        Append(text);
        return text.ToString();
    }

    private void Append(StringBuilder text)
    {
        if (_items is null)
        {
            text.Append('"').Append(Hex.ToHexData(_bytes)).Append('"');
            return;
        }

        text.Append('[');
        for (int i = 0; i < _items.Length; i++)
        {
            if (i > 0) text.Append(", ");
            _items[i].Append(text);
        }

        text.Append(']');
    }
}
