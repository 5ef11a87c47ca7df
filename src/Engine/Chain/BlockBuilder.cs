using System.Diagnostics;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Diagnostics;
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
    private Address[] _touched = [];

    /// <summary>The receipts of the last block built or verified, in block order; overwritten by the next call.</summary>
    public IReadOnlyList<Receipt> Receipts => _receipts;

    /// <summary>Execution and commitment steps of the last block built or verified (the commit steps stay zero here).</summary>
    public BlockTimings LastTimings { get; private set; }

    /// <summary>
    /// Proposer: applies the candidates that are valid against the state (skipping the others), seals the overlay
    /// with the state root and returns the block. The overlay stays open for the caller to commit or drop.
    /// </summary>
    /// <param name="overrides">Development account edits (anvil_setBalance/anvil_setNonce) applied before the transactions
    /// and carried by the block so that replay applies them again; empty on a real chain.</param>
    /// <param name="parentCommit">The certificate that committed the parent (consensus blocks after block 1); empty otherwise.</param>
    /// <param name="evidence">Verified double-vote evidence to report; entries whose offence the state already records, or
    /// that repeat one earlier in the list, are left out (as invalid transactions are).</param>
    public Block Build(StateOverlay overlay, in Hash256 parentHash, in BlockContext context, IReadOnlyList<Transaction> candidates,
        AccountOverride[]? overrides = null, CommitCertificate? parentCommit = null, IReadOnlyList<DuplicateVoteEvidence>? evidence = null)
    {
        _included.Clear();
        _receipts.Clear();
        long start = Stopwatch.GetTimestamp();
        overrides ??= [];
        ApplyOverrides(overrides, overlay);
        Preload(overlay, candidates, context.Proposer);
        var state = new OverlayExecutionState(overlay);
        ulong gasUsed = _executor.Build(state, context, candidates, _included, _receipts);
        DuplicateVoteEvidence[] reported = RecordNewEvidence(state, context.Number, evidence ?? []);
        (Hash256 stateRoot, BodyCommitments body) = ComputeCommitments(overlay, _included, start);
        var header = new BlockHeader
        {
            ParentHash = parentHash,
            Number = context.Number,
            Timestamp = context.Timestamp,
            Proposer = context.Proposer,
            TransactionsRoot = body.TransactionsRoot,
            ReceiptsRoot = body.ReceiptsRoot,
            StateRoot = stateRoot,
            GasUsed = gasUsed,
            GasLimit = context.GasLimit,
            BaseFeePerGas = context.BaseFee,
            LogsBloom = body.Bloom,
            ParentCommit = parentCommit ?? CommitCertificate.Empty,
            EvidenceRoot = BlockAssembler.EvidenceRoot(reported),
        };
        return new Block(header, BlockHeaderCodec.ComputeHash(header), _included.ToArray(), overrides, reported);
    }

    /// <summary>
    /// Validator and recovery replay: re-executes a block whose senders are recovered and checks every commitment of its
    /// header. Throws <see cref="BlockImportException"/> at the first disagreement; the overlay is then left for the
    /// caller to drop.
    /// </summary>
    public void ExecuteAndVerify(StateOverlay overlay, Block block)
    {
        _receipts.Clear();
        long start = Stopwatch.GetTimestamp();
        BlockHeader header = block.Header;
        var context = new BlockContext(header.Number, header.Timestamp, header.Proposer, header.BaseFeePerGas, header.GasLimit);
        ApplyOverrides(block.Overrides, overlay);
        Preload(overlay, block.Transactions, header.Proposer);
        (int index, TxError error) = _executor.Import(new OverlayExecutionState(overlay), context, block.Transactions, _receipts, out ulong gasUsed);
        if (error != TxError.None)
            throw new BlockImportException(header.Number, $"transaction {index} ({block.Transactions[index].Hash}) is invalid: {TxErrorText.Describe(error)}");
        if (gasUsed != header.GasUsed) throw new BlockImportException(header.Number, $"gas used {gasUsed}, header says {header.GasUsed}");
        RecordEvidence(new OverlayExecutionState(overlay), block);
        (Hash256 stateRoot, BodyCommitments body) = ComputeCommitments(overlay, block.Transactions, start);
        if (body.TransactionsRoot != header.TransactionsRoot)
            throw new BlockImportException(header.Number, $"transactions root {body.TransactionsRoot}, header says {header.TransactionsRoot}");
        if (body.ReceiptsRoot != header.ReceiptsRoot)
            throw new BlockImportException(header.Number, $"receipts root {body.ReceiptsRoot}, header says {header.ReceiptsRoot}");
        if (!body.Bloom.Equals(header.LogsBloom)) throw new BlockImportException(header.Number, "logs bloom differs from the header's");
        if (stateRoot != header.StateRoot) throw new BlockImportException(header.Number, $"state root {stateRoot}, header says {header.StateRoot}");
    }

    /// <summary>Records the offences of <paramref name="evidence"/> not yet on record; returns those it recorded.</summary>
    private static DuplicateVoteEvidence[] RecordNewEvidence(OverlayExecutionState state, ulong number, IReadOnlyList<DuplicateVoteEvidence> evidence)
    {
        if (evidence.Count == 0) return [];
        var reported = new List<DuplicateVoteEvidence>(evidence.Count);
        foreach (DuplicateVoteEvidence entry in evidence)
        {
            // Recording happens as it goes, so a repeat of an earlier entry's offence reads as recorded too.
            if (EvidenceRegistry.IsRecorded(state, entry)) continue;
            EvidenceRegistry.Record(state, entry, number);
            reported.Add(entry);
        }
        return reported.ToArray();
    }

    /// <summary>A block's evidence must match its header's root and report only offences not yet on record.</summary>
    private static void RecordEvidence(OverlayExecutionState state, Block block)
    {
        Hash256 root = BlockAssembler.EvidenceRoot(block.Evidence);
        if (root != block.Header.EvidenceRoot)
            throw new BlockImportException(block.Number, $"evidence root {root}, header says {block.Header.EvidenceRoot}");
        for (int i = 0; i < block.Evidence.Length; i++)
        {
            DuplicateVoteEvidence entry = block.Evidence[i];
            if (EvidenceRegistry.IsRecorded(state, entry))
                throw new BlockImportException(block.Number, $"evidence {i} reports the double vote of {entry.Validator} at height {entry.Height} round {entry.First.Round}, which is already on record");
            EvidenceRegistry.Record(state, entry, block.Number);
        }
    }

    /// <summary>
    /// Has the accounts the transactions will touch (the proposer, then each sender and recipient, in block order) read
    /// on another core while the block executes (<see cref="StateOverlay.Preload"/>): a large block among many accounts
    /// otherwise spends much of its execution waiting for FASTER reads one at a time.
    /// </summary>
    private void Preload(StateOverlay overlay, IReadOnlyList<Transaction> transactions, in Address proposer)
    {
        int count = 0;
        if (_touched.Length < 2 * transactions.Count + 1) _touched = new Address[2 * transactions.Count + 1];
        _touched[count++] = proposer;
        for (int i = 0; i < transactions.Count; i++)
        {
            Transaction tx = transactions[i];
            _touched[count++] = tx.Sender;
            if (tx.To is { } to) _touched[count++] = to;
        }
        overlay.Preload(_touched.AsSpan(0, count));
    }

    private static void ApplyOverrides(AccountOverride[] edits, StateOverlay overlay)
    {
        foreach (AccountOverride edit in edits)
        {
            Account account = overlay.GetAccount(edit.Address);
            overlay.SetAccount(edit.Address, account.WithNonce(edit.Nonce).WithBalance(edit.Balance));
        }
    }

    /// <summary>
    /// The header's commitments once the transactions ran. They do not depend on each other, so the body's (transactions
    /// root, receipts root, bloom: about 15 ms of single-threaded hashing for 10,000 transfers) are computed on a pool
    /// thread while this thread seals the overlay with the state root (whose walk of a large tree takes both cores part
    /// of the time; see BlockProfile's step timings). Both are always finished when this returns, failed or not.
    /// </summary>
    private (Hash256 StateRoot, BodyCommitments Body) ComputeCommitments(StateOverlay overlay, IReadOnlyList<Transaction> transactions, long start)
    {
        IReadOnlyList<Receipt> receipts = _receipts;
        long executed = Stopwatch.GetTimestamp();
        Task<BodyCommitments> body = Task.Run(() =>
        {
            long begun = Stopwatch.GetTimestamp();
            Hash256 transactionsRoot = BlockAssembler.TransactionsRoot(transactions);
            Hash256 receiptsRoot = BlockAssembler.ReceiptsRoot(receipts);
            LogsBloom bloom = BlockAssembler.Bloom(receipts);
            return new BodyCommitments(transactionsRoot, receiptsRoot, bloom, Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
        });
        Hash256 stateRoot;
        try
        {
            stateRoot = overlay.ComputeStateRoot();
        }
        catch
        {
            // The body task reads the builder's lists: let it finish before they can be reused. Its own failure, if
            // any, is secondary to this one.
            TaskWaits.WaitQuietly(body);
            throw;
        }
        long sealedAt = Stopwatch.GetTimestamp();
        BodyCommitments commitments = body.GetAwaiter().GetResult();
        LastTimings = new BlockTimings
        {
            ExecuteMs = Stopwatch.GetElapsedTime(start, executed).TotalMilliseconds,
            StateRootMs = Stopwatch.GetElapsedTime(executed, sealedAt).TotalMilliseconds,
            BodyCommitmentsMs = commitments.ElapsedMs,
            TotalMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds,
        };
        return (stateRoot, commitments);
    }

    private readonly record struct BodyCommitments(Hash256 TransactionsRoot, Hash256 ReceiptsRoot, LogsBloom Bloom, double ElapsedMs);
}
