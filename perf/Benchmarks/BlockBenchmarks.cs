using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Benchmarks;

/// <summary>
/// The block: 10,000 transfers among 100,000 accounts, senders already recovered (<see cref="TransferWorkload"/>).
/// Times are per block; Report/Targets.cs divides the allocations of <see cref="ExecuteOnly"/> by 10,000.
/// </summary>
/// <remarks>
/// <para>The chain lives in a data directory under the system temp folder, not in memory: committing a block means
/// what it means for a node, a durable append to the FASTER block log (a commit that waits for the device) and the
/// overlay applied to the FASTER state store. (The in-memory store is the same FASTER store on a temporary file; the
/// difference is the block log and checkpoints.) State checkpoints are left out of the measured blocks: a node takes
/// one every 64 blocks by default, outside the block's critical path, and replays the log after it on recovery.</para>
/// <para>One block per iteration (<c>InvocationCount(1)</c>): committing changes the state, so each iteration needs the
/// next nonces, and <see cref="PrepareNextBlock"/> builds that block's transactions outside the measured time. The
/// methods that do not commit run block 1 on the genesis state every time. perf/Benchmarks/BlockProfile.cs
/// (<c>./build.sh bench --block-profile</c>) splits <see cref="ExecuteAndCommit"/> into its steps.</para>
/// </remarks>
[MemoryDiagnoser]
// The node runs workstation GC without the background (concurrent) collector (src/Engine.Native); so do these blocks.
[GcConcurrent(false)]
[InvocationCount(1)]
public class BlockBenchmarks
{
    private readonly List<Transaction> _included = new(TransferWorkload.TransfersPerBlock);
    private readonly List<Receipt> _receipts = new(TransferWorkload.TransfersPerBlock);
    private readonly BlockExecutor _executor = new();
    private readonly BlockBuilder _builder = new();
    private readonly Dictionary<Address, PlainAccount> _plainCommitted = new(TransferWorkload.AccountCount);
    private readonly Dictionary<Address, PlainAccount> _plainOverlay = new(2 * TransferWorkload.TransfersPerBlock);
    private string _directory = "";
    private Blockchain _chain = null!;
    private TransferWorkload _committed = null!;
    private Transaction[] _firstBlock = [];
    private Transaction[] _nextBlock = [];
    private Block? _lastBlock;
    private BlockContext _firstContext;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "nexusfast-bench-" + Guid.NewGuid().ToString("N"));
        _committed = new TransferWorkload();
        _chain = Blockchain.Open(_committed.ChainOptions(_directory, checkpointIntervalBlocks: ulong.MaxValue));

        // The methods that do not commit run block 1 again and again against the genesis state.
        _firstBlock = new TransferWorkload().NextBlock();
        Block genesis = _chain.Head;
        _firstContext = new BlockContext(1, genesis.Header.Timestamp + 1, TransferWorkload.Proposer, _chain.NextBaseFee, _chain.Config.BlockGasLimit);

        var balance = _chain.GetAccount(_committed.Accounts[0]).Balance;
        foreach (Address account in _committed.Accounts) _plainCommitted.Add(account, new PlainAccount(0, balance));

        // Every method must run all 10,000 transfers, not skip invalid ones: check each once before measuring.
        const ulong blockGas = TransferWorkload.TransfersPerBlock * 21_000UL;
        if (PlainDictionaryTransfers() != blockGas) throw new InvalidOperationException("the baseline skipped transfers");
        if (ExecuteOnly() != blockGas || _included.Count != TransferWorkload.TransfersPerBlock) throw new InvalidOperationException("execution skipped transfers");
        ExecuteAndSeal();
        if (_builder.Receipts.Count != TransferWorkload.TransfersPerBlock) throw new InvalidOperationException("sealing skipped transfers");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _chain.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup(Target = nameof(ExecuteAndCommit))]
    public void PrepareNextBlock() => _nextBlock = _committed.NextBlock();

    [IterationCleanup(Target = nameof(ExecuteAndCommit))]
    public void CheckCommittedBlock()
    {
        // Fail the run rather than report a block that skipped transfers.
        if (_lastBlock is null || _lastBlock.Transactions.Length != TransferWorkload.TransfersPerBlock)
            throw new InvalidOperationException($"block {_lastBlock?.Number} included {_lastBlock?.Transactions.Length} of {TransferWorkload.TransfersPerBlock} transfers");
    }

    /// <summary>
    /// The same transfers with the same checks and fee arithmetic on plain dictionaries (an overlay dictionary over a
    /// committed one): the bookkeeping with no store, journal, receipts or commitments.
    /// </summary>
    [Benchmark(Baseline = true)]
    public ulong PlainDictionaryTransfers()
    {
        _plainOverlay.Clear();
        ulong gasUsed = 0;
        UInt256 baseFee = _firstContext.BaseFee;
        foreach (Transaction tx in _firstBlock)
        {
            PlainAccount sender = LoadPlain(tx.Sender);
            if (tx.Nonce != sender.Nonce || !tx.TryGetMaxCost(out UInt256 maxCost) || sender.Balance < maxCost) continue;
            UInt256 price = tx.EffectiveGasPrice(baseFee);
            UInt256 gasCost = new UInt256(IntrinsicGas.Transaction) * price;
            _plainOverlay[tx.Sender] = new PlainAccount(sender.Nonce + 1, sender.Balance - gasCost - tx.Value);
            Address to = tx.To!.Value;
            PlainAccount recipient = LoadPlain(to);
            _plainOverlay[to] = recipient with { Balance = recipient.Balance + tx.Value };
            PlainAccount proposer = LoadPlain(_firstContext.Proposer);
            _plainOverlay[_firstContext.Proposer] = proposer with { Balance = proposer.Balance + new UInt256(IntrinsicGas.Transaction) * tx.EffectiveTip(baseFee) };
            gasUsed += IntrinsicGas.Transaction;
        }
        return gasUsed;
    }

    /// <summary>Execution alone: the block's transfers on a state overlay into reused lists, then the overlay is dropped.</summary>
    [Benchmark]
    public ulong ExecuteOnly()
    {
        _included.Clear();
        _receipts.Clear();
        using StateOverlay overlay = _chain.State.BeginBlock();
        return _executor.Build(new OverlayExecutionState(overlay), _firstContext, _firstBlock, _included, _receipts);
    }

    /// <summary>
    /// Execution and every header commitment (transactions root, receipts root, bloom, state root, block hash) as the
    /// proposer computes them, without committing: the overlay is dropped.
    /// </summary>
    [Benchmark]
    public Hash256 ExecuteAndSeal()
    {
        using StateOverlay overlay = _chain.State.BeginBlock();
        return _builder.Build(overlay, _chain.Head.Hash, _firstContext, _firstBlock).Hash;
    }

    /// <summary>
    /// The node's block production from given transactions (<see cref="Blockchain.ProduceBlock(ulong, IReadOnlyList{Transaction})"/>):
    /// execution, roots, durable block-log append and the state commit.
    /// </summary>
    [Benchmark]
    public Block ExecuteAndCommit() => _lastBlock = _chain.ProduceBlock(0, _nextBlock);

    private PlainAccount LoadPlain(Address address)
    {
        if (_plainOverlay.TryGetValue(address, out PlainAccount account)) return account;
        _plainCommitted.TryGetValue(address, out account);
        return account;
    }

    private readonly record struct PlainAccount(ulong Nonce, UInt256 Balance);
}
