using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Chain;

/// <summary>
/// What a development chain (anvil/hardhat conventions) needs beyond consensus: account edits recorded as blocks of
/// their own, and rewinding an in-memory chain to an earlier height (evm_snapshot/evm_revert). The state store keeps
/// only the latest state and cannot roll back, so both go through the block log: an edit is a block that replay
/// applies again, and a rewind re-executes the kept blocks on a fresh state.
/// </summary>
public sealed partial class Blockchain
{
    /// <summary>
    /// Commits a block without transactions that sets <paramref name="address"/>'s nonce and/or balance (null keeps the
    /// current value). Pooled transactions of that account are re-checked against the new nonce.
    /// </summary>
    public Block ProduceAccountEditBlock(ulong timestamp, Address address, ulong? nonce, UInt256? balance)
    {
        lock (_commitGate)
        {
            EnsureCommitting();
            DropCandidate();
            BlockContext context = NextContext(timestamp);
            using StateOverlay overlay = _state.BeginBlock();
            Account current = overlay.GetAccount(address);
            AccountOverride[] edits = [new AccountOverride(address, nonce ?? current.Nonce, balance ?? current.Balance)];
            Block block = _builder.Build(overlay, _head.Hash, context, [], edits);
            Commit(block, _builder.Receipts, overlay, _builder.LastTimings);
            return block;
        }
    }

    /// <summary>
    /// A new in-memory chain with the same options holding this chain's blocks 0..<paramref name="number"/>, each
    /// re-executed and checked against its header. This chain is not changed; the caller disposes whichever it drops.
    /// Only for chains without a data directory: a durable block log is append-only.
    /// </summary>
    /// <exception cref="InvalidOperationException">The chain is durable.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="number"/> is above the head.</exception>
    public Blockchain RebuildInMemory(ulong number)
    {
        if (_state.IsDurable)
            throw new InvalidOperationException("a chain with a data directory cannot be rewound: its block log is append-only");
        lock (_commitGate)
        {
            if (number > _head.Number)
                throw new ArgumentOutOfRangeException(nameof(number), number, $"the head is block {_head.Number}");
            Blockchain fresh = Open(_options with { DataDirectory = null });
            try
            {
                for (ulong n = 1; n <= number; n++)
                {
                    if (!_blocks.TryGetBlock(n, out Block? block, out _)) throw new InvalidDataException($"block {n} is missing from the block log");
                    fresh.Reapply(block);
                }
            }
            catch
            {
                fresh.Dispose();
                throw;
            }
            return fresh;
        }
    }

    /// <summary>Makes the committed state durable now (a clean shutdown), so that the next open replays nothing.</summary>
    public void Checkpoint()
    {
        lock (_commitGate)
        {
            DropCandidate();
            if (_state.IsDurable) _state.Checkpoint(_head.Number);
        }
    }

    /// <summary>Re-executes one of our own committed blocks (edits included) on this chain and commits it.</summary>
    private void Reapply(Block block)
    {
        lock (_commitGate)
        {
            DropCandidate();
            CheckLinkage(_head, block);
            using StateOverlay overlay = _state.BeginBlock();
            _builder.ExecuteAndVerify(overlay, block);
            Commit(block, _builder.Receipts, overlay, _builder.LastTimings);
        }
    }
}
