using System.Buffers.Binary;
using System.Text;

namespace NexusFast.Engine.Execution.Contracts;

/// <summary>Solidity's revert encoding <c>Error(string)</c>: selector 0x08c379a0, then the ABI encoding of one string.</summary>
public static class RevertReason
{
    public const uint ErrorSelector = 0x08c379a0;

    /// <summary>The message of Error(string) revert data; false for anything else (empty data, custom errors, bad encoding).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out string? reason)
    {
        reason = null;
        if (data.Length < 4 + 64 || BinaryPrimitives.ReadUInt32BigEndian(data) != ErrorSelector) return false;
        ReadOnlySpan<byte> arguments = data[4..];
        if (!TryReadSmall(arguments[..32], out int offset) || offset > arguments.Length - 32) return false;
        if (!TryReadSmall(arguments.Slice(offset, 32), out int length) || length > arguments.Length - offset - 32) return false;
        try
        {
            reason = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(arguments.Slice(offset + 32, length));
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Error(string) revert data for <paramref name="message"/>, as nexus_revert_error and Solidity write it.</summary>
    public static byte[] Encode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        byte[] text = Encoding.UTF8.GetBytes(message);
        int padded = (text.Length + 31) / 32 * 32;
        byte[] data = new byte[4 + 64 + padded];
        BinaryPrimitives.WriteUInt32BigEndian(data, ErrorSelector);
        data[4 + 31] = 32;
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(4 + 56), (ulong)text.Length);
        text.CopyTo(data, 4 + 64);
        return data;
    }

    /// <summary>A 32-byte big-endian word that fits an int.</summary>
    private static bool TryReadSmall(ReadOnlySpan<byte> word, out int value)
    {
        value = 0;
        if (word[..28].ContainsAnyExcept((byte)0)) return false;
        uint raw = BinaryPrimitives.ReadUInt32BigEndian(word[28..]);
        if (raw > int.MaxValue) return false;
        value = (int)raw;
        return true;
    }
}
