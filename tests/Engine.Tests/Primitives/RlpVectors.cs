using System.Numerics;
using System.Text.Json;
using NexusFast.Engine.Primitives.Rlp;
using NexusFast.Engine.Tests.Support;

namespace NexusFast.Engine.Tests.Primitives;

/// <summary>Loads the RLP vectors of vectors/ethereum (README section 2) once per test run.</summary>
internal static class RlpVectors
{
    /// <summary>A valid vector: the item, its canonical encoding, and the integer when <c>in</c> was a number.</summary>
    internal sealed record Valid(string Name, RlpItem Item, byte[] Encoded, BigInteger? Integer);

    private static readonly Lazy<IReadOnlyDictionary<string, Valid>> s_rlpTest = new(LoadRlpTest);
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> s_invalid = new(() => LoadOutOnly("invalidRLPTest.json"));
    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> s_random = new(() => LoadOutOnly(Path.Combine("RandomRLPTests", "example.json")));
    private static readonly Lazy<IReadOnlyDictionary<string, Valid>> s_ethers = new(LoadEthers);

    public static IReadOnlyDictionary<string, Valid> RlpTest => s_rlpTest.Value;

    public static IReadOnlyDictionary<string, byte[]> Invalid => s_invalid.Value;

    public static IReadOnlyDictionary<string, byte[]> Random => s_random.Value;

    public static IReadOnlyDictionary<string, Valid> Ethers => s_ethers.Value;

    public static byte[] FromHex(string hex) =>
        Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan());

    private static string RlpTestsPath(string file) => SharedData.PathOf("vectors", "ethereum", "ethereum-tests", "RLPTests", file);

    private static Dictionary<string, Valid> LoadRlpTest()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(RlpTestsPath("rlptest.json")));
        var result = new Dictionary<string, Valid>(StringComparer.Ordinal);
        foreach (JsonProperty entry in doc.RootElement.EnumerateObject())
        {
            JsonElement input = entry.Value.GetProperty("in");
            BigInteger? integer = TryGetInteger(input, out BigInteger value) ? value : null;
            result.Add(entry.Name, new Valid(entry.Name, ConvertRlpTestValue(input), FromHex(entry.Value.GetProperty("out").GetString()!), integer));
        }

        return result;
    }

    // README section 2: a string not starting with '#' is its characters as bytes; a number or a '#'-string is a
    // big-endian unsigned integer without leading zeros (0 is the empty string); an array is a list.
    private static RlpItem ConvertRlpTestValue(JsonElement value)
    {
        if (TryGetInteger(value, out BigInteger integer))
        {
            return RlpItem.FromBytes(integer.IsZero ? [] : integer.ToByteArray(isUnsigned: true, isBigEndian: true));
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            string text = value.GetString()!;
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] > 0x7F) throw new InvalidDataException($"rlptest.json string has a non-ASCII character: {text}");
                bytes[i] = (byte)text[i];
            }

            return RlpItem.FromBytes(bytes);
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            var items = new List<RlpItem>();
            foreach (JsonElement element in value.EnumerateArray()) items.Add(ConvertRlpTestValue(element));
            return RlpItem.FromList([.. items]);
        }

        throw new InvalidDataException($"rlptest.json value of kind {value.ValueKind} is not part of the format");
    }

    private static bool TryGetInteger(JsonElement value, out BigInteger integer)
    {
        integer = default;
        if (value.ValueKind == JsonValueKind.Number)
        {
            integer = BigInteger.Parse(value.GetRawText(), System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith('#'))
        {
            integer = BigInteger.Parse(value.GetString()!.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }

    private static Dictionary<string, byte[]> LoadOutOnly(string file)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(RlpTestsPath(file)));
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (JsonProperty entry in doc.RootElement.EnumerateObject())
        {
            result.Add(entry.Name, FromHex(entry.Value.GetProperty("out").GetString()!));
        }

        return result;
    }

    private static Dictionary<string, Valid> LoadEthers()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf("vectors", "ethereum", "ethers", "rlp.json")));
        var result = new Dictionary<string, Valid>(StringComparer.Ordinal);
        foreach (JsonElement entry in doc.RootElement.EnumerateArray())
        {
            string name = entry.GetProperty("name").GetString()!;
            result.Add(name, new Valid(name, ConvertEthersValue(entry.GetProperty("decoded")), FromHex(entry.GetProperty("encoded").GetString()!), null));
        }

        return result;
    }

    // ethers: leaves are 0x-hex byte strings, arrays are lists.
    private static RlpItem ConvertEthersValue(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String) return RlpItem.FromBytes(FromHex(value.GetString()!));
        if (value.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"ethers rlp.json value of kind {value.ValueKind}");

        var items = new List<RlpItem>();
        foreach (JsonElement element in value.EnumerateArray()) items.Add(ConvertEthersValue(element));
        return RlpItem.FromList([.. items]);
    }
}
