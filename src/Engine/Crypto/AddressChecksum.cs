using System.Diagnostics.CodeAnalysis;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Address derivation from an ECDSA public key and the EIP-55 mixed-case checksum. These need Keccak-256, so they
/// live in Crypto and attach to <see cref="Address"/> as extension members (Address itself stays hash-free).
/// </summary>
public static class AddressChecksum
{
    private const int HexDigits = Address.Size * 2;
    private const int UncompressedPrefix = 0x04;

    extension(Address address)
    {
        /// <summary>
        /// EIP-55: the lowercase hex digits, with each letter upper-cased where the matching nibble of
        /// Keccak-256(lowercase hex as ASCII) is 8 or more.
        /// </summary>
        public string ToChecksumHex()
        {
            Span<char> text = stackalloc char[2 + HexDigits];
            WriteChecksumHex(address, text);
            return new string(text);
        }

        /// <summary>
        /// The address of an secp256k1 public key: the last 20 bytes of Keccak-256 of X || Y (Yellow Paper eq. 284).
        /// Takes the 64-byte X || Y or the 65-byte SEC 1 uncompressed form starting with 0x04.
        /// </summary>
        public static Address FromPublicKey(ReadOnlySpan<byte> publicKey)
        {
            if (publicKey.Length == 65)
            {
                if (publicKey[0] != UncompressedPrefix) ThrowBadPublicKey($"a 65-byte public key must start with 0x04, got 0x{publicKey[0]:x2}");
                publicKey = publicKey.Slice(1);
            }
            else if (publicKey.Length != 64)
            {
                ThrowBadPublicKey($"an uncompressed public key has 64 or 65 bytes, got {publicKey.Length}");
            }

            Span<byte> digest = stackalloc byte[Keccak256.HashLength];
            Keccak256.Hash(publicKey, digest);
            return new Address(digest.Slice(Keccak256.HashLength - Address.Size));
        }

        /// <summary>
        /// Parses 0x + 40 hex digits. All-lowercase and all-uppercase digits carry no checksum and are accepted; mixed
        /// case must match the EIP-55 checksum exactly, so a mistyped address is caught rather than funds lost.
        /// </summary>
        public static bool TryParseChecksummed(ReadOnlySpan<char> text, out Address result, [NotNullWhen(false)] out string? error)
        {
            if (!Address.TryParse(text, out result, out error)) return false;

            ReadOnlySpan<char> digits = text.Slice(text.Length - HexDigits);
            bool hasLower = digits.ContainsAnyInRange('a', 'f');
            bool hasUpper = digits.ContainsAnyInRange('A', 'F');
            if (!(hasLower && hasUpper)) return true;

            Span<char> expected = stackalloc char[2 + HexDigits];
            WriteChecksumHex(result, expected);
            if (digits.SequenceEqual(expected.Slice(2))) return true;

            int position = 0;
            while (digits[position] == expected[2 + position]) position++;
            error = $"address has an invalid EIP-55 checksum (hex digit {position + 1} has the wrong case); expected {expected}";
            result = default;
            return false;
        }
    }

    private static void WriteChecksumHex(in Address address, Span<char> destination)
    {
        // The checksum hashes the ASCII lowercase hex, without the 0x prefix.
        Span<byte> ascii = stackalloc byte[HexDigits];
        ReadOnlySpan<byte> bytes = address.Bytes;
        for (int i = 0; i < Address.Size; i++)
        {
            ascii[2 * i] = (byte)LowerHexDigit(bytes[i] >> 4);
            ascii[2 * i + 1] = (byte)LowerHexDigit(bytes[i] & 0xF);
        }

        Span<byte> digest = stackalloc byte[Keccak256.HashLength];
        Keccak256.Hash(ascii, digest);

        destination[0] = '0';
        destination[1] = 'x';
        for (int i = 0; i < HexDigits; i++)
        {
            char c = (char)ascii[i];
            int nibble = (i & 1) == 0 ? digest[i >> 1] >> 4 : digest[i >> 1] & 0xF;
            destination[2 + i] = c >= 'a' && nibble >= 8 ? (char)(c - ('a' - 'A')) : c;
        }
    }

    private static char LowerHexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);

    [DoesNotReturn]
    private static void ThrowBadPublicKey(string message) => throw new ArgumentException(message, "publicKey");
}
