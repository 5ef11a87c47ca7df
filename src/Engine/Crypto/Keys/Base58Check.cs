using System.Security.Cryptography;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// Bitcoin's Base58Check: payload || first 4 bytes of SHA-256(SHA-256(payload)), written in base 58 with the
/// alphabet that leaves out 0, O, I and l; each leading zero byte becomes a '1'. BIP-32 serializes extended keys
/// this way (section "Serialization format").
/// </summary>
public static class Base58Check
{
    public const int ChecksumLength = 4;

    /// <summary>Longest payload handled, in bytes; the 78-byte extended key is the longest this project writes.</summary>
    public const int PayloadLengthMax = 128;

    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    // log(256) / log(58) = 1.3658...: base-58 digits per byte, rounded up with room to spare.
    private const int DigitsMax = (PayloadLengthMax + ChecksumLength) * 138 / 100 + 1;

    public static string Encode(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > PayloadLengthMax)
        {
            throw new ArgumentException($"payload has {payload.Length} bytes; at most {PayloadLengthMax} are supported", nameof(payload));
        }
        Span<byte> data = stackalloc byte[payload.Length + ChecksumLength];
        payload.CopyTo(data);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, digest);
        SHA256.HashData(digest, digest);
        digest[..ChecksumLength].CopyTo(data[payload.Length..]);

        int zeros = data.IndexOfAnyExcept((byte)0);
        if (zeros < 0) zeros = data.Length;

        // Repeated division of the big-endian number by 58; digits come out least significant first.
        Span<byte> digits = stackalloc byte[DigitsMax];
        int digitCount = 0;
        for (int i = zeros; i < data.Length; i++)
        {
            int carry = data[i];
            for (int d = 0; d < digitCount; d++)
            {
                carry += digits[d] << 8;
                digits[d] = (byte)(carry % 58);
                carry /= 58;
            }
            while (carry > 0)
            {
                digits[digitCount++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        Span<char> text = stackalloc char[zeros + digitCount];
        text[..zeros].Fill('1');
        for (int d = 0; d < digitCount; d++)
        {
            text[zeros + d] = Alphabet[digits[digitCount - 1 - d]];
        }
        return new string(text);
    }

    /// <summary>
    /// Decodes <paramref name="text"/> into <paramref name="payload"/>, which must be exactly the expected payload
    /// length; false with a precise error for a character outside the alphabet, a wrong length or a checksum mismatch.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> payload, [NotNullWhen(false)] out string? error)
    {
        if (payload.Length > PayloadLengthMax)
        {
            throw new ArgumentException($"payload has {payload.Length} bytes; at most {PayloadLengthMax} are supported", nameof(payload));
        }
        if (text.Length > DigitsMax)
        {
            error = $"Base58Check text has {text.Length} characters; a {payload.Length}-byte payload needs far fewer";
            return false;
        }

        // Repeated multiply-add by 58 into a little-endian byte buffer.
        Span<byte> bytes = stackalloc byte[DigitsMax];
        int byteCount = 0;
        int zeros = 0;
        while (zeros < text.Length && text[zeros] == '1') zeros++;
        for (int i = zeros; i < text.Length; i++)
        {
            int value = Alphabet.IndexOf(text[i], StringComparison.Ordinal);
            if (value < 0)
            {
                error = $"character '{text[i]}' at position {i + 1} is not in the Base58 alphabet";
                return false;
            }
            int carry = value;
            for (int b = 0; b < byteCount; b++)
            {
                carry += bytes[b] * 58;
                bytes[b] = (byte)carry;
                carry >>= 8;
            }
            while (carry > 0)
            {
                bytes[byteCount++] = (byte)carry;
                carry >>= 8;
            }
        }

        int total = zeros + byteCount;
        int expected = payload.Length + ChecksumLength;
        if (total != expected)
        {
            error = $"Base58Check text decodes to {total} bytes; want {expected} ({payload.Length} payload + {ChecksumLength} checksum)";
            return false;
        }
        Span<byte> data = stackalloc byte[expected];
        data[..zeros].Clear();
        for (int b = 0; b < byteCount; b++)
        {
            data[zeros + b] = bytes[byteCount - 1 - b];
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data[..payload.Length], digest);
        SHA256.HashData(digest, digest);
        if (!digest[..ChecksumLength].SequenceEqual(data[payload.Length..]))
        {
            error = "Base58Check checksum does not match (a character is mistyped)";
            return false;
        }
        data[..payload.Length].CopyTo(payload);
        CryptographicOperations.ZeroMemory(data);
        CryptographicOperations.ZeroMemory(bytes);
        error = null;
        return true;
    }
}
