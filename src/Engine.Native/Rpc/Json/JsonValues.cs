using System.Diagnostics.CodeAnalysis;
using System.Buffers;
using System.Text.Json;
using NexusFast.Engine.Primitives;

namespace NexusFast.Native.Rpc.Json;

/// <summary>
/// Reads the JSON-RPC value forms from a <see cref="Utf8JsonReader"/> positioned on the value: hex quantities and data by
/// the engine's <see cref="Hex"/> rules (strict: no leading zeros, "0x" prefix), addresses and hashes of exact length,
/// block parameters. Each returns false with the reason, worded for "invalid argument N (name): reason".
/// </summary>
internal static class JsonValues
{
    private const int StackCharsMax = 256;

    private static readonly System.Buffers.SearchValues<char> s_hexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static bool TryQuantity(ref Utf8JsonReader reader, out ulong value, [NotNullWhen(false)] out string? why) =>
        TryParseHexText(ref reader, "a hex quantity", Hex.TryParseQuantity, out value, out why);

    public static bool TryQuantity(ref Utf8JsonReader reader, out UInt256 value, [NotNullWhen(false)] out string? why) =>
        TryParseHexText(ref reader, "a hex quantity", Hex.TryParseQuantity, out value, out why);

    /// <summary>A hex quantity or a plain JSON integer (geth's HexOrDecimal64, used by eth_feeHistory's block count).</summary>
    public static bool TryQuantityOrInteger(ref Utf8JsonReader reader, out ulong value, [NotNullWhen(false)] out string? why)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            why = reader.TryGetUInt64(out value) ? null : "not a non-negative 64-bit integer";
            return why is null;
        }
        return TryQuantity(ref reader, out value, out why);
    }

    public static bool TryData(ref Utf8JsonReader reader, [NotNullWhen(true)] out byte[]? value, [NotNullWhen(false)] out string? why) =>
        TryParseHexText(ref reader, "hex data", Hex.TryParseData, out value, out why);

    public static bool TryAddress(ref Utf8JsonReader reader, out Address value, [NotNullWhen(false)] out string? why) =>
        TryParseHexText(ref reader, "an address", Address.TryParse, out value, out why);

    public static bool TryHash(ref Utf8JsonReader reader, out Hash256 value, [NotNullWhen(false)] out string? why) =>
        TryParseHexText(ref reader, "a 32-byte hash", Hash256.TryParse, out value, out why);

    /// <summary>
    /// A storage slot: 0x + 1..64 hex digits, leading zeros allowed (clients send both "0x0" and the 32-byte form;
    /// geth accepts either), read as a big-endian 256-bit number.
    /// </summary>
    public static bool TrySlot(ref Utf8JsonReader reader, out Hash256 value, [NotNullWhen(false)] out string? why)
    {
        value = default;
        Span<char> stack = stackalloc char[StackCharsMax];
        if (!TryHexText(ref reader, "a storage slot", stack, out why, out char[]? rented, out int length)) return false;
        ReadOnlySpan<char> text = rented is null ? stack[..length] : rented.AsSpan(0, length);
        try
        {
            if (text.Length < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
            {
                why = "hex string without 0x prefix";
                return false;
            }
            ReadOnlySpan<char> digits = text[2..];
            if (digits.Length > 64)
            {
                why = "hex string longer than 32 bytes";
                return false;
            }
            int bad = digits.IndexOfAnyExcept(s_hexDigits);
            if (bad >= 0)
            {
                why = $"invalid hex digit at position {2 + bad}";
                return false;
            }
            Span<char> padded = stackalloc char[66];
            padded.Fill('0');
            padded[1] = 'x';
            digits.CopyTo(padded[(66 - digits.Length)..]);
            return Hash256.TryParse(padded, out value, out why);
        }
        finally
        {
            Return(rented);
        }
    }

    public static bool TryBool(ref Utf8JsonReader reader, out bool value, [NotNullWhen(false)] out string? why)
    {
        value = reader.TokenType == JsonTokenType.True;
        why = reader.TokenType is JsonTokenType.True or JsonTokenType.False ? null : $"expected true or false, got {Describe(reader.TokenType)}";
        return why is null;
    }

    /// <summary>A block tag, a block number quantity, or an EIP-1898 object {"blockNumber"} / {"blockHash", "requireCanonical"}.</summary>
    public static bool TryBlock(ref Utf8JsonReader reader, out BlockSelector value, [NotNullWhen(false)] out string? why)
    {
        value = BlockSelector.Latest;
        if (reader.TokenType == JsonTokenType.StartObject) return TryBlockObject(ref reader, out value, out why);
        if (reader.TokenType != JsonTokenType.String)
        {
            why = $"expected a block tag, number or hash, got {Describe(reader.TokenType)}";
            return false;
        }
        if (reader.ValueTextEquals("latest"u8)) value = new(BlockTag.Latest);
        else if (reader.ValueTextEquals("earliest"u8)) value = new(BlockTag.Earliest);
        else if (reader.ValueTextEquals("pending"u8)) value = new(BlockTag.Pending);
        else if (reader.ValueTextEquals("safe"u8)) value = new(BlockTag.Safe);
        else if (reader.ValueTextEquals("finalized"u8)) value = new(BlockTag.Finalized);
        else if (reader.ValueSpan.Length == 66 && !reader.ValueIsEscaped)
        {
            // A bare 32-byte hash where a block number is expected (geth accepts it as EIP-1898 shorthand).
            if (!TryHash(ref reader, out Hash256 hash, out why)) return false;
            value = new(BlockTag.Hash, Hash: hash);
        }
        else
        {
            if (!TryQuantity(ref reader, out ulong number, out why))
            {
                why = $"not a block tag (latest, earliest, pending, safe, finalized) or number: {why}";
                return false;
            }
            value = new(BlockTag.Number, number);
        }
        why = null;
        return true;
    }

    private static bool TryBlockObject(ref Utf8JsonReader reader, out BlockSelector value, [NotNullWhen(false)] out string? why)
    {
        value = BlockSelector.Latest;
        ulong? number = null;
        Hash256? hash = null;
        bool requireCanonical = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("blockNumber"u8))
            {
                reader.Read();
                if (!TryQuantity(ref reader, out ulong n, out why))
                {
                    why = $"blockNumber: {why}";
                    return false;
                }
                number = n;
            }
            else if (reader.ValueTextEquals("blockHash"u8))
            {
                reader.Read();
                if (!TryHash(ref reader, out Hash256 h, out why))
                {
                    why = $"blockHash: {why}";
                    return false;
                }
                hash = h;
            }
            else if (reader.ValueTextEquals("requireCanonical"u8))
            {
                reader.Read();
                if (!TryBool(ref reader, out requireCanonical, out why))
                {
                    why = $"requireCanonical: {why}";
                    return false;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (number.HasValue == hash.HasValue)
        {
            why = "a block object needs exactly one of blockNumber and blockHash";
            return false;
        }
        value = number is { } n2 ? new(BlockTag.Number, n2) : new(BlockTag.Hash, Hash: hash!.Value, RequireCanonical: requireCanonical);
        why = null;
        return true;
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => token.ToString(),
    };

    /// <summary>The string value as chars (hex is ASCII: bytes widen one to one; anything else fails the digit check).</summary>
    private delegate bool HexTextParser<T>(ReadOnlySpan<char> text, out T value, [NotNullWhen(false)] out string? why);

    /// <summary>Reads a JSON string of hex into a stack buffer (pooled when long) and hands it to a typed parser.</summary>
    private static bool TryParseHexText<T>(ref Utf8JsonReader reader, string expected, HexTextParser<T> parse, out T value, [NotNullWhen(false)] out string? why)
    {
        value = default!;
        Span<char> stack = stackalloc char[StackCharsMax];
        if (!TryHexText(ref reader, expected, stack, out why, out char[]? rented, out int length)) return false;
        ReadOnlySpan<char> text = rented is null ? stack[..length] : rented.AsSpan(0, length);
        try
        {
            return parse(text, out value, out why);
        }
        finally
        {
            Return(rented);
        }
    }

    private static bool TryHexText(ref Utf8JsonReader reader, string expected, scoped Span<char> stack, [NotNullWhen(false)] out string? why,
        out char[]? rented, out int length)
    {
        rented = null;
        length = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            why = $"expected {expected} as a string, got {Describe(reader.TokenType)}";
            return false;
        }
        int size = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        Span<char> buffer = size <= stack.Length ? stack : (rented = ArrayPool<char>.Shared.Rent(size));
        length = reader.CopyString(buffer);
        why = null;
        return true;
    }

    private static void Return(char[]? rented)
    {
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
    }
}
