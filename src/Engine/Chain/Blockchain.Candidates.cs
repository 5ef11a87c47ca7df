using NexusFast.Engine.Consensus;
using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Chain;

/// <summary>
/// Blocks under consensus (DESIGN.md data flow, steps 5 and 6): a proposer builds a candidate on a state overlay without
/// committing it, validators verify one by re-executing it, and only the block consensus decides is committed, with the
/// certificate that decided it. The overlay of the last candidate built or verified stays open (sealed) until the next
/// candidate or the commit, so that committing the block that was just verified (the usual case: propose, verify, vote,
/// commit) neither executes it a third time nor computes its state root again. The store has one block overlay, so
/// anything else that begins a block (a dev block, an import, a checkpoint) first drops the candidate; calls and
/// committed reads do not touch it (<see cref="StateStore.BeginSimulation"/>, the committed sessions).
/// </summary>
public sealed partial class Blockchain
{
    private Candidate? _candidate;

    /// <summary>
    /// Builds the next block from the pool's best ready transactions, proposed by <paramref name="proposer"/> (its tips go
    /// there), carrying <paramref name="parentCommit"/> (empty for block 1) and the offences of
    /// <paramref name="evidence"/> not yet on record (the caller has verified the evidence). Nothing is committed; the
    /// block stays the candidate until <see cref="CommitCandidate"/> or another candidate. The timestamp is raised to
    /// the parent's when needed, not past it: consensus commits several blocks a second, and blocks that each added a
    /// second would run ahead of the clock until validators refuse them as too far in the future.
    /// </summary>
    public Block BuildCandidate(ulong timestamp, Address proposer, CommitCertificate parentCommit, IReadOnlyList<DuplicateVoteEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(parentCommit);
        ArgumentNullException.ThrowIfNull(evidence);
        lock (_commitGate)
        {
            EnsureCommitting();
            DropCandidate();
            BlockContext context = NextContext(timestamp, proposer, gapSecondsMin: 0);
            List<Transaction> transactions = Pool.SelectForBlock(context.BaseFee, context.GasLimit);
            StateOverlay overlay = _state.BeginBlock();
            try
            {
                Block block = _builder.Build(overlay, _head.Hash, context, transactions, null, parentCommit, evidence);
                _candidate = new Candidate(block, [.. _builder.Receipts], overlay, _builder.LastTimings);
                return block;
            }
            catch
            {
                overlay.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Checks a block built elsewhere as <see cref="ImportBlock"/> does (follows the head, no development edits, senders
    /// recovered in one parallel batch, re-executed with every root compared) without committing it; it becomes the
    /// candidate. A block with the candidate's hash passes at once (a header commits to all of a block's content).
    /// Throws <see cref="BlockImportException"/> when anything disagrees (the candidate is then dropped).
    /// </summary>
    public void VerifyCandidate(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        lock (_commitGate)
        {
            EnsureCommitting();
            if (_candidate is { } current && current.Block.Hash == block.Hash) return;
            DropCandidate();
            CheckImportable(block);
            StateOverlay overlay = _state.BeginBlock();
            try
            {
                _builder.ExecuteAndVerify(overlay, block);
                _candidate = new Candidate(block, [.. _builder.Receipts], overlay, _builder.LastTimings);
            }
            catch
            {
                overlay.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Commits the block consensus decided, durably with <paramref name="certificate"/> (which the block log keeps beside
    /// it: see <see cref="Storage.BlockStore.TryGetCommit"/>). The candidate's overlay is applied when it is this block;
    /// otherwise the block is checked and executed now, as <see cref="ImportBlock"/> does. Throws
    /// <see cref="BlockImportException"/> (nothing committed) when it does not execute to its header.
    /// </summary>
    public void CommitCandidate(Block block, CommitCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(certificate);
        lock (_commitGate)
        {
            EnsureCommitting();
            if (_candidate is { } held && held.Block.Hash == block.Hash)
            {
                ReusedCandidateCount++;
            }
            else
            {
                VerifyCandidate(block);
            }
            Candidate candidate = _candidate!;
            _candidate = null;
            using StateOverlay overlay = candidate.Overlay;
            Commit(candidate.Block, candidate.Receipts, overlay, candidate.Timings, certificate);
        }
    }

    /// <summary>Commits that applied the overlay of the candidate built or verified before, instead of executing again.</summary>
    public long ReusedCandidateCount { get; private set; }

    /// <summary>The block held as candidate (built or verified, not committed), if any.</summary>
    public Block? CandidateBlock
    {
        get
        {
            lock (_commitGate) return _candidate?.Block;
        }
    }

    /// <summary>The certificate stored with the head, or empty when it has none (the genesis, a block not decided by consensus).</summary>
    public CommitCertificate HeadCommit
    {
        get
        {
            lock (_commitGate) return _blocks.TryGetCommit(_head.Number, out CommitCertificate? commit) ? commit : CommitCertificate.Empty;
        }
    }

    /// <summary>Whether the committed state records the offence of <paramref name="evidence"/> (a committed block reported it).</summary>
    public bool IsEvidenceRecorded(DuplicateVoteEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        // A committed read (any thread): a candidate's overlay that records it is not committed.
        return !_state.GetStorage(EvidenceRegistry.Address, EvidenceRegistry.SlotOf(evidence)).IsZero;
    }

    /// <summary>Drops the candidate's overlay (and its uncommitted writes). Under the commit lock.</summary>
    private void DropCandidate()
    {
        if (_candidate is not { } candidate) return;
        _candidate = null;
        candidate.Overlay.Dispose();
    }

    private sealed record Candidate(Block Block, Receipt[] Receipts, StateOverlay Overlay, BlockTimings Timings);
}
