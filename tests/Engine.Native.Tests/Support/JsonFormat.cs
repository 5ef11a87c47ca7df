using System.Text.Json;
using System.Text.RegularExpressions;

namespace NexusFast.Native.Tests.Support;

/// <summary>The JSON-RPC value forms of CLIENTS.md "Format rules", as assertions.</summary>
internal static partial class JsonFormat
{
    public static void AssertQuantity(string? text) =>
        Assert.True(text is not null && QuantityPattern().IsMatch(text), $"'{text}' is not a canonical quantity");

    public static void AssertData(string? text, int? bytes = null)
    {
        Assert.True(text is not null && DataPattern().IsMatch(text), $"'{text}' is not lowercase hex data");
        if (bytes is { } expected) Assert.Equal(2 + (2 * expected), text!.Length);
    }

    public static void AssertAddress(string? text) => AssertData(text, 20);

    public static void AssertHash(string? text) => AssertData(text, 32);

    /// <summary>Exactly these property names, in any order.</summary>
    public static void AssertFields(JsonElement element, params string[] names)
    {
        string[] actual = element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal).ToArray(), actual);
    }

    [GeneratedRegex("^0x(0|[1-9a-f][0-9a-f]*)$")]
    private static partial Regex QuantityPattern();

    [GeneratedRegex("^0x([0-9a-f]{2})*$")]
    private static partial Regex DataPattern();
}
