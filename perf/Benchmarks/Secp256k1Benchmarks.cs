using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Benchmarks;

/// <summary>
/// Sender recovery throughput: one thread calling libsecp256k1 in a loop against <see cref="EcdsaBatchRecovery"/>
/// on every core, over the same pre-signed batch. Times are per signature (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
public class Secp256k1Benchmarks
{
    private const int SignatureCount = 4096;
    private const int SignerCount = 64;

    private EcdsaRecoveryRequest[] _requests = [];
    private byte[] _publicKeys = [];
    private bool[] _recovered = [];
    private EcdsaBatchRecovery _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4096);
        byte[][] secrets = BenchmarkKeys.Secrets(random, SignerCount);

        _requests = new EcdsaRecoveryRequest[SignatureCount];
        var hash = new byte[Secp256k1.MessageHashLength];
        var signature = new byte[Secp256k1.SignatureLength];
        for (int i = 0; i < SignatureCount; i++)
        {
            random.NextBytes(hash);
            Secp256k1.SignRecoverable(hash, secrets[i % SignerCount], signature, out byte recoveryId);
            _requests[i] = new EcdsaRecoveryRequest(new Hash256(hash), signature, recoveryId);
        }

        _publicKeys = new byte[SignatureCount * EcdsaBatchRecovery.PublicKeyLength];
        _recovered = new bool[SignatureCount];
        _batch = new EcdsaBatchRecovery();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SignatureCount)]
    public int SingleThreadLoop()
    {
        Span<byte> signature = stackalloc byte[Secp256k1.SignatureLength];
        int recovered = 0;
        for (int i = 0; i < _requests.Length; i++)
        {
            ref readonly EcdsaRecoveryRequest request = ref _requests[i];
            request.R.CopyTo(signature[..32]);
            request.S.CopyTo(signature[32..]);
            Span<byte> publicKey = _publicKeys.AsSpan(i * EcdsaBatchRecovery.PublicKeyLength, EcdsaBatchRecovery.PublicKeyLength);
            if (Secp256k1.TryRecoverXY(request.MessageHash.Bytes, signature, request.RecoveryId, publicKey)) recovered++;
        }
        return recovered;
    }

    [Benchmark(OperationsPerInvoke = SignatureCount)]
    public int BatchAllCores() => _batch.Recover(_requests, _publicKeys, _recovered);
}
