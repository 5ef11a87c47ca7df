using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto.MlDsa;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Benchmarks;

/// <summary>
/// <see cref="SenderRecovery.RecoverSenders"/> on batches of ECDSA (EIP-1559) and ML-DSA (type 0x4e, key-hash form,
/// keys resolved from the recovery's cache as for an active account) transfers: all ECDSA (the baseline, the path
/// mempool batches take today), half and half, and all ML-DSA; plus one ML-DSA verification at a time on one thread.
/// Times are per transaction. The ML-DSA pass verifies on every core with each key's expanded matrix cached, so its
/// cost is the FIPS 204 verification proper, not ExpandA.
/// </summary>
[MemoryDiagnoser]
public class MlDsaSenderRecoveryBenchmarks
{
    private const int BatchSize = 1024;
    private const int SignerCount = 64;

    private Transaction[] _ecdsa = [];
    private Transaction[] _mixed = [];
    private Transaction[] _mlDsa = [];
    private TxError[] _results = [];
    private SenderRecovery _recovery = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(0x4e);
        byte[][] secrets = BenchmarkKeys.Secrets(random, SignerCount);
        var mlDsaKeys = new (byte[] Public, byte[] Secret)[SignerCount];
        MlDsaParameters parameters = MlDsaTransactions.Parameters;
        for (int k = 0; k < SignerCount; k++)
        {
            var seed = new byte[MlDsaScheme.SeedSize];
            random.NextBytes(seed);
            mlDsaKeys[k] = (new byte[parameters.PublicKeySize], new byte[parameters.SecretKeySize]);
            MlDsaScheme.GenerateKey(parameters, seed, mlDsaKeys[k].Public, mlDsaKeys[k].Secret);
        }

        _recovery = new SenderRecovery();
        _ecdsa = new Transaction[BatchSize];
        _mlDsa = new Transaction[BatchSize];
        for (int i = 0; i < BatchSize; i++)
        {
            _ecdsa[i] = Transfer(random, i);
            TransactionSigner.Sign(_ecdsa[i], secrets[i % SignerCount]);

            Transaction mlDsa = Transfer(random, i);
            (byte[] publicKey, byte[] secretKey) = mlDsaKeys[i % SignerCount];
            MlDsaTransactionSigner.Sign(mlDsa, secretKey, publicKey, embedPublicKey: i < SignerCount, deterministic: true);
            _mlDsa[i] = Decoded(mlDsa);
        }
        _mixed = new Transaction[BatchSize];
        for (int i = 0; i < BatchSize; i++) _mixed[i] = i % 2 == 0 ? _ecdsa[i] : _mlDsa[i];
        _results = new TxError[BatchSize];

        // Warm-up: the first batch sees the carried keys (the first SignerCount transactions) and caches them.
        if (_recovery.RecoverSenders(_mlDsa, _results) != BatchSize) throw new InvalidOperationException("the ML-DSA batch does not verify");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public int EcdsaBatch() => _recovery.RecoverSenders(_ecdsa, _results);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int HalfMlDsaBatch() => _recovery.RecoverSenders(_mixed, _results);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int MlDsaBatch() => _recovery.RecoverSenders(_mlDsa, _results);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public int MlDsaOneAtATime()
    {
        int verified = 0;
        foreach (Transaction tx in _mlDsa)
        {
            if (_recovery.Recover(tx) == TxError.None) verified++;
        }
        return verified;
    }

    private static Transaction Transfer(Random random, int i)
    {
        var to = new byte[Address.Size];
        random.NextBytes(to);
        return new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = 31337,
            Nonce = (ulong)(i / SignerCount),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            MaxFeePerGas = new UInt256(3_000_000_000),
            GasLimit = 200_000,
            To = new Address(to),
            Value = new UInt256((ulong)random.NextInt64(1, long.MaxValue)),
        };
    }

    /// <summary>As the network delivers it: decoded from its bytes, a key-hash transaction without its key.</summary>
    private static Transaction Decoded(Transaction signed)
    {
        var tx = new Transaction();
        if (TransactionDecoder.TryDecode(TransactionEncoder.Encode(signed), tx, out string detail) != TxError.None)
            throw new InvalidOperationException(detail);
        return tx;
    }
}
