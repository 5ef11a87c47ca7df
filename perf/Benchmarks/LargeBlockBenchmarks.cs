using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;

namespace NexusFast.Benchmarks;

/// <summary>
/// The performance issue's block: 50,000 transfers among 1,000,000 accounts, committed with its state root (execution,
/// every root, durable block-log append, state apply), one block per iteration as in <see cref="BlockBenchmarks"/>.
/// The baseline is the same block size among the 100,000 accounts of the engine issue, measured side by side, so the
/// ratio shows what a ten times larger state costs. Report/Targets.cs checks the median against 250 ms.
/// </summary>
[MemoryDiagnoser]
// The node runs workstation GC without the background (concurrent) collector (src/Engine.Native); so do these blocks.
[GcConcurrent(false)]
[InvocationCount(1)]
public class LargeBlockBenchmarks
{
    public const int Transfers = 50_000;
    public const int Accounts = 1_000_000;

    private readonly Chain _small = new(100_000);
    private readonly Chain _large = new(Accounts);

    // Each benchmark runs in a process of its own: it opens only its own chain, so that the 1,000,000-account block is
    // not measured beside the other chain's state, heap and caches.
    [GlobalSetup(Target = nameof(Among100kAccounts))]
    public void SetupSmall() => _small.Open();

    [GlobalSetup(Target = nameof(Among1MAccounts))]
    public void SetupLarge() => _large.Open();

    [GlobalCleanup]
    public void Cleanup()
    {
        _small.Dispose();
        _large.Dispose();
    }

    [IterationSetup(Target = nameof(Among100kAccounts))]
    public void PrepareSmall() => _small.Prepare();

    [IterationSetup(Target = nameof(Among1MAccounts))]
    public void PrepareLarge() => _large.Prepare();

    [IterationCleanup(Target = nameof(Among100kAccounts))]
    public void CheckSmall() => _small.Check();

    [IterationCleanup(Target = nameof(Among1MAccounts))]
    public void CheckLarge() => _large.Check();

    [Benchmark(Baseline = true)]
    public Block Among100kAccounts() => _small.Commit();

    [Benchmark]
    public Block Among1MAccounts() => _large.Commit();

    /// <summary>One chain in its own data directory with its workload; the next block is built outside the measured time.</summary>
    private sealed class Chain(int accounts) : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-bench-" + Guid.NewGuid().ToString("N"));
        private TransferWorkload _workload = null!;
        private Blockchain _chain = null!;
        private Transaction[] _next = [];
        private Block? _last;

        public void Open()
        {
            _workload = new TransferWorkload(seed: accounts, accountCount: accounts, transfersPerBlock: Transfers);
            _chain = Blockchain.Open(_workload.ChainOptions(_directory, checkpointIntervalBlocks: ulong.MaxValue));
        }

        public void Prepare() => _next = _workload.NextBlock();

        public Block Commit() => _last = _chain.ProduceBlock(0, _next);

        public void Check()
        {
            if (_last is null || _last.Transactions.Length != Transfers)
                throw new InvalidOperationException($"block {_last?.Number} included {_last?.Transactions.Length} of {Transfers} transfers");
        }

        public void Dispose()
        {
            _chain?.Dispose();
            if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
        }
    }
}
