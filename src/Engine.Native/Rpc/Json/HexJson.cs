using System.Buffers;
using System.Numerics;
using System.Text.Json;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Rpc.Json;

/// <summary>
/// Writes the JSON-RPC hex forms straight into a <see cref="Utf8JsonWriter"/> without intermediate strings
/// (https://ethereum.org/en/developers/docs/apis/json-rpc/#hex-encoding): QUANTITY is "0x" + the shortest lowercase
/// digits ("0x0" for zero), DATA is "0x" + two lowercase digits per byte.
/// </summary>
internal static class HexJson
{
    private const int StackBytesMax = 512;

    private static ReadOnlySpan<byte> Digits => "0123456789abcdef"u8;

    public static void WriteQuantity(Utf8JsonWriter writer, ulong value)
    {
        Span<byte> text = stackalloc byte[18];
        writer.WriteStringValue(text[..FormatQuantity(value, text)]);
    }

    public static void WriteQuantity(Utf8JsonWriter writer, in UInt256 value)
    {
        Span<byte> text = stackalloc byte[66];
        writer.WriteStringValue(text[..FormatQuantity(value, text)]);
    }

    public static void WriteQuantity(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ulong value)
    {
        Span<byte> text = stackalloc byte[18];
        writer.WriteString(name, text[..FormatQuantity(value, text)]);
    }

    public static void WriteQuantity(Utf8JsonWriter writer, ReadOnlySpan<byte> name, in UInt256 value)
    {
        Span<byte> text = stackalloc byte[66];
        writer.WriteString(name, text[..FormatQuantity(value, text)]);
    }

    public static void WriteData(Utf8JsonWriter writer, ReadOnlySpan<byte> data) => WriteData(writer, default, data, hasName: false);

    public static void WriteData(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data) => WriteData(writer, name, data, hasName: true);

    public static void WriteAddress(Utf8JsonWriter writer, Address address) => WriteData(writer, address.Bytes);

    public static void WriteAddress(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Address address) => WriteData(writer, name, address.Bytes);

    public static void WriteHash(Utf8JsonWriter writer, Hash256 hash) => WriteData(writer, hash.Bytes);

    public static void WriteHash(Utf8JsonWriter writer, ReadOnlySpan<byte> name, Hash256 hash) => WriteData(writer, name, hash.Bytes);

    public static int FormatQuantity(ulong value, Span<byte> destination)
    {
        destination[0] = (byte)'0';
        destination[1] = (byte)'x';
        int digits = value == 0 ? 1 : (67 - BitOperations.LeadingZeroCount(value)) / 4;
        for (int i = digits - 1; i >= 0; i--)
        {
            destination[2 + i] = Digits[(int)(value & 0xF)];
            value >>= 4;
        }
        return 2 + digits;
    }

    public static int FormatQuantity(in UInt256 value, Span<byte> destination)
    {
        if (value.IsUInt64) return FormatQuantity(value.U0, destination);
        Span<byte> bytes = stackalloc byte[32];
        value.WriteBigEndian(bytes);
        destination[0] = (byte)'0';
        destination[1] = (byte)'x';
        int at = 2;
        bool started = false;
        foreach (byte b in bytes)
        {
            int hi = b >> 4, lo = b & 0xF;
            if (started || hi != 0)
            {
                destination[at++] = Digits[hi];
                started = true;
            }
            if (started || lo != 0)
            {
                destination[at++] = Digits[lo];
                started = true;
            }
        }
        return at;
    }

    public static int FormatData(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        destination[0] = (byte)'0';
        destination[1] = (byte)'x';
        for (int i = 0; i < data.Length; i++)
        {
            destination[2 + (2 * i)] = Digits[data[i] >> 4];
            destination[3 + (2 * i)] = Digits[data[i] & 0xF];
        }
        return 2 + (2 * data.Length);
    }

    private static void WriteData(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, bool hasName)
    {
        int length = 2 + (2 * data.Length);
        byte[]? rented = null;
        Span<byte> text = length <= StackBytesMax ? stackalloc byte[StackBytesMax] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            FormatData(data, text);
            if (hasName) writer.WriteString(name, text[..length]);
            else writer.WriteStringValue(text[..length]);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
