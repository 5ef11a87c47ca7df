using System.Text.Json;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Support;

namespace NexusFast.Engine.Tests.Ledger;

/// <summary>Loads the transaction vectors of vectors/ethereum (README section 4) once per test run.</summary>
internal static class TransactionVectors
{
    /// <summary>The four serialisations of each ethers entry, by the suffix of their JSON keys.</summary>
    public static readonly string[] EthersKinds = ["Legacy", "Eip155", "Berlin", "London"];

    private static readonly Lazy<IReadOnlyDictionary<string, EthersEntry>> s_ethers = new(LoadEthers);
    private static readonly Lazy<IReadOnlyDictionary<string, EthereumCase>> s_ethereum = new(LoadEthereumTests);

    public static IReadOnlyDictionary<string, EthersEntry> Ethers => s_ethers.Value;

    /// <summary>Keyed by "folder/file.json#test name": the test name alone is not unique (README section 4).</summary>
    public static IReadOnlyDictionary<string, EthereumCase> Ethereum => s_ethereum.Value;

    public static byte[] FromHex(string hex) =>
        Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan());

    /// <summary>An ethers numeric hex string: "0x" is zero, digits may be odd in number.</summary>
    public static UInt256 ParseNumber(string hex)
    {
        string digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (digits.Length == 0) return UInt256.Zero;
        if (digits.Length % 2 == 1) digits = "0" + digits;
        return UInt256.FromBigEndian(Convert.FromHexString(digits));
    }

    /// <summary>One entry of ethers/transaction-subset.json.</summary>
    internal sealed class EthersEntry
    {
        public required string Name { get; init; }

        public required Address? To { get; init; }

        public required ulong Nonce { get; init; }

        public required ulong GasLimit { get; init; }

        public required UInt256 GasPrice { get; init; }

        public required UInt256 MaxFeePerGas { get; init; }

        public required UInt256 MaxPriorityFeePerGas { get; init; }

        public required byte[] Data { get; init; }

        public required UInt256 Value { get; init; }

        public required AccessListEntry[] AccessList { get; init; }

        /// <summary>The chainId input as written: null when absent, "0x" for zero.</summary>
        public required string? ChainIdText { get; init; }

        public required byte[] PrivateKey { get; init; }

        /// <summary>kind -> (unsigned* preimage, signed* raw transaction).</summary>
        public required IReadOnlyDictionary<string, (byte[] Unsigned, byte[] Signed)> Serialisations { get; init; }

        /// <summary>
        /// README section 4: ethers builds the chain-id-0 EIP-155 preimage with a non-canonical 0x00 byte, so those
        /// pairs cannot be reproduced by a canonical encoder (and v = 35/36 is not valid on any chain anyway).
        /// </summary>
        public bool HasUsableEip155 => ChainIdText is not null && ParseNumber(ChainIdText) != UInt256.Zero;

        /// <summary>The chain id a serialisation of <paramref name="kind"/> carries.</summary>
        public ulong ChainIdFor(string kind) => kind switch
        {
            "Legacy" => 0,
            // README section 4: an absent chainId makes ethers use chain id 1 for the typed serialisations.
            _ => ChainIdText is null ? 1 : (ulong)ParseNumber(ChainIdText),
        };

        /// <summary>An unsigned transaction of <paramref name="kind"/> built from the inputs (not from the bytes).</summary>
        public Transaction BuildUnsigned(string kind)
        {
            var tx = new Transaction
            {
                Type = kind switch
                {
                    "Legacy" or "Eip155" => TxType.Legacy,
                    "Berlin" => TxType.AccessList,
                    "London" => TxType.DynamicFee,
                    _ => throw new ArgumentOutOfRangeException(nameof(kind)),
                },
                ChainId = ChainIdFor(kind),
                Nonce = Nonce,
                GasLimit = GasLimit,
                To = To,
                Value = Value,
                Data = Data,
            };
            if (tx.Type == TxType.DynamicFee)
            {
                tx.MaxPriorityFeePerGas = MaxPriorityFeePerGas;
                tx.MaxFeePerGas = MaxFeePerGas;
            }
            else
            {
                tx.GasPrice = GasPrice;
            }
            if (tx.Type != TxType.Legacy) tx.AccessList = AccessList;
            return tx;
        }
    }

    /// <summary>One test of ethereum-tests/TransactionTests, with the result of the fork chosen per the README.</summary>
    internal sealed class EthereumCase
    {
        public required string Id { get; init; }

        public required byte[] TxBytes { get; init; }

        public required string Fork { get; init; }

        /// <summary>The TransactionException name without its prefix, or null for a valid transaction.</summary>
        public required string? Exception { get; init; }

        public required Hash256 Hash { get; init; }

        public required Address Sender { get; init; }

        public required ulong IntrinsicGas { get; init; }
    }

    private static Dictionary<string, EthersEntry> LoadEthers()
    {
        string path = SharedData.PathOf("vectors", "ethereum", "ethers", "transaction-subset.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var result = new Dictionary<string, EthersEntry>(StringComparer.Ordinal);
        foreach (JsonElement entry in doc.RootElement.EnumerateArray())
        {
            JsonElement tx = entry.GetProperty("transaction");
            string? String(string key) => tx.TryGetProperty(key, out JsonElement value) ? value.GetString() : null;
            UInt256 Number(string key) => String(key) is { } text ? ParseNumber(text) : UInt256.Zero;

            var serialisations = new Dictionary<string, (byte[], byte[])>(StringComparer.Ordinal);
            foreach (string kind in EthersKinds)
            {
                serialisations.Add(kind, (FromHex(entry.GetProperty("unsigned" + kind).GetString()!), FromHex(entry.GetProperty("signed" + kind).GetString()!)));
            }

            UInt256 gasLimit = Number("gasLimit");
            var parsed = new EthersEntry
            {
                Name = entry.GetProperty("name").GetString()!,
                To = String("to") is { } to ? Address.Parse(to) : null,
                Nonce = tx.TryGetProperty("nonce", out JsonElement nonce) ? nonce.GetUInt64() : 0,
                GasLimit = gasLimit.IsUInt64 ? (ulong)gasLimit : throw new InvalidDataException("gasLimit over 64 bits"),
                GasPrice = Number("gasPrice"),
                MaxFeePerGas = Number("maxFeePerGas"),
                MaxPriorityFeePerGas = Number("maxPriorityFeePerGas"),
                Data = String("data") is { } data ? FromHex(data) : [],
                Value = Number("value"),
                AccessList = tx.TryGetProperty("accessList", out JsonElement accessList) ? ParseAccessList(accessList) : AccessListEntry.None,
                ChainIdText = String("chainId"),
                PrivateKey = FromHex(entry.GetProperty("privateKey").GetString()!),
                Serialisations = serialisations,
            };
            result.Add(parsed.Name, parsed);
        }
        return result;
    }

    private static AccessListEntry[] ParseAccessList(JsonElement accessList)
    {
        var entries = new List<AccessListEntry>();
        foreach (JsonElement entry in accessList.EnumerateArray())
        {
            var keys = new List<Hash256>();
            foreach (JsonElement key in entry.GetProperty("storageKeys").EnumerateArray()) keys.Add(Hash256.Parse(key.GetString()!));
            entries.Add(new AccessListEntry(Address.Parse(entry.GetProperty("address").GetString()!), [.. keys]));
        }
        return entries.Count == 0 ? AccessListEntry.None : [.. entries];
    }

    private static Dictionary<string, EthereumCase> LoadEthereumTests()
    {
        string root = SharedData.PathOf("vectors", "ethereum", "ethereum-tests", "TransactionTests");
        var result = new Dictionary<string, EthereumCase>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(file));
            foreach (JsonProperty test in doc.RootElement.EnumerateObject())
            {
                JsonElement results = test.Value.GetProperty("result");
                // README section 4: the newest fork each test has among Cancun, Shanghai (ttWrongRLP) and London (two tests).
                string fork = results.TryGetProperty("Cancun", out _) ? "Cancun"
                    : results.TryGetProperty("Shanghai", out _) ? "Shanghai"
                    : results.TryGetProperty("London", out _) ? "London"
                    : throw new InvalidDataException($"{relative}#{test.Name} has no Cancun, Shanghai or London result");
                JsonElement expected = results.GetProperty(fork);
                string? exception = expected.TryGetProperty("exception", out JsonElement ex) ? ex.GetString()!.Replace("TransactionException.", "", StringComparison.Ordinal) : null;
                string id = $"{relative}#{test.Name}";
                result.Add(id, new EthereumCase
                {
                    Id = id,
                    TxBytes = FromHex(test.Value.GetProperty("txbytes").GetString()!),
                    Fork = fork,
                    Exception = exception,
                    Hash = exception is null ? Hash256.Parse(expected.GetProperty("hash").GetString()!) : default,
                    Sender = exception is null ? Address.Parse(expected.GetProperty("sender").GetString()!) : default,
                    IntrinsicGas = (ulong)ParseNumber(expected.GetProperty("intrinsicGas").GetString()!),
                });
            }
        }
        return result;
    }
}
