using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto.MlDsa;

namespace NexusFast.Benchmarks;

/// <summary>
/// ML-DSA (FIPS 204) key generation, signing and verification for the three parameter sets, single-core unless the
/// method says otherwise. Signing and verification cycle through 16 messages per invoke (OperationsPerInvoke), because
/// the number of signing attempts differs per message (about 4 to 5 on average, by design of the rejection loop).
/// Verify expands the public key every time (the plain API); VerifyCachedKey reuses an <see cref="MlDsaPublicKey"/>
/// (what <see cref="MlDsaVerifierCache"/> gives a key that signs again); the *BatchAllCores rows run 128 independent
/// operations spread over every core.
/// The target: ML-DSA-65 verification at least 15,000/s on one core.
/// </summary>
[MemoryDiagnoser]
public class MlDsaBenchmarks
{
    private const int Messages = 16;

    private MlDsaParameters _parameters = MlDsaParameters.MlDsa65;
    private byte[] _seed = [];
    private byte[] _publicKey = [];
    private byte[] _secretKey = [];
    private byte[][] _messages = [];
    private byte[][] _signatures = [];
    private byte[] _signature = [];
    private MlDsaPublicKey _expanded = null!;
    private byte[][] _batchSignatures = [];
    private byte[][] _batchPublicKeys = [];
    private byte[][] _batchSecretKeys = [];

    [Params("ML-DSA-44", "ML-DSA-65", "ML-DSA-87")]
    public string Set { get; set; } = "ML-DSA-65";

    [GlobalSetup]
    public void Setup()
    {
        _parameters = Set switch
        {
            "ML-DSA-44" => MlDsaParameters.MlDsa44,
            "ML-DSA-65" => MlDsaParameters.MlDsa65,
            _ => MlDsaParameters.MlDsa87,
        };
        var random = new Random(204);
        _seed = new byte[MlDsaScheme.SeedSize];
        random.NextBytes(_seed);
        _publicKey = new byte[_parameters.PublicKeySize];
        _secretKey = new byte[_parameters.SecretKeySize];
        MlDsaScheme.GenerateKey(_parameters, _seed, _publicKey, _secretKey);
        _messages = new byte[Messages][];
        _signatures = new byte[Messages][];
        for (int i = 0; i < Messages; i++)
        {
            _messages[i] = new byte[150]; // about a transfer's signing payload
            random.NextBytes(_messages[i]);
            _signatures[i] = new byte[_parameters.SignatureSize];
            MlDsaScheme.SignDeterministic(_parameters, _secretKey, _messages[i], "nexus"u8, _signatures[i]);
        }
        _signature = new byte[_parameters.SignatureSize];
        _expanded = MlDsaPublicKey.Create(_parameters, _publicKey);
        // One output buffer per item of the all-core rows, so that workers never share one.
        _batchSignatures = [.. Enumerable.Range(0, BatchItems).Select(_ => new byte[_parameters.SignatureSize])];
        _batchPublicKeys = [.. Enumerable.Range(0, BatchItems).Select(_ => new byte[_parameters.PublicKeySize])];
        _batchSecretKeys = [.. Enumerable.Range(0, BatchItems).Select(_ => new byte[_parameters.SecretKeySize])];
    }

    private const int BatchItems = Messages * 8;

    [Benchmark(OperationsPerInvoke = BatchItems)]
    public void KeyGenBatchAllCores() =>
        Parallel.For(0, BatchItems, i => MlDsaScheme.GenerateKey(_parameters, _seed, _batchPublicKeys[i], _batchSecretKeys[i]));

    [Benchmark(OperationsPerInvoke = BatchItems)]
    public void SignBatchAllCores() =>
        Parallel.For(0, BatchItems, i => MlDsaScheme.SignDeterministic(_parameters, _secretKey, _messages[i % Messages], "nexus"u8, _batchSignatures[i]));

    [Benchmark]
    public void KeyGen() => MlDsaScheme.GenerateKey(_parameters, _seed, _publicKey, _secretKey);

    [Benchmark(OperationsPerInvoke = Messages)]
    public void Sign()
    {
        for (int i = 0; i < Messages; i++) MlDsaScheme.SignDeterministic(_parameters, _secretKey, _messages[i], "nexus"u8, _signature);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Messages)]
    public bool Verify()
    {
        bool all = true;
        for (int i = 0; i < Messages; i++) all &= MlDsaScheme.Verify(_parameters, _publicKey, _messages[i], "nexus"u8, _signatures[i]);
        return all;
    }

    [Benchmark(OperationsPerInvoke = Messages)]
    public bool VerifyCachedKey()
    {
        bool all = true;
        for (int i = 0; i < Messages; i++) all &= _expanded.Verify(_messages[i], "nexus"u8, _signatures[i]);
        return all;
    }

    [Benchmark(OperationsPerInvoke = BatchItems)]
    public void VerifyCachedKeyBatchAllCores()
    {
        Parallel.For(0, BatchItems, i =>
        {
            if (!_expanded.Verify(_messages[i % Messages], "nexus"u8, _signatures[i % Messages])) throw new InvalidOperationException("signature rejected");
        });
    }
}
