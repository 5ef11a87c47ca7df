using System.Globalization;
using System.Text;

namespace NexusFast.Engine.Crypto.Keys;

/// <summary>
/// A BIP-32 derivation path from the master key, such as m/44'/60'/0'/0/7 (BIP-44: purpose'/coin_type'/account'/
/// change/address_index; Ethereum's coin type is 60). Each index is below 2^31; a hardened index is marked with '
/// (or h / H) and stored with bit 31 set, as BIP-32 numbers it.
/// </summary>
public sealed class KeyPath
{
    /// <summary>Bit 31: indexes at or above it derive hardened children (BIP-32, "Child key derivation").</summary>
    public const uint HardenedOffset = 0x8000_0000;

    /// <summary>BIP-32 serializes the depth in one byte.</summary>
    public const int DepthMax = 255;

    /// <summary>The first four levels of the path anvil, hardhat, ethers and MetaMask use: m/44'/60'/0'/0.</summary>
    public static readonly KeyPath EthereumAccounts = new([44 | HardenedOffset, 60 | HardenedOffset, HardenedOffset, 0]);

    private readonly uint[] _indexes;

    private KeyPath(uint[] indexes) => _indexes = indexes;

    /// <summary>The child numbers from the master key down, hardened ones with bit 31 set.</summary>
    public ReadOnlySpan<uint> Indexes => _indexes;

    public int Depth => _indexes.Length;

    /// <summary>m/44'/60'/0'/0/<paramref name="index"/>: the Ethereum account with that number.</summary>
    public static KeyPath EthereumAccount(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return EthereumAccounts.Append((uint)index);
    }

    /// <summary>This path with one more level, the child with number <paramref name="index"/> (bit 31 for hardened).</summary>
    public KeyPath Append(uint index)
    {
        if (_indexes.Length == DepthMax) throw new InvalidOperationException($"a BIP-32 path has at most {DepthMax} levels");
        return new KeyPath([.. _indexes, index]);
    }

    /// <summary>
    /// Parses "m" followed by zero or more "/index" or "/index'" levels (h or H may stand for '). No spaces, no empty
    /// levels, no leading zeros (so a path has one spelling), indexes below 2^31. False with an error naming the
    /// level and what is wrong with it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out KeyPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        if (text.IsEmpty || text[0] != 'm')
        {
            error = text.IsEmpty ? "derivation path is empty; it must start with 'm'" : $"derivation path must start with 'm', got '{text[0]}'";
            return false;
        }
        if (text.Length > 1 && text[1] != '/')
        {
            error = $"derivation path must continue with '/' after 'm', got '{text[1]}'";
            return false;
        }

        var indexes = new List<uint>();
        int position = 2;
        while (position <= text.Length && text.Length > 1)
        {
            int end = text[position..].IndexOf('/');
            end = end < 0 ? text.Length : position + end;
            ReadOnlySpan<char> level = text[position..end];
            int levelNumber = indexes.Count + 1;
            if (indexes.Count == DepthMax)
            {
                error = $"derivation path has more than {DepthMax} levels";
                return false;
            }
            if (!TryParseLevel(level, levelNumber, out uint index, out error)) return false;
            indexes.Add(index);
            position = end + 1;
        }
        path = new KeyPath([.. indexes]);
        error = null;
        return true;
    }

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="FormatException"/> with the error.</summary>
    public static KeyPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out KeyPath? path, out string? error) ? path : throw new FormatException(error);
    }

    /// <summary>The path as "m/44'/60'/0'/0/0" (hardened levels written with ').</summary>
    public override string ToString()
    {
        var text = new StringBuilder("m");
        foreach (uint index in _indexes)
        {
            text.Append('/').Append((index & ~HardenedOffset).ToString(CultureInfo.InvariantCulture));
            if (index >= HardenedOffset) text.Append('\'');
        }
        return text.ToString();
    }

    private static bool TryParseLevel(ReadOnlySpan<char> level, int levelNumber, out uint index, [NotNullWhen(false)] out string? error)
    {
        index = 0;
        if (level.IsEmpty)
        {
            error = $"derivation path level {levelNumber} is empty (a '/' too many)";
            return false;
        }
        bool hardened = level[^1] is '\'' or 'h' or 'H';
        ReadOnlySpan<char> digits = hardened ? level[..^1] : level;
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            error = $"derivation path level {levelNumber} '{level}' is not a number optionally followed by ' (hardened)";
            return false;
        }
        if (digits.Length > 1 && digits[0] == '0')
        {
            error = $"derivation path level {levelNumber} '{level}' has a leading zero";
            return false;
        }
        // Up to ten digits parse into 64 bits without overflow; parsing wide lets 2^31 and above get their own message.
        if (digits.Length > 10 || !ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) || value >= HardenedOffset)
        {
            error = $"derivation path level {levelNumber} '{level}' is out of range: an index is at most 2147483647 " +
                "(hardened indexes are written with ', not by adding 2^31)";
            return false;
        }
        index = hardened ? (uint)value | HardenedOffset : (uint)value;
        error = null;
        return true;
    }
}
