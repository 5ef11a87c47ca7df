using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.Storage;

namespace NexusFast.Engine.Chain;

/// <summary>Opening a chain: a new one from genesis, or an existing one by checkpoint recovery and log replay.</summary>
public sealed partial class Blockchain
{
    private Blockchain(ChainOptions options, StateStore state, BlockStore blocks)
    {
        _options = options;
        _state = state;
        _blocks = blocks;

        StateCheckpoint? checkpoint = state.IsDurable ? state.Recover() : null;
        Block genesis;
        if (blocks.Count == 0)
        {
            if (checkpoint is not null)
                throw new InvalidDataException($"the state holds a checkpoint at block {checkpoint.Value.BlockNumber} but the block log is empty");
            genesis = CommitNewGenesis(options);
            _head = genesis;
        }
        else
        {
            GenesisAllocation[] allocations = Canonical(options.Genesis.Allocations);
            genesis = CheckConfiguredGenesis(options, allocations, blocks);
            ulong replayFrom = 1;
            if (checkpoint is { } recovered)
            {
                if (recovered.BlockNumber >= blocks.Count)
                    throw new InvalidDataException($"the state checkpoint is at block {recovered.BlockNumber} but the block log ends at block {blocks.Count - 1}");
                blocks.TryGetBlock(recovered.BlockNumber, out Block? atCheckpoint, out _);
                if (atCheckpoint!.Header.StateRoot != recovered.StateRoot)
                    throw new InvalidDataException($"the state checkpoint's root {recovered.StateRoot} differs from block {recovered.BlockNumber}'s state root");
                replayFrom = recovered.BlockNumber + 1;
                RecoveredCheckpoint = recovered.BlockNumber;
                _head = atCheckpoint;
            }
            else
            {
                ApplyGenesis(allocations, genesis);
                _head = genesis;
            }
            ReplayedBlocks = Replay(replayFrom);
        }
        Genesis = genesis;
        _poolReader = state.CreateReader();
        Pool = new TxPool(options.Mempool, _poolReader);
        // One recovery for admission and import: they share its cache of ML-DSA keys.
        _senderRecovery = new SenderRecovery(new EcdsaBatchRecovery(), new StateMlDsaKeySource(state));
        Ingest = new IngestPipeline(Pool, _senderRecovery);
        _blocks.Evicted = evicted => Recycler.Retire(evicted.Transactions);
    }

    /// <summary>
    /// Opens the chain in <see cref="ChainOptions.DataDirectory"/> (creating it) or in memory. Throws
    /// <see cref="InvalidDataException"/> with the reason when the directory holds another chain or inconsistent data.
    /// </summary>
    public static Blockchain Open(ChainOptions options) => Open(options, blockLog: null);

    /// <summary>As <see cref="Open(ChainOptions)"/>, with the given block log instead of the options' (fault-injection tests).</summary>
    internal static Blockchain Open(ChainOptions options, IBlockLog? blockLog)
    {
        StateStore? state = null;
        BlockStore? blocks = null;
        try
        {
            if (options.DataDirectory is { } directory)
            {
                state = StateStore.Open(Path.Combine(directory, "state"), options.State);
                blocks = new BlockStore(blockLog ?? new FasterBlockLog(Path.Combine(directory, "blocks")));
            }
            else
            {
                state = StateStore.OpenInMemory(options.State);
                blocks = new BlockStore(blockLog ?? new MemoryBlockLog());
            }
            return new Blockchain(options, state, blocks);
        }
        catch
        {
            blocks?.Dispose();
            state?.Dispose();
            throw;
        }
    }

    /// <summary>The genesis block a spec defines; its state root is computed on a scratch in-memory state.</summary>
    public static Block BuildGenesis(ChainOptions options, out GenesisAllocation[] allocations)
    {
        allocations = Canonical(options.Genesis.Allocations);
        return BuildGenesis(options, allocations);
    }

    private static Block BuildGenesis(ChainOptions options, GenesisAllocation[] canonical)
    {
        using StateStore scratch = StateStore.OpenInMemory(new StateStoreOptions { NodeCacheCapacity = Math.Max(1024, canonical.Length * 4) });
        using StateOverlay overlay = scratch.BeginBlock();
        Allocate(overlay, canonical);
        return GenesisBlock(options, overlay.ComputeStateRoot());
    }

    /// <summary>
    /// The configured genesis, checked against the stored block 0. When the data directory's <see cref="GenesisDigest"/>
    /// says the stored genesis was made from these very allocations, its state root is theirs, and rebuilding the header
    /// with it checks the rest (chain id, gas limit, base fee, timestamp); otherwise the genesis state is rebuilt on a
    /// scratch state as the full check, and the digest written for next time.
    /// </summary>
    private Block CheckConfiguredGenesis(ChainOptions options, GenesisAllocation[] allocations, BlockStore blocks)
    {
        blocks.TryGetBlock(0, out Block? stored, out _);
        string? directory = options.DataDirectory;
        // Only a chain in a data directory keeps the digest (an in-memory one is never reopened).
        Hash256 digest = directory is null ? default : GenesisDigest.Of(allocations);
        Block configured;
        if (stored is not null && directory is not null
            && GenesisDigest.TryRead(directory, out Hash256 recordedAllocations, out Hash256 recordedGenesis)
            && recordedAllocations == digest && recordedGenesis == stored.Hash)
        {
            configured = GenesisBlock(options, stored.Header.StateRoot);
            GenesisCheckedByDigest = true;
        }
        else
        {
            configured = BuildGenesis(options, allocations);
        }
        if (stored is null || stored.Hash != configured.Hash)
        {
            throw new InvalidDataException(
                $"the data directory holds a chain whose genesis is {stored?.Hash}, but the configured genesis is {configured.Hash} " +
                "(different chain id, gas limit, timestamp or allocations)");
        }
        if (!GenesisCheckedByDigest && directory is not null) GenesisDigest.Write(directory, digest, stored.Hash);
        return configured;
    }

    /// <summary>
    /// A new chain's genesis, built on the chain's own state instead of a scratch one (which, with a million accounts,
    /// doubled the node's peak memory at start-up): the allocations go into a block overlay, its root makes the header,
    /// the block goes to the log first like every block, then the overlay is committed.
    /// </summary>
    private Block CommitNewGenesis(ChainOptions options)
    {
        GenesisAllocation[] allocations = Canonical(options.Genesis.Allocations);
        Block genesis;
        using (StateOverlay overlay = _state.BeginBlock())
        {
            Allocate(overlay, allocations);
            genesis = GenesisBlock(options, overlay.ComputeStateRoot());
            _blocks.Append(genesis, []);
            Hash256 root = overlay.Commit();
            Invariant.Check(root == genesis.Header.StateRoot);
        }
        FinishGenesisState();
        if (options.DataDirectory is { } directory) GenesisDigest.Write(directory, GenesisDigest.Of(allocations), genesis.Hash);
        return genesis;
    }

    private static void Allocate(StateOverlay overlay, GenesisAllocation[] allocations)
    {
        foreach (GenesisAllocation allocation in allocations) overlay.SetAccount(allocation.Address, new Account(0, allocation.Balance));
    }

    /// <summary>After the genesis state is committed: its checkpoint, and buffers sized back down.</summary>
    private void FinishGenesisState()
    {
        if (_state.IsDurable) _state.Checkpoint(0);
        // A genesis touches every allocated account at once: its buffers are sized for that, not for blocks.
        _state.TrimBuffers();
    }

    private static Block GenesisBlock(ChainOptions options, Hash256 stateRoot)
    {
        var header = new BlockHeader
        {
            Number = 0,
            Timestamp = options.Genesis.Timestamp,
            TransactionsRoot = BlockAssembler.TransactionsRoot([]),
            ReceiptsRoot = BlockAssembler.ReceiptsRoot([]),
            StateRoot = stateRoot,
            GasLimit = options.Config.BlockGasLimit,
            BaseFeePerGas = options.Config.InitialBaseFee,
            // The chain id is part of the genesis identity through the state of nothing else, so mix it into the
            // parent hash slot: two chains with equal allocations but different ids get different genesis hashes.
            ParentHash = ChainIdTag(options.Config.ChainId),
        };
        return new Block(header, BlockHeaderCodec.ComputeHash(header), []);
    }

    private void ApplyGenesis(GenesisAllocation[] allocations, Block genesis)
    {
        using StateOverlay overlay = _state.BeginBlock();
        Allocate(overlay, allocations);
        Hash256 root = overlay.Commit();
        if (root != genesis.Header.StateRoot) throw new InvalidDataException($"genesis state root {root} differs from the genesis header's {genesis.Header.StateRoot}");
        FinishGenesisState();
    }

    /// <summary>Re-executes the logged blocks after the recovered state, checking each root, without appending again.</summary>
    private int Replay(ulong first)
    {
        int count = 0;
        foreach ((Block block, _) in _blocks.ReadFrom(first))
        {
            using StateOverlay overlay = _state.BeginBlock();
            try
            {
                _builder.ExecuteAndVerify(overlay, block);
            }
            catch (BlockImportException e)
            {
                throw new InvalidDataException($"replaying the block log after recovery failed: {e.Message}", e);
            }
            overlay.Commit();
            _head = block;
            MaybeCheckpoint(block.Number);
            count++;
        }
        return count;
    }

    /// <summary>Allocations in address order with duplicates refused, so every validator derives the same genesis.</summary>
    private static GenesisAllocation[] Canonical(IReadOnlyList<GenesisAllocation> allocations)
    {
        GenesisAllocation[] sorted = allocations.ToArray();
        Array.Sort(sorted, (a, b) => a.Address.CompareTo(b.Address));
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Address == sorted[i - 1].Address) throw new ArgumentException($"genesis allocates {sorted[i].Address} twice");
        }
        return sorted;
    }

    private static Hash256 ChainIdTag(ulong chainId)
    {
        Span<byte> tag = stackalloc byte[32];
        tag.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(tag[24..], chainId);
        return new Hash256(tag);
    }
}
