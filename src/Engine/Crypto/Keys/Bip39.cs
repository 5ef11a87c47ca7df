using System.Security.Cryptography;
using System.Text;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// BIP-39 "From mnemonic to seed": seed = PBKDF2-HMAC-SHA512(password = NFKD(mnemonic),
/// salt = "mnemonic" + NFKD(passphrase), 2048 iterations, 64 bytes). The sentence is not checked against a word
/// list here (the BIP defines the seed for any sentence); <see cref="Mnemonic"/> validates English mnemonics.
/// </summary>
/// <remarks>
/// NFKD needs Unicode normalization data, which this build does not carry (InvariantGlobalization is on for the
/// Native-AOT binary), and string.Normalize then silently returns its input unchanged. NFKD of ASCII text is the text
/// itself, so ASCII mnemonics and passphrases are exact; anything else is refused with an error rather than hashed
/// un-normalized into a seed that other wallets would not derive from the same words.
/// </remarks>
public static class Bip39
{
    public const int SeedLength = 64;

    /// <summary>PBKDF2 iteration count fixed by BIP-39.</summary>
    public const int Iterations = 2048;

    /// <summary>Longest mnemonic or passphrase accepted, in characters; a bound on work and stack use, far above 24 words.</summary>
    public const int TextLengthMax = 1024;

    private static ReadOnlySpan<byte> SaltPrefix => "mnemonic"u8;

    /// <summary>Writes the 64-byte seed; false with a precise error when either text is non-ASCII or too long.</summary>
    public static bool TryDeriveSeed(ReadOnlySpan<char> mnemonic, ReadOnlySpan<char> passphrase, Span<byte> seed64, [NotNullWhen(false)] out string? error)
    {
        if (seed64.Length != SeedLength) ThrowSeedLength(seed64.Length);
        if (!IsUsable(mnemonic, "mnemonic", out error)) return false;
        if (!IsUsable(passphrase, "passphrase", out error)) return false;

        Span<byte> password = stackalloc byte[mnemonic.Length];
        Span<byte> salt = stackalloc byte[SaltPrefix.Length + passphrase.Length];
        try
        {
            Encoding.ASCII.GetBytes(mnemonic, password);
            SaltPrefix.CopyTo(salt);
            Encoding.ASCII.GetBytes(passphrase, salt.Slice(SaltPrefix.Length));
            Rfc2898DeriveBytes.Pbkdf2(password, salt, seed64, Iterations, HashAlgorithmName.SHA512);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
            CryptographicOperations.ZeroMemory(salt);
        }
    }

    /// <summary>The 64-byte seed.</summary>
    /// <exception cref="ArgumentException">A text is non-ASCII or longer than <see cref="TextLengthMax"/>; the message says which.</exception>
    public static byte[] DeriveSeed(string mnemonic, string passphrase = "")
    {
        ArgumentNullException.ThrowIfNull(mnemonic);
        ArgumentNullException.ThrowIfNull(passphrase);
        var seed = new byte[SeedLength];
        if (!TryDeriveSeed(mnemonic, passphrase, seed, out string? error)) throw new ArgumentException(error);
        return seed;
    }

    private static bool IsUsable(ReadOnlySpan<char> text, string what, [NotNullWhen(false)] out string? error)
    {
        if (text.Length > TextLengthMax)
        {
            error = $"{what} has {text.Length} characters; at most {TextLengthMax} are accepted";
            return false;
        }
        int nonAscii = text.IndexOfAnyExceptInRange((char)0, (char)0x7F);
        if (nonAscii >= 0)
        {
            error = $"{what} has a non-ASCII character (U+{(int)text[nonAscii]:X4} at position {nonAscii + 1}); BIP-39 " +
                "hashes the NFKD form, and this build has no Unicode normalization data (invariant globalization), " +
                "so only ASCII is accepted";
            return false;
        }
        error = null;
        return true;
    }

    [DoesNotReturn]
    private static void ThrowSeedLength(int actual) =>
        throw new ArgumentException($"the seed buffer must be {SeedLength} bytes, got {actual}", "seed64");
}
