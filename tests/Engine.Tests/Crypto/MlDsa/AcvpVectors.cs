using System.Text.Json.Nodes;
using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Tests.Support;

namespace NexusFast.Engine.Tests.Crypto.MlDsa;

/// <summary>
/// The NIST ACVP ML-DSA vectors in ../shared/vectors/ml-dsa (see its README), loaded once and joined on tcId. Group
/// attributes (parameter set, interface, pre-hash, external mu, deterministic) are copied onto each case, never
/// inferred from which fields a test happens to carry.
/// </summary>
public static class AcvpVectors
{
    public const int KeyGenCount = 75;
    public const int SigGenCount = 360;
    public const int SigVerCount = 180;

    public sealed record Case(int TcId, int TgId, MlDsaParameters Parameters, JsonObject Group, JsonObject Test, JsonObject? Expected)
    {
        public byte[] Bytes(string field) => Convert.FromHexString(Field(field));

        public string Field(string field) =>
            (Test[field] ?? Expected?[field])?.GetValue<string>() ?? throw new InvalidDataException($"tcId {TcId} has no '{field}'");

        public string GroupText(string attribute) => Group[attribute]?.ToString() ?? "";

        public bool GroupFlag(string attribute) => Group[attribute]?.GetValue<bool>() ?? false;

        /// <summary>A short label of the group: "ML-DSA-65 external/preHash deterministic" and so on.</summary>
        public string GroupLabel
        {
            get
            {
                string label = $"{Parameters.Name} {GroupText("signatureInterface")}";
                if (GroupText("preHash") is { Length: > 0 } preHash && preHash != "none") label += "/" + preHash;
                if (GroupFlag("externalMu")) label += "/externalMu";
                if (Group["deterministic"] is { } deterministic) label += deterministic.GetValue<bool>() ? " deterministic" : " hedged";
                return label;
            }
        }
    }

    private static readonly Lazy<Dictionary<int, Case>> s_keyGen = new(() => Load("ML-DSA-keyGen-FIPS204", "prompt.json", "expectedResults.json"));
    private static readonly Lazy<Dictionary<int, Case>> s_sigGen = new(() => Load("ML-DSA-sigGen-FIPS204", "prompt.json", "expectedResults.json"));
    private static readonly Lazy<Dictionary<int, Case>> s_sigVer = new(() => Load("ML-DSA-sigVer-FIPS204", "internalProjection.json", null));

    public static IReadOnlyDictionary<int, Case> KeyGen => s_keyGen.Value;
    public static IReadOnlyDictionary<int, Case> SigGen => s_sigGen.Value;
    public static IReadOnlyDictionary<int, Case> SigVer => s_sigVer.Value;

    public static MlDsaParameters ParametersNamed(string name) => name switch
    {
        "ML-DSA-44" => MlDsaParameters.MlDsa44,
        "ML-DSA-65" => MlDsaParameters.MlDsa65,
        "ML-DSA-87" => MlDsaParameters.MlDsa87,
        _ => throw new InvalidDataException($"unknown parameter set '{name}'"),
    };

    public static MlDsaPreHash PreHashNamed(string name) => name switch
    {
        "SHA2-224" => MlDsaPreHash.Sha2_224,
        "SHA2-256" => MlDsaPreHash.Sha2_256,
        "SHA2-384" => MlDsaPreHash.Sha2_384,
        "SHA2-512" => MlDsaPreHash.Sha2_512,
        "SHA2-512/224" => MlDsaPreHash.Sha2_512_224,
        "SHA2-512/256" => MlDsaPreHash.Sha2_512_256,
        "SHA3-224" => MlDsaPreHash.Sha3_224,
        "SHA3-256" => MlDsaPreHash.Sha3_256,
        "SHA3-384" => MlDsaPreHash.Sha3_384,
        "SHA3-512" => MlDsaPreHash.Sha3_512,
        "SHAKE-128" => MlDsaPreHash.Shake128,
        "SHAKE-256" => MlDsaPreHash.Shake256,
        _ => throw new InvalidDataException($"unknown hashAlg '{name}'"),
    };

    /// <summary>Theory data: the tcIds of a file, so that each vector is its own test case.</summary>
    public static TheoryData<int> Ids(IReadOnlyDictionary<int, Case> cases)
    {
        var data = new TheoryData<int>();
        foreach (int id in cases.Keys.Order()) data.Add(id);
        return data;
    }

    private static Dictionary<int, Case> Load(string folder, string promptFile, string? expectedFile)
    {
        JsonNode prompt = JsonNode.Parse(File.ReadAllText(SharedData.PathOf("vectors", "ml-dsa", folder, promptFile)))!;
        var expected = new Dictionary<int, JsonObject>();
        if (expectedFile is not null)
        {
            JsonNode answers = JsonNode.Parse(File.ReadAllText(SharedData.PathOf("vectors", "ml-dsa", folder, expectedFile)))!;
            foreach (JsonNode? group in answers["testGroups"]!.AsArray())
            {
                foreach (JsonNode? test in group!["tests"]!.AsArray()) expected.Add(test!["tcId"]!.GetValue<int>(), test.AsObject());
            }
        }

        var cases = new Dictionary<int, Case>();
        foreach (JsonNode? groupNode in prompt["testGroups"]!.AsArray())
        {
            JsonObject group = groupNode!.AsObject();
            int tgId = group["tgId"]!.GetValue<int>();
            MlDsaParameters parameters = ParametersNamed(group["parameterSet"]!.GetValue<string>());
            foreach (JsonNode? testNode in group["tests"]!.AsArray())
            {
                JsonObject test = testNode!.AsObject();
                int tcId = test["tcId"]!.GetValue<int>();
                JsonObject? answer = null;
                if (expectedFile is not null && !expected.TryGetValue(tcId, out answer))
                {
                    throw new InvalidDataException($"{folder}: tcId {tcId} has no expected result");
                }
                cases.Add(tcId, new Case(tcId, tgId, parameters, group, test, answer));
            }
        }
        return cases;
    }
}
