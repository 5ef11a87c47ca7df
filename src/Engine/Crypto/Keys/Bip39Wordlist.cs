using System.Security.Cryptography;
using NexusFast.Engine.Diagnostics;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// The BIP-39 English word list: 2048 lowercase ASCII words in ascending ordinal order, each identified by its first
/// four letters. It ships inside the assembly as bip39-english.txt (the file from bitcoin/bips, one word per line)
/// and is checked against the file's published SHA-256 when first used, so a damaged copy can never produce
/// mnemonics that other wallets read as different keys.
/// </summary>
public static class Bip39Wordlist
{
    public const int Count = 2048;

    /// <summary>Bits per word: 2048 = 2^11 (BIP-39, "Generating the mnemonic").</summary>
    public const int BitsPerWord = 11;

    /// <summary>The longest English word ("scorpion", "position", ... have 8 letters).</summary>
    public const int WordLengthMax = 8;

    private const string ResourceName = "NexusFast.Engine.Crypto.Keys.bip39-english.txt";

    // sha256sum bitcoin/bips/bip-0039/english.txt (13116 bytes, LF line ends, final LF).
    private static ReadOnlySpan<byte> FileSha256 =>
    [
        0x2f, 0x5e, 0xed, 0x53, 0xa4, 0x72, 0x7b, 0x4b, 0xf8, 0x88, 0x0d, 0x8f, 0x3f, 0x19, 0x9e, 0xfc,
        0x90, 0xe5, 0x85, 0x03, 0x64, 0x6d, 0x9f, 0xf8, 0xef, 0xf3, 0xa2, 0xed, 0x3b, 0x24, 0xdb, 0xda,
    ];

    private static readonly Lazy<string[]> s_words = new(Load);

    /// <summary>The word with index <paramref name="index"/> (0 to 2047).</summary>
    public static string GetWord(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return s_words.Value[index];
    }

    /// <summary>
    /// The index of <paramref name="word"/>, matched exactly (lowercase, no surrounding spaces); false when the word
    /// is not in the list. Binary search: the file is sorted, which <see cref="Load"/> verifies.
    /// </summary>
    public static bool TryGetIndex(ReadOnlySpan<char> word, out int index)
    {
        string[] words = s_words.Value;
        int low = 0, high = Count - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            int order = word.SequenceCompareTo(words[middle]);
            if (order == 0)
            {
                index = middle;
                return true;
            }
            if (order < 0) high = middle - 1;
            else low = middle + 1;
        }
        index = -1;
        return false;
    }

    private static string[] Load()
    {
        using Stream? stream = typeof(Bip39Wordlist).Assembly.GetManifestResourceStream(ResourceName);
        Invariant.Check(stream is not null);
        var file = new byte[stream.Length];
        stream.ReadExactly(file);

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(file, digest);
        Invariant.Check(digest.SequenceEqual(FileSha256));

        var words = new string[Count];
        int count = 0;
        ReadOnlySpan<byte> lines = file.AsSpan(0, file.Length - 1); // without the final LF
        foreach (Range line in lines.Split((byte)'\n'))
        {
            Invariant.Check(count < Count);
            words[count++] = System.Text.Encoding.ASCII.GetString(lines[line]);
        }
        Invariant.Check(count == Count);
        for (int i = 1; i < Count; i++)
        {
            Invariant.Check(string.CompareOrdinal(words[i - 1], words[i]) < 0);
        }
        return words;
    }
}
