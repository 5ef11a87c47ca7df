using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Chain;

/// <summary>
/// A digest of the genesis allocations, kept in the data directory (<see cref="FileName"/>) with the hash of the genesis
/// block they made. Reopening a chain must check that the configured genesis is the stored one; the allocations enter
/// the genesis only through its state root, which otherwise has to be rebuilt on a scratch state: with 1,000,000
/// accounts that is most of a 30-second restart and a second copy of the state in memory. With the digest the check
/// hashes the allocations (a fraction of a second) and compares the other header fields directly.
/// </summary>
/// <remarks>
/// The file is a cache of a check, not part of the chain: missing or unreadable, the state root is rebuilt as before
/// and the file written again. Format: "allocations 0x&lt;64 hex&gt;\ngenesis 0x&lt;64 hex&gt;\n".
/// </remarks>
internal static class GenesisDigest
{
    public const string FileName = "genesis-digest";

    private static ReadOnlySpan<byte> Tag => "nexusfast genesis allocations v1"u8;

    /// <summary>SHA-256 over a tag, the count, and each allocation (address, balance big-endian) in canonical order.</summary>
    public static Hash256 Of(ReadOnlySpan<GenesisAllocation> canonical)
    {
        const int Entry = Address.Size + 32;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Tag);
        Span<byte> count = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(count, canonical.Length);
        hash.AppendData(count);
        // Batches of entries: one AppendData per allocation would cost more than the hashing.
        Span<byte> batch = stackalloc byte[Entry * 256];
        int filled = 0;
        foreach (GenesisAllocation allocation in canonical)
        {
            allocation.Address.CopyTo(batch.Slice(filled, Address.Size));
            allocation.Balance.WriteBigEndian(batch.Slice(filled + Address.Size, 32));
            filled += Entry;
            if (filled == batch.Length)
            {
                hash.AppendData(batch);
                filled = 0;
            }
        }
        hash.AppendData(batch[..filled]);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return new Hash256(digest);
    }

    /// <summary>Reads the file in <paramref name="directory"/>; false when it is missing or not in the format above.</summary>
    public static bool TryRead(string directory, out Hash256 allocations, out Hash256 genesis)
    {
        allocations = genesis = default;
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return false;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return false;
        }
        return lines.Length == 2
            && TryParse(lines[0], "allocations ", out allocations)
            && TryParse(lines[1], "genesis ", out genesis);
    }

    public static void Write(string directory, in Hash256 allocations, in Hash256 genesis) =>
        AtomicFile.Replace(Path.Combine(directory, FileName), Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"allocations {allocations}\ngenesis {genesis}\n")));

    private static bool TryParse(string line, string prefix, out Hash256 value)
    {
        value = default;
        if (!line.StartsWith(prefix, StringComparison.Ordinal)) return false;
        ReadOnlySpan<char> hex = line.AsSpan(prefix.Length);
        if (!hex.StartsWith("0x", StringComparison.Ordinal) || hex.Length != 66) return false;
        Span<byte> bytes = stackalloc byte[32];
        if (Convert.FromHexString(hex[2..], bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        value = new Hash256(bytes);
        return true;
    }
}
