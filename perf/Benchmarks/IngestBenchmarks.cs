using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;

namespace NexusFast.Benchmarks;

/// <summary>
/// Transaction ingest as eth_sendRawTransaction runs it, from raw envelope bytes to a pooled transaction: decoding,
/// the stateless rules, sender recovery and mempool admission. The baseline admits one transaction at a time on one
/// thread (<see cref="Blockchain.SubmitRawTransaction"/>); the pipeline queues them all and recovers in batches on every
/// core (<see cref="IngestPipeline"/>) into transaction objects from the chain's <see cref="TransactionRecycler"/>.
/// Each invocation admits the same <see cref="TransactionCount"/> transfers into an emptied pool, so every invocation
/// does the same work; times and allocations are per transaction. In the pipeline run the previous invocation's
/// transactions are retired when the pool is emptied, as a node retires a block's transactions when the block leaves
/// its cache: that is the steady state the zero-allocation target is about.
/// </summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private const int TransactionCount = 4096;
    private const int SignerCount = 256;

    private Blockchain _chain = null!;
    private byte[][] _raws = [];
    private Transaction[] _decoded = [];
    private ValueTask<TxError>[] _outcomes = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(4096);
        byte[][] secrets = BenchmarkKeys.Secrets(random, SignerCount);
        var allocations = new GenesisAllocation[SignerCount];
        var balance = new UInt256(1_000_000_000_000_000_000);
        _raws = new byte[TransactionCount][];
        var recipient = Address.Parse("0x00000000000000000000000000000000000000bb");
        for (int i = 0; i < TransactionCount; i++)
        {
            var tx = new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = TransferWorkload.ChainId,
                Nonce = (ulong)(i / SignerCount),
                MaxPriorityFeePerGas = new UInt256(1_000_000_000),
                MaxFeePerGas = new UInt256(3_000_000_000),
                GasLimit = 21_000,
                To = recipient,
                Value = new UInt256(1),
            };
            TransactionSigner.Sign(tx, secrets[i % SignerCount]);
            _raws[i] = TransactionEncoder.Encode(tx);
            if (i < SignerCount) allocations[i] = new GenesisAllocation(tx.Sender, balance);
        }
        _chain = Blockchain.Open(new ChainOptions
        {
            Config = new ChainConfig { ChainId = TransferWorkload.ChainId },
            Genesis = new GenesisSpec { Timestamp = 1_700_000_000, Allocations = allocations },
            Mempool = new MempoolLimits { TransactionsMax = 2 * TransactionCount, PerSenderMax = 64 },
        });
        _decoded = new Transaction[TransactionCount];
        _outcomes = new ValueTask<TxError>[TransactionCount];
    }

    [GlobalCleanup]
    public void Cleanup() => _chain.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = TransactionCount)]
    public int OneAtATime()
    {
        _chain.Pool.Clear();
        int admitted = 0;
        foreach (byte[] raw in _raws)
        {
            if (_chain.SubmitRawTransaction(raw, out _, out _) == TxError.None) admitted++;
        }
        return Check(admitted);
    }

    [Benchmark(OperationsPerInvoke = TransactionCount)]
    public async Task<int> Pipeline()
    {
        _chain.Pool.Clear();
        if (_decoded[0] is not null) _chain.Recycler.Retire(_decoded);
        ChainConfig config = _chain.Config;
        for (int i = 0; i < _raws.Length; i++)
        {
            Transaction tx = _chain.Recycler.Rent();
            _decoded[i] = tx;
            TransactionValidator.DecodeAndCheck(_raws[i], tx, config, TxValidationMode.Policy, out _);
#pragma warning disable CA2012 // each is awaited exactly once below
            _outcomes[i] = _chain.Ingest.SubmitAsync(tx);
#pragma warning restore CA2012
        }
        int admitted = 0;
        for (int i = 0; i < _outcomes.Length; i++)
        {
            if (await _outcomes[i] == TxError.None) admitted++;
            _outcomes[i] = default;
        }
        return Check(admitted);
    }

    private static int Check(int admitted) =>
        admitted == TransactionCount ? admitted : throw new InvalidOperationException($"only {admitted} of {TransactionCount} admitted");
}
