using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Chain;

/// <summary>
/// Executes one block on an open state overlay and derives the commitments of its header: transactions root, receipts
/// root, logs bloom and state root (DESIGN.md data flow, steps 5 and 6). <see cref="Blockchain"/> produces and imports
/// blocks through it, and perf/Benchmarks/BlockBenchmarks.cs drives the same object, so the benchmark measures the
/// node's own path. The included-transaction and receipt lists are reused from block to block.
/// </summary>
/// <remarks>One thread (the state thread) uses a builder; <see cref="Receipts"/> belong to the last call.</remarks>
public sealed class BlockBuilder
{
    private readonly BlockExecutor _executor = new();
    private readonly List<Transaction> _included = new();
    private readonly List<Receipt> _receipts = new();

    /// <summary>The receipts of the last block built or verified, in block order; overwritten by the next call.</summary>
    public IReadOnlyList<Receipt> Receipts => _receipts;

    /// <summary>
    /// Proposer: applies the candidates that are valid against the state (skipping the others), seals the overlay
    /// with the state root and returns the block. The overlay stays open for the caller to commit or drop.
    /// </summary>
    public Block Build(StateOverlay overlay, in Hash256 parentHash, in BlockContext context, IReadOnlyList<Transaction> candidates)
    {
        _included.Clear();
        _receipts.Clear();
        ulong gasUsed = _executor.Build(new OverlayExecutionState(overlay), context, candidates, _included, _receipts);
        var header = new BlockHeader
        {
            ParentHash = parentHash,
            Number = context.Number,
            Timestamp = context.Timestamp,
            Proposer = context.Proposer,
            TransactionsRoot = BlockAssembler.TransactionsRoot(_included),
            ReceiptsRoot = BlockAssembler.ReceiptsRoot(_receipts),
            StateRoot = overlay.ComputeStateRoot(),
            GasUsed = gasUsed,
            GasLimit = context.GasLimit,
            BaseFeePerGas = context.BaseFee,
            LogsBloom = BlockAssembler.Bloom(_receipts),
        };
        return new Block(header, BlockHeaderCodec.ComputeHash(header), _included.ToArray());
    }

    /// <summary>
    /// Validator and recovery replay: re-executes a block whose senders are recovered and checks every commitment of its
    /// header. Throws <see cref="BlockImportException"/> at the first disagreement; the overlay is then left for the
    /// caller to drop.
    /// </summary>
    public void ExecuteAndVerify(StateOverlay overlay, Block block)
    {
        _receipts.Clear();
        BlockHeader header = block.Header;
        var context = new BlockContext(header.Number, header.Timestamp, header.Proposer, header.BaseFeePerGas, header.GasLimit);
        (int index, TxError error) = _executor.Import(new OverlayExecutionState(overlay), context, block.Transactions, _receipts, out ulong gasUsed);
        if (error != TxError.None)
            throw new BlockImportException(header.Number, $"transaction {index} ({block.Transactions[index].Hash}) is invalid: {TxErrorText.Describe(error)}");
        if (gasUsed != header.GasUsed) throw new BlockImportException(header.Number, $"gas used {gasUsed}, header says {header.GasUsed}");
        Hash256 txRoot = BlockAssembler.TransactionsRoot(block.Transactions);
        if (txRoot != header.TransactionsRoot) throw new BlockImportException(header.Number, $"transactions root {txRoot}, header says {header.TransactionsRoot}");
        Hash256 receiptsRoot = BlockAssembler.ReceiptsRoot(_receipts);
        if (receiptsRoot != header.ReceiptsRoot) throw new BlockImportException(header.Number, $"receipts root {receiptsRoot}, header says {header.ReceiptsRoot}");
        if (!BlockAssembler.Bloom(_receipts).Equals(header.LogsBloom)) throw new BlockImportException(header.Number, "logs bloom differs from the header's");
        Hash256 stateRoot = overlay.ComputeStateRoot();
        if (stateRoot != header.StateRoot) throw new BlockImportException(header.Number, $"state root {stateRoot}, header says {header.StateRoot}");
    }
}
