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
/// block log (durable) first, then its overlay is applied to the state, then the state may be checkpointed; on open,
/// the last checkpoint is recovered and the log replayed from there (see Blockchain.Open.cs).
/// </summary>
/// <remarks>Block production, import and commit are serialized by one lock (the state thread's work);
/// submissions and queries may come from any thread.</remarks>
public sealed partial class Blockchain : IDisposable
{
    private readonly ChainOptions _options;
    private readonly StateStore _state;
    private readonly StateReader _poolReader;
    private readonly BlockStore _blocks;
    private readonly BlockExecutor _executor = new();
    private readonly SenderRecovery _senderRecovery = new();
    private readonly object _commitGate = new();
    private readonly List<Transaction> _included = new();
    private readonly List<Receipt> _receipts = new();
    private Block _head;

    public ChainConfig Config => _options.Config;

    public TxPool Pool { get; }

    public Block Head => Volatile.Read(ref _head);

    public Block Genesis { get; }

    /// <summary>The block-number of the state checkpoint recovered at open (null when the state started from genesis).</summary>
    public ulong? RecoveredCheckpoint { get; }

    /// <summary>Blocks re-executed from the log at open.</summary>
    public int ReplayedBlocks { get; }

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
        TxError error = TransactionValidator.Validate(raw, tx, Config, TxValidationMode.Policy, out detail);
        if (error != TxError.None) return error;
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
            Block parent = _head;
            var context = new BlockContext(parent.Number + 1, Math.Max(timestamp, parent.Header.Timestamp + 1),
                _options.Proposer, NextBaseFee, Config.BlockGasLimit);
            List<Transaction> candidates = Pool.SelectForBlock(context.BaseFee, context.GasLimit);

            _included.Clear();
            _receipts.Clear();
            using StateOverlay overlay = _state.BeginBlock();
            ulong gasUsed = _executor.Build(new OverlayExecutionState(overlay), context, candidates, _included, _receipts);
            Hash256 stateRoot = overlay.ComputeStateRoot();
            BlockHeader header = MakeHeader(parent, context, _included, _receipts, gasUsed, stateRoot);
            var block = new Block(header, Ledger.Codec.BlockHeaderCodec.ComputeHash(header), _included.ToArray());
            Commit(block, _receipts, overlay);
            return block;
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
            Block parent = _head;
            if (block.Overrides.Length > 0)
                throw new BlockImportException(block.Number, "it carries development account edits, which only a node's own log may hold");
            CheckLinkage(parent, block);
            var errors = new TxError[block.Transactions.Length];
            _senderRecovery.RecoverSenders(block.Transactions, errors);
            for (int i = 0; i < errors.Length; i++)
            {
                if (errors[i] != TxError.None)
                    throw new BlockImportException(block.Number, $"transaction {i} ({block.Transactions[i].Hash}): {TxErrorText.Describe(errors[i])}");
            }
            _receipts.Clear();
            using StateOverlay overlay = _state.BeginBlock();
            ExecuteAndVerify(block, overlay, _receipts);
            Commit(block, _receipts, overlay);
        }
    }

    public Account GetAccount(Address address)
    {
        lock (_commitGate) return _state.GetAccount(address);
    }

    public void Dispose()
    {
        lock (_commitGate)
        {
            _poolReader.Dispose();
            _blocks.Dispose();
            _state.Dispose();
        }
    }

    /// <summary>Makes a block final: durable in the log first, then applied to the state, then maybe checkpointed.</summary>
    private void Commit(Block block, List<Receipt> receipts, StateOverlay overlay)
    {
        _blocks.Append(block, receipts);
        Hash256 root = overlay.Commit();
        Invariant.Check(root == block.Header.StateRoot);
        Volatile.Write(ref _head, block);
        Pool.OnBlockCommitted(block.Transactions);
        if (block.Overrides.Length > 0) Pool.OnAccountsEdited(block.Overrides);
        MaybeCheckpoint(block.Number);
    }

    private void MaybeCheckpoint(ulong number)
    {
        ulong interval = Math.Max(1, _options.CheckpointIntervalBlocks);
        if (_state.IsDurable && number % interval == 0) _state.Checkpoint(number);
    }

    private BlockHeader MakeHeader(Block parent, in BlockContext context, List<Transaction> transactions, List<Receipt> receipts,
        ulong gasUsed, Hash256 stateRoot) => new()
    {
        ParentHash = parent.Hash,
        Number = context.Number,
        Timestamp = context.Timestamp,
        Proposer = context.Proposer,
        TransactionsRoot = BlockAssembler.TransactionsRoot(transactions),
        ReceiptsRoot = BlockAssembler.ReceiptsRoot(receipts),
        StateRoot = stateRoot,
        GasUsed = gasUsed,
        GasLimit = context.GasLimit,
        BaseFeePerGas = context.BaseFee,
        LogsBloom = BlockAssembler.Bloom(receipts),
    };

    private void CheckLinkage(Block parent, Block block)
    {
        BlockHeader header = block.Header;
        if (header.Number != parent.Number + 1) throw new BlockImportException(header.Number, $"the head is block {parent.Number}");
        if (header.ParentHash != parent.Hash) throw new BlockImportException(header.Number, $"parent hash {header.ParentHash} is not the head {parent.Hash}");
        if (header.Timestamp <= parent.Header.Timestamp) throw new BlockImportException(header.Number, "timestamp not after the parent's");
        if (header.GasLimit != Config.BlockGasLimit) throw new BlockImportException(header.Number, $"gas limit {header.GasLimit}, the chain's is {Config.BlockGasLimit}");
        UInt256 baseFee = FeeMarket.NextBaseFee(Config, parent.Header.GasUsed, parent.Header.GasLimit, parent.Header.BaseFeePerGas);
        if (header.BaseFeePerGas != baseFee) throw new BlockImportException(header.Number, $"base fee {header.BaseFeePerGas}, expected {baseFee}");
        if (block.Hash != Ledger.Codec.BlockHeaderCodec.ComputeHash(header)) throw new BlockImportException(header.Number, "hash does not match the header");
    }

    /// <summary>Re-executes a block on an open overlay and checks every commitment of its header.</summary>
    private void ExecuteAndVerify(Block block, StateOverlay overlay, List<Receipt> receipts)
    {
        BlockHeader header = block.Header;
        var context = new BlockContext(header.Number, header.Timestamp, header.Proposer, header.BaseFeePerGas, header.GasLimit);
        ApplyOverrides(block.Overrides, overlay);
        (int index, TxError error) = _executor.Import(new OverlayExecutionState(overlay), context, block.Transactions, receipts, out ulong gasUsed);
        if (error != TxError.None)
            throw new BlockImportException(header.Number, $"transaction {index} ({block.Transactions[index].Hash}) is invalid: {TxErrorText.Describe(error)}");
        if (gasUsed != header.GasUsed) throw new BlockImportException(header.Number, $"gas used {gasUsed}, header says {header.GasUsed}");
        Hash256 txRoot = BlockAssembler.TransactionsRoot(block.Transactions);
        if (txRoot != header.TransactionsRoot) throw new BlockImportException(header.Number, $"transactions root {txRoot}, header says {header.TransactionsRoot}");
        Hash256 receiptsRoot = BlockAssembler.ReceiptsRoot(receipts);
        if (receiptsRoot != header.ReceiptsRoot) throw new BlockImportException(header.Number, $"receipts root {receiptsRoot}, header says {header.ReceiptsRoot}");
        if (!BlockAssembler.Bloom(receipts).Equals(header.LogsBloom)) throw new BlockImportException(header.Number, "logs bloom differs from the header's");
        Hash256 stateRoot = overlay.ComputeStateRoot();
        if (stateRoot != header.StateRoot) throw new BlockImportException(header.Number, $"state root {stateRoot}, header says {header.StateRoot}");
    }
}
