using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Benchmarks;

/// <summary>
/// Sender recovery of signed EIP-1559 transfers as the mempool and block import do it, end to end per transaction:
/// signature-value checks, signing hash, libsecp256k1 recovery and the Keccak-256 address. One thread
/// (<see cref="SenderRecovery.RecoverSender"/> in a loop) against <see cref="SenderRecovery.RecoverSenders"/> on every
/// core. Times are per transaction (OperationsPerInvoke); the speed-up target in Report/Targets.cs reads this suite.
/// </summary>
[MemoryDiagnoser]
public class SenderRecoveryBenchmarks
{
    private const int TransactionCount = 4096;
    private const int SignerCount = 64;

    private Transaction[] _txs = [];
    private TxError[] _results = [];
    private SenderRecovery _recovery = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4096);
        byte[][] secrets = BenchmarkKeys.Secrets(random, SignerCount);

        _txs = new Transaction[TransactionCount];
        var to = new byte[Address.Size];
        for (int i = 0; i < TransactionCount; i++)
        {
            random.NextBytes(to);
            var tx = new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = 31337,
                Nonce = (ulong)(i / SignerCount),
                MaxPriorityFeePerGas = new UInt256(1_000_000_000),
                MaxFeePerGas = new UInt256(3_000_000_000),
                GasLimit = 21_000,
                To = new Address(to),
                Value = new UInt256((ulong)random.NextInt64(1, long.MaxValue)),
            };
            TransactionSigner.Sign(tx, secrets[i % SignerCount]);
            _txs[i] = tx;
        }

        _results = new TxError[TransactionCount];
        _recovery = new SenderRecovery();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TransactionCount)]
    public int SingleThreadRecoverSender()
    {
        int recovered = 0;
        foreach (Transaction tx in _txs)
        {
            if (SenderRecovery.RecoverSender(tx) == TxError.None) recovered++;
        }
        return recovered;
    }

    [Benchmark(OperationsPerInvoke = TransactionCount)]
    public int BatchRecoverSendersAllCores() => _recovery.RecoverSenders(_txs, _results);
}
