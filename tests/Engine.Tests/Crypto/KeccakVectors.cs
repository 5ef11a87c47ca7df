using System.Text.Json;
using NexusFast.Engine.Tests.Support;

namespace NexusFast.Engine.Tests.Crypto;

/// <summary>Loads the Keccak-256 vectors of vectors/ethereum (README section 1) once per test run.</summary>
internal static class KeccakVectors
{
    internal sealed record EthersHash(string Name, byte[] Data, byte[] Keccak256, byte[] Sha256);

    internal sealed record MoneroHash(int LineNumber, byte[] Message, byte[] Digest);

    private static readonly Lazy<IReadOnlyDictionary<string, EthersHash>> s_ethers = new(LoadEthers);
    private static readonly Lazy<IReadOnlyDictionary<int, MoneroHash>> s_monero = new(LoadMonero);

    public static IReadOnlyDictionary<string, EthersHash> Ethers => s_ethers.Value;

    public static IReadOnlyDictionary<int, MoneroHash> Monero => s_monero.Value;

    public static byte[] FromHex(string hex) =>
        Convert.FromHexString(hex.StartsWith("0x", StringComparison.Ordinal) ? hex.AsSpan(2) : hex.AsSpan());

    private static Dictionary<string, EthersHash> LoadEthers()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf("vectors", "ethereum", "ethers", "hashes.json")));
        var result = new Dictionary<string, EthersHash>(StringComparer.Ordinal);
        foreach (JsonElement entry in doc.RootElement.EnumerateArray())
        {
            string name = entry.GetProperty("name").GetString()!;
            result.Add(name, new EthersHash(
                name,
                FromHex(entry.GetProperty("data").GetString()!),
                FromHex(entry.GetProperty("keccak256").GetString()!),
                FromHex(entry.GetProperty("sha256").GetString()!)));
        }

        return result;
    }

    private static Dictionary<int, MoneroHash> LoadMonero()
    {
        string[] lines = File.ReadAllLines(SharedData.PathOf("vectors", "ethereum", "monero", "tests-fast.txt"));
        var result = new Dictionary<int, MoneroHash>();
        for (int i = 0; i < lines.Length; i++)
        {
            string[] tokens = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            if (tokens.Length != 2) throw new InvalidDataException($"tests-fast.txt line {i + 1}: expected '<digest> <message>'");

            // README: the single character "x" stands for the empty message; it is not a hex byte.
            byte[] message = tokens[1] == "x" ? [] : FromHex(tokens[1]);
            result.Add(i + 1, new MoneroHash(i + 1, message, FromHex(tokens[0])));
        }

        return result;
    }
}
