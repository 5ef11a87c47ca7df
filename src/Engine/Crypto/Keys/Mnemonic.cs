using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using NexusFast.Engine.Diagnostics;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// A valid BIP-39 English mnemonic: 12, 15, 18, 21 or 24 words from <see cref="Bip39Wordlist"/> whose last bits are
/// the SHA-256 checksum of the entropy. <see cref="Phrase"/> is the canonical form (lowercase words joined by single
/// spaces), which is what the seed is derived from, as ethers does after parsing a phrase.
/// </summary>
/// <remarks>
/// The phrase is a .NET string and cannot be wiped from memory; callers that hold one for long should know that.
/// </remarks>
public sealed class Mnemonic
{
    public const int EntropyLengthMin = 16;
    public const int EntropyLengthMax = 32;
    public const int WordCountMin = 12;
    public const int WordCountMax = 24;

    private const int PackedLengthMax = WordCountMax * Bip39Wordlist.BitsPerWord / 8;

    private static readonly SearchValues<char> s_whiteSpace = SearchValues.Create(" \t\r\n\f\v");

    private Mnemonic(string phrase, int wordCount)
    {
        Phrase = phrase;
        WordCount = wordCount;
    }

    public string Phrase { get; }

    public int WordCount { get; }

    /// <summary>Bytes of entropy the words encode: 4/3 of the word count (BIP-39: ENT = 32 * MS / 3 bits).</summary>
    public int EntropyLength => WordCount * 4 / 3;

    /// <summary>
    /// Parses a phrase: words separated by any run of white space, upper or lower case, surrounding white space
    /// ignored. False with a precise error for a wrong word count, a word not in the list (named with its position)
    /// or a checksum mismatch.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out Mnemonic? mnemonic, [NotNullWhen(false)] out string? error)
    {
        mnemonic = null;
        if (text.Length > Bip39.TextLengthMax)
        {
            error = $"mnemonic has {text.Length} characters; at most {Bip39.TextLengthMax} are accepted";
            return false;
        }

        Span<int> indexes = stackalloc int[WordCountMax];
        int count = 0;
        Span<char> lower = stackalloc char[Bip39Wordlist.WordLengthMax];
        ReadOnlySpan<char> rest = text.Trim();
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOfAny(s_whiteSpace);
            ReadOnlySpan<char> word = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[end..].TrimStart();
            if (count == WordCountMax)
            {
                error = $"mnemonic has more than {WordCountMax} words; want 12, 15, 18, 21 or 24";
                return false;
            }
            if (word.Length > lower.Length || Ascii.ToLower(word, lower, out int written) != OperationStatus.Done
                || !Bip39Wordlist.TryGetIndex(lower[..written], out indexes[count]))
            {
                error = $"word {count + 1} '{word}' is not in the BIP-39 English word list";
                return false;
            }
            count++;
        }
        if (count % 3 != 0 || count < WordCountMin)
        {
            error = $"mnemonic has {count} words; want 12, 15, 18, 21 or 24";
            return false;
        }

        Span<byte> bits = stackalloc byte[PackedLengthMax];
        Pack(indexes[..count], bits);
        int entropyLength = count * 4 / 3;
        int checksumBits = entropyLength / 4;
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bits[..entropyLength], digest);
        // checksumBits is at most 8, so the checksum sits in the byte after the entropy.
        int mask = 0xFF << (8 - checksumBits) & 0xFF;
        bool checksumOk = ((digest[0] ^ bits[entropyLength]) & mask) == 0;
        CryptographicOperations.ZeroMemory(bits);
        if (!checksumOk)
        {
            error = "mnemonic checksum does not match (the last word is wrong, or the words are out of order)";
            return false;
        }

        mnemonic = new Mnemonic(Join(indexes[..count]), count);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(indexes));
        error = null;
        return true;
    }

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="FormatException"/> with the error.</summary>
    public static Mnemonic Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out Mnemonic? mnemonic, out string? error) ? mnemonic : throw new FormatException(error);
    }

    /// <summary>The mnemonic encoding <paramref name="entropy"/> (16, 20, 24, 28 or 32 bytes).</summary>
    public static Mnemonic FromEntropy(ReadOnlySpan<byte> entropy)
    {
        if (entropy.Length < EntropyLengthMin || entropy.Length > EntropyLengthMax || entropy.Length % 4 != 0)
        {
            throw new ArgumentException($"entropy must be 16, 20, 24, 28 or 32 bytes (BIP-39), got {entropy.Length}", nameof(entropy));
        }
        Span<byte> bits = stackalloc byte[EntropyLengthMax + 1];
        entropy.CopyTo(bits);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(entropy, digest);
        bits[entropy.Length] = digest[0];

        int count = entropy.Length * 3 / 4;
        Span<int> indexes = stackalloc int[WordCountMax];
        for (int i = 0; i < count; i++)
        {
            int index = 0;
            for (int b = 0; b < Bip39Wordlist.BitsPerWord; b++)
            {
                int position = i * Bip39Wordlist.BitsPerWord + b;
                index = index << 1 | (bits[position >> 3] >> (7 - (position & 7)) & 1);
            }
            indexes[i] = index;
        }
        CryptographicOperations.ZeroMemory(bits);
        var mnemonic = new Mnemonic(Join(indexes[..count]), count);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(indexes));
        return mnemonic;
    }

    /// <summary>A new mnemonic from the operating system's CSPRNG; 12 words carry 128 bits, 24 words 256.</summary>
    public static Mnemonic Generate(int wordCount = WordCountMin)
    {
        if (wordCount < WordCountMin || wordCount > WordCountMax || wordCount % 3 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(wordCount), wordCount, "a BIP-39 mnemonic has 12, 15, 18, 21 or 24 words");
        }
        Span<byte> entropy = stackalloc byte[wordCount * 4 / 3];
        RandomNumberGenerator.Fill(entropy);
        try
        {
            return FromEntropy(entropy);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entropy);
        }
    }

    /// <summary>Writes the entropy the words encode to the first <see cref="EntropyLength"/> bytes of <paramref name="destination"/>.</summary>
    public void CopyEntropy(Span<byte> destination)
    {
        if (destination.Length < EntropyLength)
        {
            throw new ArgumentException($"destination needs {EntropyLength} bytes, has {destination.Length}", nameof(destination));
        }
        Span<int> indexes = stackalloc int[WordCountMax];
        int count = 0;
        foreach (Range range in Phrase.AsSpan().Split(' '))
        {
            bool found = Bip39Wordlist.TryGetIndex(Phrase.AsSpan()[range], out indexes[count++]);
            Invariant.Check(found);
        }
        Span<byte> bits = stackalloc byte[PackedLengthMax];
        Pack(indexes[..count], bits);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(indexes));
        bits[..EntropyLength].CopyTo(destination);
        CryptographicOperations.ZeroMemory(bits);
    }

    /// <summary>The BIP-39 seed of this mnemonic with <paramref name="passphrase"/> (see <see cref="Bip39"/>).</summary>
    /// <exception cref="ArgumentException">The passphrase is non-ASCII or too long.</exception>
    public byte[] DeriveSeed(string passphrase = "") => Bip39.DeriveSeed(Phrase, passphrase);

    public override string ToString() => Phrase;

    private static string Join(ReadOnlySpan<int> indexes)
    {
        var text = new StringBuilder(indexes.Length * (Bip39Wordlist.WordLengthMax + 1));
        for (int i = 0; i < indexes.Length; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(Bip39Wordlist.GetWord(indexes[i]));
        }
        return text.ToString();
    }

    /// <summary>Writes the 11-bit word indexes as one big-endian bit string (BIP-39: entropy bits, then checksum bits).</summary>
    private static void Pack(ReadOnlySpan<int> indexes, Span<byte> bits)
    {
        bits.Clear();
        for (int i = 0; i < indexes.Length; i++)
        {
            for (int b = 0; b < Bip39Wordlist.BitsPerWord; b++)
            {
                if ((indexes[i] >> (Bip39Wordlist.BitsPerWord - 1 - b) & 1) != 0)
                {
                    int position = i * Bip39Wordlist.BitsPerWord + b;
                    bits[position >> 3] |= (byte)(0x80 >> (position & 7));
                }
            }
        }
    }
}
