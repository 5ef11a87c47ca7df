using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Persistence;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.State;

/// <summary>
/// Accounts, storage and the state commitment (<see cref="StateCommitment"/>) in FASTER, changed one block at a time
/// through a <see cref="StateOverlay"/>.
/// </summary>
/// <remarks>
/// <para><b>Durability and atomicity.</b> What survives a crash is the last <see cref="Checkpoint"/>, nothing else:
/// FASTER checkpoints of the record store (accounts, storage, code, a metadata record with block number and state root)
/// and of the tree store (tree nodes, preimages), taken together between blocks and named by one manifest (see
/// <c>StateDatabase</c>), form one snapshot, and <see cref="Recover"/> restores exactly that snapshot, undoing any
/// later record that reached the disk.
/// A checkpoint is only taken between blocks (no overlay open), so the recovered state is always a whole number of
/// blocks: a crash in the middle of a commit leaves no half-applied block behind. The caller keeps its own block log
/// and, after <see cref="Recover"/>, replays blocks from the returned block number + 1 (from genesis when it returns
/// null). How often to checkpoint is the caller's policy.</para>
/// <para>A commit that fails part way (a device error) leaves the in-memory state unusable: the store refuses further
/// work, and the remedy is to dispose, reopen and recover.</para>
/// <para><b>Threading.</b> One state thread begins blocks, uses the overlay, commits and checkpoints. Committed reads
/// (<see cref="TryGetAccount"/>, <see cref="GetStorage"/>) and proofs may come from any thread: they see the last
/// committed block, never one being built, under the lock that sealing and committing take (so they may wait for one
/// block's root computation, tens of milliseconds). <see cref="CreateReader"/> gives readers that never wait, with
/// per-record consistency only.</para>
/// </remarks>
public sealed class StateStore : IDisposable
{
    private readonly StateDatabase _database;
    private readonly StateSession _session;

    /// <summary>The second thread's session while a large block's account tree is walked in two halves (SparseMerkleForest).</summary>
    private readonly StateSession _sealHelperSession;
    private readonly StateSession _committedSession;
    private readonly StateSession _applySession;
    private readonly StateSession _preloadSession;
    private readonly Lock _committedLock = new();
    private readonly SparseMerkleForest _forest;
    private readonly BlockCommitter _committer;
    private readonly StateOverlay _overlay;
    private readonly StateOverlay _simulation;
    private readonly int _nodeCacheCapacity;
    private readonly List<StateReader> _readers = new();
    private readonly bool _needsRecover;
    private Hash256 _stateRoot;
    private bool _recovered;
    private bool _blockBegun;
    private string? _faulted;
    private bool _disposed;

    private StateStore(StateDatabase database, StateStoreOptions options, bool needsRecover)
    {
        _database = database;
        _needsRecover = needsRecover;
        _nodeCacheCapacity = options.NodeCacheCapacity;
        INodeHasher hasher = options.Hasher ?? ParallelNodeHasher.ForLanes();

        _session = database.NewSession();
        _committedSession = database.NewSession();
        _applySession = database.NewSession();
        _preloadSession = database.NewSession();
        _sealHelperSession = database.NewSession();
        _forest = new SparseMerkleForest(hasher, _session, allResident: true, initialCapacity: Math.Min(options.NodeCacheCapacity, 1 << 16),
            helperSource: _sealHelperSession);
        _committer = new BlockCommitter(_forest, hasher);
        _overlay = new StateOverlay(this, _session, _preloadSession);
        _simulation = new StateOverlay(this, _session, _preloadSession, isSimulation: true);
    }

    /// <summary>A store in a private temporary directory, deleted on dispose: for tests and devnets, not durable.</summary>
    public static StateStore OpenInMemory(StateStoreOptions? options = null)
    {
        options ??= new StateStoreOptions();
        options.Validate();
        return Create(StateDatabase.OpenTemporary(options), options, needsRecover: false);
    }

    /// <summary>
    /// Opens the state directory (creating it when missing or empty). Call <see cref="Recover"/> before the first
    /// block. Throws <see cref="InvalidDataException"/> for a directory that is not a state directory or has another
    /// format, and <see cref="IOException"/> when another store holds it.
    /// </summary>
    public static StateStore Open(string directory, StateStoreOptions? options = null)
    {
        options ??= new StateStoreOptions();
        options.Validate();
        return Create(StateDatabase.OpenDirectory(directory, options), options, needsRecover: true);
    }

    private static StateStore Create(StateDatabase database, StateStoreOptions options, bool needsRecover)
    {
        try
        {
            return new StateStore(database, options, needsRecover);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public string Directory => _database.Directory;

    /// <summary>False for <see cref="OpenInMemory"/> stores: their checkpoints vanish with them.</summary>
    public bool IsDurable => _needsRecover;

    /// <summary>The committed state root (zero for an empty state).</summary>
    public Hash256 StateRoot
    {
        get
        {
            lock (_committedLock) return _stateRoot;
        }
    }

    /// <summary>Where sealing the last block spent its time (for profiles; see BlockProfile).</summary>
    public SealTimings LastSealTimings => _committer.LastTimings;

    /// <summary>Node hashes (leaves and internal nodes) computed for the last sealed block.</summary>
    public int LastBlockNodeHashCount => _committer.LastNodeHashCount;

    /// <summary>Tree nodes held in memory.</summary>
    public int CachedNodeCount
    {
        get
        {
            lock (_committedLock) return _forest.NodeCount;
        }
    }

    /// <summary>Where the store's memory is (FASTER logs and indexes, tree nodes), one line for diagnostics and perf tools.</summary>
    internal string DescribeMemory()
    {
        lock (_committedLock) return $"{_database.DescribeMemory()}; tree nodes: {_forest.NodeCount:N0} live, {_forest.NodeCapacity:N0} allocated ({_forest.NodeCapacityBytes / 1048576.0:0} MiB)";
    }

    /// <summary>
    /// Restores the last checkpoint. Returns its block number and state root, or null when the store has never been
    /// checkpointed (a new store: start from genesis). Call once, before the first block.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint is unreadable or inconsistent (the message says how).</exception>
    public StateCheckpoint? Recover()
    {
        EnsureUsable();
        if (_recovered || _blockBegun) throw new InvalidOperationException("Recover() runs once, right after opening and before any block");
        _recovered = true;
        try
        {
            return RecoverCheckpoint();
        }
        catch
        {
            // Never let a caller build blocks on top of a state that failed to load.
            _faulted = "its recovery failed";
            throw;
        }
    }

    private StateCheckpoint? RecoverCheckpoint()
    {
        if (!_database.Recover()) return null;
        if (!_session.TryReadMeta(out StateMeta meta))
        {
            throw new InvalidDataException($"state directory '{Directory}': the checkpoint has no state metadata record");
        }
        if (meta.Format != StateMeta.CurrentFormat)
        {
            throw new InvalidDataException(
                $"state directory '{Directory}': metadata format 0x{meta.Format:x16}, this build reads 0x{StateMeta.CurrentFormat:x16}");
        }
        if (!meta.BlockNumber.IsUInt64)
        {
            throw new InvalidDataException($"state directory '{Directory}': metadata block number {meta.BlockNumber} does not fit 64 bits");
        }

        lock (_committedLock)
        {
            _forest.ForgetResidency();
            // The account tree comes back into memory now, in batched reads, rather than node by node in the first
            // blocks; three quarters of the node cache, leaving room for a block's path copies.
            _forest.LoadAccountTree(_nodeCacheCapacity / 4 * 3);
            Hash256 treeRoot = _forest.CommittedRoot(Hash256.Zero);
            if (treeRoot != meta.StateRoot)
            {
                throw new InvalidDataException(
                    $"state directory '{Directory}': the metadata says state root {meta.StateRoot} at block {meta.BlockNumber}, the stored tree's root is {treeRoot}");
            }
            _stateRoot = treeRoot;
        }
        return new StateCheckpoint((ulong)meta.BlockNumber, meta.StateRoot);
    }

    /// <summary>Starts the next block. Only one block is open at a time; dispose or commit it before the next.</summary>
    /// <summary>
    /// Gives back the work buffers of an unusually large block (a big genesis, a long replay): call between blocks.
    /// Ordinary blocks reuse their buffers and never need this.
    /// </summary>
    public void TrimBuffers()
    {
        _overlay.TrimExcess();
        _committer.TrimExcess();
    }

    public StateOverlay BeginBlock()
    {
        EnsureUsable();
        if (_needsRecover && !_recovered) throw new InvalidOperationException("call Recover() before the first block: the directory may hold a checkpoint");
        if (_overlay.IsInUse) throw new InvalidOperationException("a block overlay is already open; commit or dispose it first");
        _blockBegun = true;
        _overlay.Open();
        return _overlay;
    }

    /// <summary>
    /// A scratch overlay on the committed state for running a call and dropping its effects (eth_call, eth_estimateGas),
    /// usable while the block overlay is open or sealed: a validator keeps a verified block's sealed overlay until
    /// consensus decides, and calls must not wait for that or throw it away. It shares the state thread's session, so
    /// the caller serializes it with block work (the chain's commit lock); it cannot be sealed or committed.
    /// </summary>
    public StateOverlay BeginSimulation()
    {
        EnsureUsable();
        if (_needsRecover && !_recovered) throw new InvalidOperationException("call Recover() before the first simulation: the directory may hold a checkpoint");
        if (_simulation.IsInUse) throw new InvalidOperationException("a simulation overlay is already open; dispose it first");
        _simulation.Open();
        return _simulation;
    }

    /// <summary>
    /// Makes the committed state durable as the state after block <paramref name="blockNumber"/>. Only between blocks
    /// (no overlay open or sealed); returns when the checkpoint is on disk.
    /// </summary>
    public void Checkpoint(ulong blockNumber)
    {
        EnsureUsable();
        if (_needsRecover && !_recovered) throw new InvalidOperationException("call Recover() before checkpointing: the directory may hold a checkpoint");
        if (_overlay.IsInUse) throw new InvalidOperationException("a checkpoint is taken between blocks; a block overlay is open");
        lock (_committedLock)
        {
            _forest.Flush();
            _session.WriteMeta(blockNumber, _stateRoot);
            _database.Checkpoint();
        }
    }

    /// <summary>
    /// Reads a committed account, from any thread: the value is the one of the last committed block (a commit in
    /// progress is waited for, so is a block's root computation).
    /// </summary>
    public bool TryGetAccount(Address address, out Account account)
    {
        EnsureUsable();
        lock (_committedLock) return _committedSession.TryReadAccount(address, out account, out _);
    }

    public Account GetAccount(Address address)
    {
        TryGetAccount(address, out Account account);
        return account;
    }

    /// <summary>Reads a committed storage slot (zero when absent), from any thread, as <see cref="TryGetAccount"/>.</summary>
    public Hash256 GetStorage(Address address, in Hash256 slot)
    {
        EnsureUsable();
        lock (_committedLock)
        {
            _committedSession.TryReadStorage(address, slot, out Hash256 value, out _);
            return value;
        }
    }

    /// <summary>
    /// Committed contract code by its hash (<see cref="Account.CodeHash"/>), from any thread: empty for
    /// <see cref="Account.EmptyCodeHash"/>, null when no committed block stored it.
    /// </summary>
    public byte[]? GetCode(in Hash256 codeHash)
    {
        EnsureUsable();
        if (codeHash == Account.EmptyCodeHash) return [];
        lock (_committedLock) return _committedSession.TryReadCode(codeHash);
    }

    /// <summary>A proof of <paramref name="address"/>'s account, or of its absence, against the committed state root.</summary>
    public AccountProof GetAccountProof(Address address, out Hash256 stateRoot)
    {
        EnsureUsable();
        Hash256 key = StateCommitment.AccountKey(address);
        var siblings = new List<Hash256>();
        lock (_committedLock)
        {
            stateRoot = _stateRoot;
            NodeEntry end = _forest.ProveCommitted(Hash256.Zero, key, _committedSession, siblings);
            if (end.Kind != NodeKind.Leaf) return new AccountProof(siblings.ToArray(), ProofTerminal.Empty, default, Account.Empty);

            Address leafAddress = address;
            if (end.LeafKey != key)
            {
                Invariant.Check(_committedSession.TryReadPreimage(Hash256.Zero, end.LeafKey, out Hash256 preimage));
                leafAddress = StateKey.Narrow(preimage);
            }
            Invariant.Check(_committedSession.TryReadAccount(leafAddress, out Account leafAccount, out _));
            return new AccountProof(siblings.ToArray(), ProofTerminal.Leaf, end.LeafKey, leafAccount);
        }
    }

    /// <summary>
    /// A proof of a storage slot, or of its absence, against the account's committed storage root (returned in
    /// <paramref name="storageRoot"/>; prove that root with <see cref="GetAccountProof"/>).
    /// </summary>
    public StorageProof GetStorageProof(Address address, in Hash256 slot, out Hash256 storageRoot)
    {
        EnsureUsable();
        Hash256 owner = StateCommitment.AccountKey(address);
        Hash256 key = StateCommitment.StorageKey(slot);
        var siblings = new List<Hash256>();
        lock (_committedLock)
        {
            if (!_committedSession.TryReadAccount(address, out Account account, out _) || account.StorageRoot.IsZero)
            {
                storageRoot = Account.EmptyStorageRoot;
                return new StorageProof([], ProofTerminal.Empty, default, default);
            }
            storageRoot = account.StorageRoot;
            NodeEntry end = _forest.ProveCommitted(owner, key, _committedSession, siblings);
            if (end.Kind != NodeKind.Leaf) return new StorageProof(siblings.ToArray(), ProofTerminal.Empty, default, default);

            Hash256 leafSlot = slot;
            if (end.LeafKey != key) Invariant.Check(_committedSession.TryReadPreimage(owner, end.LeafKey, out leafSlot));
            Invariant.Check(_committedSession.TryReadStorage(address, leafSlot, out Hash256 value, out _));
            return new StorageProof(siblings.ToArray(), ProofTerminal.Leaf, end.LeafKey, value);
        }
    }

    /// <summary>A reader with its own FASTER session, for one other thread. Disposed with the store at the latest.</summary>
    public StateReader CreateReader()
    {
        EnsureUsable();
        var reader = new StateReader(this, _database.NewSession());
        lock (_readers) _readers.Add(reader);
        return reader;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        StateReader[] readers;
        lock (_readers) readers = _readers.ToArray();
        foreach (StateReader reader in readers) reader.Dispose();
        _session.Dispose();
        _committedSession.Dispose();
        _applySession.Dispose();
        _preloadSession.Dispose();
        _sealHelperSession.Dispose();
        _database.Dispose();
    }

    internal Hash256 Seal(StateOverlay overlay)
    {
        EnsureUsable();
        lock (_committedLock)
        {
            try
            {
                return _committer.Seal(overlay);
            }
            catch
            {
                // Sealing only builds the pending trees beside the committed ones: dropping them restores the state.
                _forest.DiscardPending();
                throw;
            }
        }
    }

    internal void Apply(Hash256 sealedRoot)
    {
        EnsureUsable();
        lock (_committedLock)
        {
            try
            {
                // Code is content-addressed and outside the tree (the account's code hash is what the root commits to).
                foreach (KeyValuePair<Hash256, byte[]> code in _overlay.NewCode) _session.WriteCode(code.Key, code.Value);
                _committer.BeginApply(_session, _applySession);
                try
                {
                    _forest.AcceptPending();
                }
                finally
                {
                    _committer.EndApply();
                }
                _stateRoot = sealedRoot;
                _forest.Trim(_nodeCacheCapacity);
            }
            catch
            {
                _faulted = "a block failed part way through being applied";
                throw;
            }
        }
    }

    internal void Discard()
    {
        lock (_committedLock) _forest.DiscardPending();
    }

    internal void ReleaseReader(StateReader reader)
    {
        lock (_readers) _readers.Remove(reader);
    }

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_faulted is not null) ThrowFaulted(_faulted);
    }

    [DoesNotReturn]
    private static void ThrowFaulted(string reason) => throw new InvalidOperationException(
        $"the state store is unusable because {reason}; dispose it, fix the cause, reopen and Recover()");
}
