using System.Diagnostics;
using System.Runtime.ExceptionServices;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.Storage;

namespace NexusFast.Engine.Chain;

/// <summary>
/// One validator's chain: admits transactions into the pool, builds or imports blocks, and commits them durably
/// (DESIGN.md data flow). Commit order is what makes a reported block survive a crash: the block is appended to the
/// block log (durable) and its overlay applied to the state, then it becomes the head, then the state may be
/// checkpointed; on open, the last checkpoint is recovered and the log replayed from there (see Blockchain.Open.cs).
/// </summary>
/// <remarks>Block production, import and commit are serialized by one lock (the state thread's work);
/// submissions and queries may come from any thread.</remarks>
public sealed partial class Blockchain : IDisposable
{
    private readonly ChainOptions _options;
    private readonly StateStore _state;
    private readonly StateReader _poolReader;
    private readonly BlockStore _blocks;
    private readonly BlockBuilder _builder = new();
    private readonly SenderRecovery _senderRecovery;
    private readonly object _commitGate = new();
    private Block _head;
    private string? _failure;

    public ChainConfig Config => _options.Config;

    public TxPool Pool { get; }

    /// <summary>
    /// Where concurrent submissions meet: decoded transactions queue (bounded) for one batch sender recovery on every
    /// core, then enter <see cref="Pool"/>. The RPC's eth_sendRawTransaction goes through it.
    /// </summary>
    public IngestPipeline Ingest { get; }

    /// <summary>
    /// Where ingest takes transaction objects and where blocks leaving the cache return them; readers of this chain's
    /// blocks and pool (RPC requests) hold a <see cref="TransactionRecycler.EnterRead"/> scope while they use them.
    /// </summary>
    public TransactionRecycler Recycler { get; } = new();

    public Block Head => Volatile.Read(ref _head);

    public Block Genesis { get; }

    /// <summary>The block-number of the state checkpoint recovered at open (null when the state started from genesis).</summary>
    public ulong? RecoveredCheckpoint { get; }

    /// <summary>Blocks re-executed from the log at open.</summary>
    public int ReplayedBlocks { get; }

    /// <summary>
    /// Whether opening checked the configured genesis through the data directory's digest of its allocations instead of
    /// rebuilding the genesis state (see GenesisDigest).
    /// </summary>
    public bool GenesisCheckedByDigest { get; private set; }

    /// <summary>Where the last produced or imported block's time went.</summary>
    public BlockTimings LastBlockTimings { get; private set; }

    public StateStore State => _state;

    public BlockStore Blocks => _blocks;

    /// <summary>The base fee the next block will charge.</summary>
    public UInt256 NextBaseFee
    {
        get
        {
            BlockHeader head = Head.Header;
            return FeeMarket.NextBaseFee(Config, head.GasUsed, head.GasLimit, head.BaseFeePerGas);
        }
    }

    /// <summary>
    /// Decodes, checks (stateless rules and node policy) and recovers the sender of a raw transaction, then offers it
    /// to the pool. Returns None or the reason it was refused; a refused transaction changes nothing.
    /// </summary>
    public TxError SubmitRawTransaction(ReadOnlySpan<byte> raw, out Transaction tx, out string detail)
    {
        tx = new Transaction();
        TxError error = TransactionValidator.DecodeAndCheck(raw, tx, Config, TxValidationMode.Policy, out detail);
        if (error != TxError.None) return error;
        error = _senderRecovery.Recover(tx);
        if (error != TxError.None)
        {
            detail = TransactionValidator.DescribeRejection(error, tx, Config);
            return error;
        }
        error = Pool.TryAdd(tx);
        detail = error == TxError.None ? string.Empty : TxErrorText.Describe(error);
        return error;
    }

    /// <summary>
    /// Admits many raw transactions with one batch sender recovery spread over all cores (a JSON-RPC batch, a gossip
    /// bundle). <paramref name="results"/> receives each one's outcome, in order.
    /// </summary>
    public void SubmitRawTransactions(IReadOnlyList<byte[]> raws, Span<TxError> results, Transaction[] decoded)
    {
        Invariant.Check(results.Length >= raws.Count && decoded.Length >= raws.Count);
        var checkedTxs = new List<Transaction>(raws.Count);
        var positions = new List<int>(raws.Count);
        for (int i = 0; i < raws.Count; i++)
        {
            var tx = new Transaction();
            decoded[i] = tx;
            results[i] = TransactionValidator.DecodeAndCheck(raws[i], tx, Config, TxValidationMode.Policy, out _);
            if (results[i] != TxError.None) continue;
            checkedTxs.Add(tx);
            positions.Add(i);
        }
        Span<TxError> recovered = checkedTxs.Count <= 1024 ? stackalloc TxError[checkedTxs.Count] : new TxError[checkedTxs.Count];
        _senderRecovery.RecoverSenders(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(checkedTxs), recovered);
        for (int k = 0; k < checkedTxs.Count; k++)
        {
            results[positions[k]] = recovered[k] != TxError.None ? recovered[k] : Pool.TryAdd(checkedTxs[k]);
        }
    }

    /// <summary>
    /// Builds the next block from the pool's best ready transactions, executes it, commits it durably and returns it.
    /// The timestamp is raised to the parent's plus one when needed (timestamps strictly increase).
    /// </summary>
    public Block ProduceBlock(ulong timestamp)
    {
        lock (_commitGate)
        {
            EnsureCommitting();
            DropCandidate();
            BlockContext context = NextContext(timestamp);
            return ProduceLocked(context, Pool.SelectForBlock(context.BaseFee, context.GasLimit));
        }
    }

    /// <summary>
    /// Builds, executes and commits the next block from <paramref name="candidates"/> instead of the pool: transactions
    /// that passed the stateless rules and whose senders are recovered, in the order to try them (those invalid
    /// against the state are skipped, as from the pool). For tools and benchmarks that decide a block's content.
    /// </summary>
    public Block ProduceBlock(ulong timestamp, IReadOnlyList<Transaction> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        foreach (Transaction tx in candidates)
        {
            if (!tx.HasSender) throw new ArgumentException($"transaction {tx.Hash} has no recovered sender", nameof(candidates));
        }
        lock (_commitGate)
        {
            EnsureCommitting();
            DropCandidate();
            return ProduceLocked(NextContext(timestamp), candidates);
        }
    }

    /// <summary>
    /// Imports a block built elsewhere: checks that it follows the head, recovers every sender in one parallel batch,
    /// re-executes it and compares every root with its header before committing. Throws
    /// <see cref="BlockImportException"/> (nothing changed) when anything disagrees.
    /// </summary>
    public void ImportBlock(Block block)
    {
        lock (_commitGate)
        {
            EnsureCommitting();
            DropCandidate();
            CheckImportable(block);
            using StateOverlay overlay = _state.BeginBlock();
            _builder.ExecuteAndVerify(overlay, block);
            Commit(block, _builder.Receipts, overlay, _builder.LastTimings);
        }
    }

    public Account GetAccount(Address address)
    {
        lock (_commitGate) return _state.GetAccount(address);
    }

    public void Dispose()
    {
        Ingest.Dispose();
        lock (_commitGate)
        {
            DropCandidate();
            _poolReader.Dispose();
            _blocks.Dispose();
            _state.Dispose();
        }
    }

    private BlockContext NextContext(ulong timestamp) => NextContext(timestamp, _options.Proposer);

    /// <param name="gapSecondsMin">How far after the parent's the timestamp is raised at least: 1 for blocks this node
    /// mines by itself (as anvil does), 0 for consensus candidates (see <see cref="BuildCandidate"/>).</param>
    private BlockContext NextContext(ulong timestamp, Address proposer, ulong gapSecondsMin = 1)
    {
        Block parent = _head;
        return new BlockContext(parent.Number + 1, Math.Max(timestamp, parent.Header.Timestamp + gapSecondsMin), proposer, NextBaseFee, Config.BlockGasLimit);
    }

    /// <summary>
    /// What a block from elsewhere must pass before it is executed: no development edits, it follows the head, and every
    /// sender recovers (one parallel batch).
    /// </summary>
    private void CheckImportable(Block block)
    {
        if (block.Overrides.Length > 0)
            throw new BlockImportException(block.Number, "it carries development account edits, which only a node's own log may hold");
        CheckLinkage(_head, block);
        Transaction[] transactions = block.Transactions;
        Transaction[] unrecovered = TakeSendersFromPool(transactions);
        var errors = new TxError[unrecovered.Length];
        _senderRecovery.RecoverSenders(unrecovered, errors);
        for (int i = 0; i < errors.Length; i++)
        {
            if (errors[i] != TxError.None)
            {
                int index = Array.IndexOf(transactions, unrecovered[i]);
                throw new BlockImportException(block.Number, $"transaction {index} ({unrecovered[i].Hash}): {TxErrorText.Describe(errors[i])}");
            }
        }
    }

    /// <summary>Senders of imported or verified blocks' transactions taken from the pool instead of recovered again.</summary>
    public long SendersFromPoolCount { get; private set; }

    /// <summary>
    /// A validator has usually admitted most of a proposed block's transactions already (gossip reaches it before the
    /// proposal), and recovered their senders then: the hash commits to the signature and every signed field, so the
    /// sender of a pooled transaction with the same hash is the sender. Those take it from the pool; the rest are
    /// returned for batch recovery. ML-DSA transactions always go to recovery, which also resolves their key.
    /// </summary>
    private Transaction[] TakeSendersFromPool(Transaction[] transactions)
    {
        var unrecovered = new List<Transaction>();
        foreach (Transaction tx in transactions)
        {
            if (tx.Type != TxType.MlDsa && Pool.TryGetSender(tx.Hash, out Address sender))
            {
                tx.Sender = sender;
                tx.HasSender = true;
                SendersFromPoolCount++;
            }
            else
            {
                unrecovered.Add(tx);
            }
        }
        return unrecovered.Count == transactions.Length ? transactions : [.. unrecovered];
    }

    private Block ProduceLocked(in BlockContext context, IReadOnlyList<Transaction> candidates)
    {
        using StateOverlay overlay = _state.BeginBlock();
        Block block = _builder.Build(overlay, _head.Hash, context, candidates);
        Commit(block, _builder.Receipts, overlay, _builder.LastTimings);
        return block;
    }

    /// <summary>
    /// Makes a block final: durable in the block log and applied to the state, then published as the head, then maybe
    /// checkpointed. The append to the log (encoding, a device write and its flush, the indexes) runs on a thread of its
    /// own while this thread applies the state (FASTER upserts, CPU only, half of them on a pool thread): for 50,000
    /// transfers each takes tens of milliseconds and neither needs the other (perf/Benchmarks/BlockProfile.cs). The
    /// append is not a pool work item because FASTER completes its device writes and commits on the pool: with the
    /// apply's two halves on two pool workers (the pool keeps one per core) and the append on a third, the write
    /// would wait for the apply to finish. Durability still comes from the log alone: the head moves, the pool
    /// hears of the block and a checkpoint may be taken only once both are done, so no checkpoint holds the state of a
    /// block the log lacks. If either step fails the chain stops committing (see <see cref="EnsureCommitting"/>);
    /// reopening recovers the last checkpoint and replays the log, which holds exactly the blocks whose append returned.
    /// </summary>
    private void Commit(Block block, IReadOnlyList<Receipt> receipts, StateOverlay overlay, BlockTimings built, CommitCertificate? certificate = null)
    {
        long start = Stopwatch.GetTimestamp();
        Task<double> append = Task.Factory.StartNew(() =>
        {
            _blocks.Append(block, receipts, certificate);
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        (Hash256 Root, double ElapsedMs) applied = default;
        Exception? applyFailure = null;
        try
        {
            applied.Root = overlay.Commit();
            applied.ElapsedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        catch (Exception e)
        {
            applyFailure = e;
        }

        double appendMs = 0;
        Exception? appendFailure = null;
        try
        {
            appendMs = append.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            appendFailure = e;
        }

        if (applyFailure is not null)
        {
            _failure = $"applying block {block.Number} to the state failed ({applyFailure.Message})";
            if (appendFailure is not null) throw new AggregateException($"committing block {block.Number} failed", appendFailure, applyFailure);
            ExceptionDispatchInfo.Throw(applyFailure);
        }
        if (appendFailure is not null)
        {
            // The state now holds a block the log does not: only a restart (checkpoint + replay) makes them agree again.
            _failure = $"appending block {block.Number} to the block log failed ({appendFailure.Message})";
            ExceptionDispatchInfo.Throw(appendFailure);
        }

        Invariant.Check(applied.Root == block.Header.StateRoot);
        Volatile.Write(ref _head, block);
        LastBlockTimings = built with
        {
            LogAppendMs = appendMs,
            StateApplyMs = applied.ElapsedMs,
            TotalMs = built.TotalMs + Stopwatch.GetElapsedTime(start).TotalMilliseconds,
        };
        Pool.OnBlockCommitted(block.Transactions);
        if (block.Overrides.Length > 0) Pool.OnAccountsEdited(block.Overrides);
        MaybeCheckpoint(block.Number);
    }

    /// <summary>After a failed commit the state and the log may disagree: refuse to build on them.</summary>
    private void EnsureCommitting()
    {
        if (_failure is not null) ThrowStopped(_failure);
    }

    [DoesNotReturn]
    private static void ThrowStopped(string failure) => throw new InvalidOperationException(
        $"the chain stopped committing: {failure}; reopen it (the last checkpoint is recovered and the block log replayed)");

    private void MaybeCheckpoint(ulong number)
    {
        ulong interval = Math.Max(1, _options.CheckpointIntervalBlocks);
        if (_state.IsDurable && number % interval == 0) _state.Checkpoint(number);
    }

    private void CheckLinkage(Block parent, Block block)
    {
        BlockHeader header = block.Header;
        if (header.Number != parent.Number + 1) throw new BlockImportException(header.Number, $"the head is block {parent.Number}");
        if (header.ParentHash != parent.Hash) throw new BlockImportException(header.Number, $"parent hash {header.ParentHash} is not the head {parent.Hash}");
        // Not before the parent's: timestamps are whole seconds, and a BFT chain commits several blocks a second.
        if (header.Timestamp < parent.Header.Timestamp) throw new BlockImportException(header.Number, "timestamp before the parent's");
        if (header.GasLimit != Config.BlockGasLimit) throw new BlockImportException(header.Number, $"gas limit {header.GasLimit}, the chain's is {Config.BlockGasLimit}");
        UInt256 baseFee = FeeMarket.NextBaseFee(Config, parent.Header.GasUsed, parent.Header.GasLimit, parent.Header.BaseFeePerGas);
        if (header.BaseFeePerGas != baseFee) throw new BlockImportException(header.Number, $"base fee {header.BaseFeePerGas}, expected {baseFee}");
        if (block.Hash != Ledger.Codec.BlockHeaderCodec.ComputeHash(header)) throw new BlockImportException(header.Number, "hash does not match the header");
    }
}
