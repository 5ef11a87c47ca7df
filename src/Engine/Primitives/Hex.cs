namespace NexusFast.Engine.Primitives;

/// <summary>
/// Hex encoding by the Ethereum JSON-RPC rules
/// (https://ethereum.org/en/developers/docs/apis/json-rpc/#hex-encoding):
/// DATA is 0x + two hex digits per byte ("0x" is empty data); QUANTITY is 0x + the shortest hex form of a
/// number ("0x0" is zero; "0x", "0x00" and "0x0400" are invalid).
/// </summary>
public static class Hex
{
    /// <summary>Longest QUANTITY we accept: a 256-bit number is 64 hex digits.</summary>
    public const int QuantityDigitsMax = 64;

    public static string ToHexData(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? "0x" : string.Concat("0x", Convert.ToHexStringLower(bytes));

    public static string ToQuantity(ulong value) => string.Concat("0x", value.ToString("x"));

    public static string ToQuantity(in UInt256 value)
    {
        if (value.IsZero) return "0x0";
        Span<byte> buffer = stackalloc byte[32];
        value.WriteBigEndian(buffer);
        string digits = Convert.ToHexStringLower(buffer).TrimStart('0');
        return string.Concat("0x", digits);
    }

    /// <summary>Decodes DATA of any even length.</summary>
    public static byte[] ParseData(string hex)
    {
        if (!TryParseData(hex, out byte[]? bytes, out string? error)) throw new FormatException(error);
        return bytes;
    }

    public static bool TryParseData(ReadOnlySpan<char> hex, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = null;
        if (!TryStripPrefix(hex, out ReadOnlySpan<char> digits, out error)) return false;
        if ((digits.Length & 1) != 0)
        {
            error = "hex string has odd length";
            return false;
        }
        var result = new byte[digits.Length / 2];
        if (!TryDecodeDigits(digits, result, out error)) return false;
        bytes = result;
        return true;
    }

    /// <summary>Decodes DATA that must be exactly <c>destination.Length</c> bytes (hashes, addresses).</summary>
    public static bool TryDecodeFixed(ReadOnlySpan<char> hex, Span<byte> destination, [NotNullWhen(false)] out string? error)
    {
        if (!TryStripPrefix(hex, out ReadOnlySpan<char> digits, out error)) return false;
        if (digits.Length != destination.Length * 2)
        {
            error = $"hex string has length {digits.Length}, want {destination.Length * 2} for {destination.Length} bytes";
            return false;
        }
        return TryDecodeDigits(digits, destination, out error);
    }

    public static bool TryParseQuantity(ReadOnlySpan<char> hex, out UInt256 value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        if (!TryQuantityDigits(hex, QuantityDigitsMax, "256 bits", out ReadOnlySpan<char> digits, out error)) return false;
        ulong u0 = 0, u1 = 0, u2 = 0, u3 = 0;
        foreach (char c in digits)
        {
            int nibble = HexValue(c);
            if (nibble < 0)
            {
                error = $"invalid hex digit '{c}'";
                return false;
            }
            u3 = (u3 << 4) | (u2 >> 60);
            u2 = (u2 << 4) | (u1 >> 60);
            u1 = (u1 << 4) | (u0 >> 60);
            u0 = (u0 << 4) | (uint)nibble;
        }
        value = new UInt256(u0, u1, u2, u3);
        return true;
    }

    public static bool TryParseQuantity(ReadOnlySpan<char> hex, out ulong value, [NotNullWhen(false)] out string? error)
    {
        value = 0;
        if (!TryQuantityDigits(hex, 16, "64 bits", out ReadOnlySpan<char> digits, out error)) return false;
        foreach (char c in digits)
        {
            int nibble = HexValue(c);
            if (nibble < 0)
            {
                error = $"invalid hex digit '{c}'";
                return false;
            }
            value = (value << 4) | (uint)nibble;
        }
        return true;
    }

    private static bool TryQuantityDigits(ReadOnlySpan<char> hex, int digitsMax, string limit, out ReadOnlySpan<char> digits, [NotNullWhen(false)] out string? error)
    {
        if (!TryStripPrefix(hex, out digits, out error)) return false;
        if (digits.IsEmpty)
        {
            error = "hex string \"0x\" is not a quantity (zero is \"0x0\")";
            return false;
        }
        if (digits.Length > 1 && digits[0] == '0')
        {
            error = "hex number with leading zero digits";
            return false;
        }
        if (digits.Length > digitsMax)
        {
            error = $"hex number larger than {limit}";
            return false;
        }
        return true;
    }

    private static bool TryStripPrefix(ReadOnlySpan<char> hex, out ReadOnlySpan<char> digits, [NotNullWhen(false)] out string? error)
    {
        if (hex.Length < 2 || hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X'))
        {
            digits = default;
            error = "hex string without 0x prefix";
            return false;
        }
        digits = hex[2..];
        error = null;
        return true;
    }

    private static bool TryDecodeDigits(ReadOnlySpan<char> digits, Span<byte> destination, [NotNullWhen(false)] out string? error)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            int hi = HexValue(digits[2 * i]);
            int lo = HexValue(digits[(2 * i) + 1]);
            if ((hi | lo) < 0)
            {
                error = $"invalid hex digit at position {2 + (2 * i) + (hi < 0 ? 0 : 1)}";
                return false;
            }
            destination[i] = (byte)((hi << 4) | lo);
        }
        error = null;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
