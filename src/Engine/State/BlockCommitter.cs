using System.Runtime.InteropServices;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Persistence;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.State;

/// <summary>
/// Turns a block overlay into tree updates and FASTER writes. Sealing: dirty storage slots -> storage trees ->
/// storage roots into the accounts -> dirty accounts -> account tree -> state root. Every hash of a step is one batch
/// (keys, leaves, then each tree level). Work arrays are kept between blocks.
/// </summary>
internal sealed class BlockCommitter
{
    private readonly SparseMerkleForest _forest;
    private readonly INodeHasher _hasher;
    private StorageWork[] _storage = new StorageWork[256];
    private int _storageCount;
    private AccountWork[] _accounts = new AccountWork[256];
    private int _accountCount;
    private TreeUpdate[] _updates = new TreeUpdate[256];
    private ulong[] _sortPrefixes = [];
    private int[] _sortOrder = [];
    private TreeUpdate[] _sortScratch = [];
    private Address[] _addresses = new Address[256];
    private byte[] _input = new byte[256 * StateCommitment.AccountLeafInputSize];
    private Hash256[] _hashes = new Hash256[256];
    private readonly ManualResetEventSlim _helperDone = new(false);
    private readonly ApplyHelper _helper;
    private StateSession? _helperSession;
    private Exception? _helperFailure;
    private int _secondHalfClaimed = 1;

    public BlockCommitter(SparseMerkleForest forest, INodeHasher hasher)
    {
        _forest = forest;
        _hasher = hasher;
        _helper = new ApplyHelper(this);
    }

    /// <summary>Node hashes (leaves and internal nodes) of the last seal.</summary>
    public int LastNodeHashCount { get; private set; }

    public int LastAccountCount => _accountCount;

    public int LastStorageCount => _storageCount;

    /// <summary>Where the last <see cref="Seal"/> spent its time.</summary>
    public SealTimings LastTimings { get; private set; }

    public Hash256 Seal(StateOverlay overlay)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        _forest.WalkTicks = _forest.HashTicks = 0;
        CollectStorage(overlay);
        ComputeAccountKeys(overlay);
        ComputeStorageKeys();
        int storageHashes = UpdateStorageTrees(overlay);
        CollectAccounts(overlay);
        Hash256 root = UpdateAccountTree(storageHashes);
        long total = System.Diagnostics.Stopwatch.GetTimestamp() - start;
        double ms = 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        LastTimings = new SealTimings(
            (total - _forest.WalkTicks - _forest.HashTicks) * ms, _forest.WalkTicks * ms, _forest.HashTicks * ms);
        return root;
    }

    /// <summary>
    /// Starts writing the sealed block to FASTER: the second half of the records goes to a thread-pool helper with
    /// <paramref name="helperSession"/>, the first half is written here with <paramref name="session"/>. The caller may
    /// do other work (the tree's accept) before <see cref="EndApply"/>, which writes the second half itself if no
    /// helper took it (a busy pool never stalls a commit) and otherwise waits for it.
    /// </summary>
    public void BeginApply(StateSession session, StateSession helperSession)
    {
        _helperSession = helperSession;
        _helperFailure = null;
        _helperDone.Reset();
        Volatile.Write(ref _secondHalfClaimed, 0);
        ThreadPool.UnsafeQueueUserWorkItem(_helper, preferLocal: false);
        try
        {
            WriteHalf(0, session);
        }
        catch
        {
            // Never leave the helper writing after the caller has moved on.
            if (Interlocked.Exchange(ref _secondHalfClaimed, 1) != 0) _helperDone.Wait();
            throw;
        }
    }

    /// <summary>Completes <see cref="BeginApply"/>; rethrows a failure of the helper.</summary>
    public void EndApply()
    {
        if (Interlocked.Exchange(ref _secondHalfClaimed, 1) == 0)
        {
            WriteHalf(1, _helperSession!);
            return;
        }
        _helperDone.Wait();
        if (_helperFailure is { } failure) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Accounts and slots of one half (records are independent, so any split is correct).</summary>
    private void WriteHalf(int half, StateSession session)
    {
        int accountsFrom = half == 0 ? 0 : _accountCount / 2;
        int accountsTo = half == 0 ? _accountCount / 2 : _accountCount;
        for (int i = accountsFrom; i < accountsTo; i++)
        {
            ref AccountWork work = ref _accounts[i];
            if (work.Current.IsEmpty)
            {
                session.DeleteAccount(work.Address);
                if (work.OriginalExists) session.DeletePreimage(Hash256.Zero, work.Key);
            }
            else
            {
                session.WriteAccount(work.Address, work.Current, work.Key);
                if (!work.OriginalExists) session.WritePreimage(Hash256.Zero, work.Key, StateKey.Widen(work.Address));
            }
        }

        int storageFrom = half == 0 ? 0 : _storageCount / 2;
        int storageTo = half == 0 ? _storageCount / 2 : _storageCount;
        for (int i = storageFrom; i < storageTo; i++)
        {
            ref StorageWork work = ref _storage[i];
            if (work.Value.IsZero)
            {
                session.DeleteStorage(work.Address, work.Slot);
                if (!work.Original.IsZero) session.DeletePreimage(work.Owner, work.Key);
            }
            else
            {
                session.WriteStorage(work.Address, work.Slot, work.Value, work.Key);
                if (work.Original.IsZero) session.WritePreimage(work.Owner, work.Key, work.Slot);
            }
        }
    }

    /// <summary>The helper's side of <see cref="BeginApply"/>; a run that finds the half already claimed does nothing.</summary>
    private void HelpApply()
    {
        if (Interlocked.Exchange(ref _secondHalfClaimed, 1) != 0) return;
        try
        {
            WriteHalf(1, _helperSession!);
        }
        catch (Exception e)
        {
            _helperFailure = e;
        }
        finally
        {
            _helperDone.Set();
        }
    }

    private sealed class ApplyHelper(BlockCommitter owner) : IThreadPoolWorkItem
    {
        public void Execute() => owner.HelpApply();
    }

    private void CollectStorage(StateOverlay overlay)
    {
        _storageCount = 0;
        foreach (KeyValuePair<StorageCell, StorageSlot> pair in overlay.Storage)
        {
            StorageSlot slot = pair.Value;
            if (slot.Current == slot.Original) continue;
            overlay.LoadAccount(pair.Key.Address).StorageDirty = true;
            Grow(ref _storage, _storageCount + 1);
            _storage[_storageCount++] = new StorageWork
            {
                Address = pair.Key.Address,
                Slot = pair.Key.Slot,
                Value = slot.Current,
                Original = slot.Original,
                Key = slot.Key,
                HasKey = slot.HasKey,
            };
        }
    }

    /// <summary>SHA-256(address) for the changed accounts the store has not seen yet, as one batch.</summary>
    private void ComputeAccountKeys(StateOverlay overlay)
    {
        int count = 0;
        foreach (KeyValuePair<Address, AccountSlot> pair in overlay.Accounts)
        {
            AccountSlot slot = pair.Value;
            if (slot.HasKey || (slot.Current == slot.Original && !slot.StorageDirty)) continue;
            Grow(ref _addresses, count + 1);
            _addresses[count++] = pair.Key;
        }
        if (count == 0) return;

        Grow(ref _input, count * Address.Size);
        Grow(ref _hashes, count);
        for (int i = 0; i < count; i++) _addresses[i].CopyTo(_input.AsSpan(i * Address.Size, Address.Size));
        _hasher.HashFixed(_input.AsSpan(0, count * Address.Size), Address.Size, _hashes.AsSpan(0, count));
        for (int i = 0; i < count; i++)
        {
            ref AccountSlot slot = ref CollectionsMarshal.GetValueRefOrNullRef(overlay.Accounts, _addresses[i]);
            slot.Key = _hashes[i];
            slot.HasKey = true;
        }
    }

    /// <summary>SHA-256(slot) for changed slots the store has not seen yet, as one batch.</summary>
    private void ComputeStorageKeys()
    {
        int count = 0;
        for (int i = 0; i < _storageCount; i++)
        {
            if (!_storage[i].HasKey) count++;
        }
        if (count == 0) return;

        Grow(ref _input, count * Hash256.Size);
        Grow(ref _hashes, count);
        int at = 0;
        for (int i = 0; i < _storageCount; i++)
        {
            if (!_storage[i].HasKey) _storage[i].Slot.CopyTo(_input.AsSpan(at++ * Hash256.Size, Hash256.Size));
        }
        _hasher.HashFixed(_input.AsSpan(0, count * Hash256.Size), Hash256.Size, _hashes.AsSpan(0, count));
        at = 0;
        for (int i = 0; i < _storageCount; i++)
        {
            ref StorageWork work = ref _storage[i];
            if (work.HasKey) continue;
            work.Key = _hashes[at++];
            work.HasKey = true;
        }
    }

    private int UpdateStorageTrees(StateOverlay overlay)
    {
        if (_storageCount == 0) return 0;
        int leaves = 0;
        Grow(ref _updates, _storageCount);
        Grow(ref _input, _storageCount * StateCommitment.StorageLeafInputSize);
        for (int i = 0; i < _storageCount; i++)
        {
            ref StorageWork work = ref _storage[i];
            ref AccountSlot owner = ref CollectionsMarshal.GetValueRefOrNullRef(overlay.Accounts, work.Address);
            Invariant.Check(owner.HasKey);
            work.Owner = owner.Key;
            if (!work.Value.IsZero)
            {
                StateCommitment.WriteStorageLeafInput(
                    _input.AsSpan(leaves++ * StateCommitment.StorageLeafInputSize, StateCommitment.StorageLeafInputSize), work.Key, work.Value);
            }
        }

        Grow(ref _hashes, leaves);
        _hasher.HashFixed(_input.AsSpan(0, leaves * StateCommitment.StorageLeafInputSize), StateCommitment.StorageLeafInputSize, _hashes.AsSpan(0, leaves));
        int leaf = 0;
        for (int i = 0; i < _storageCount; i++)
        {
            ref StorageWork work = ref _storage[i];
            _updates[i] = new TreeUpdate { Owner = work.Owner, Key = work.Key, LeafHash = work.Value.IsZero ? default : _hashes[leaf++], Source = i };
        }

        Span<TreeUpdate> updates = _updates.AsSpan(0, _storageCount);
        TreeUpdateOrder.Sort(updates, ref _sortPrefixes, ref _sortOrder, ref _sortScratch);
        _forest.Update(updates);

        for (int i = 0; i < updates.Length; i++)
        {
            if (i > 0 && updates[i].Owner == updates[i - 1].Owner) continue;
            Hash256 root = _forest.PendingRoot(updates[i].Owner);
            ref AccountSlot account = ref CollectionsMarshal.GetValueRefOrNullRef(overlay.Accounts, _storage[updates[i].Source].Address);
            account.Current = account.Current.WithStorageRoot(root);
        }
        return leaves + _forest.LastInternalHashCount;
    }

    private void CollectAccounts(StateOverlay overlay)
    {
        _accountCount = 0;
        foreach (KeyValuePair<Address, AccountSlot> pair in overlay.Accounts)
        {
            AccountSlot slot = pair.Value;
            if (slot.Current == slot.Original) continue;
            Invariant.Check(slot.HasKey);
            Grow(ref _accounts, _accountCount + 1);
            _accounts[_accountCount++] = new AccountWork
            {
                Address = pair.Key,
                Current = slot.Current,
                Key = slot.Key,
                OriginalExists = !slot.Original.IsEmpty,
            };
        }
    }

    private Hash256 UpdateAccountTree(int storageHashes)
    {
        if (_accountCount == 0)
        {
            LastNodeHashCount = storageHashes;
            return _forest.PendingRoot(Hash256.Zero);
        }

        int leaves = 0;
        Grow(ref _updates, _accountCount);
        Grow(ref _input, _accountCount * StateCommitment.AccountLeafInputSize);
        for (int i = 0; i < _accountCount; i++)
        {
            ref AccountWork work = ref _accounts[i];
            if (work.Current.IsEmpty) continue;
            StateCommitment.WriteAccountLeafInput(
                _input.AsSpan(leaves++ * StateCommitment.AccountLeafInputSize, StateCommitment.AccountLeafInputSize), work.Key, work.Current);
        }

        Grow(ref _hashes, leaves);
        _hasher.HashFixed(_input.AsSpan(0, leaves * StateCommitment.AccountLeafInputSize), StateCommitment.AccountLeafInputSize, _hashes.AsSpan(0, leaves));
        int leaf = 0;
        for (int i = 0; i < _accountCount; i++)
        {
            ref AccountWork work = ref _accounts[i];
            _updates[i] = new TreeUpdate { Owner = Hash256.Zero, Key = work.Key, LeafHash = work.Current.IsEmpty ? default : _hashes[leaf++], Source = i };
        }

        Span<TreeUpdate> updates = _updates.AsSpan(0, _accountCount);
        TreeUpdateOrder.Sort(updates, ref _sortPrefixes, ref _sortOrder, ref _sortScratch);
        _forest.Update(updates);
        LastNodeHashCount = storageHashes + leaves + _forest.LastInternalHashCount;
        return _forest.PendingRoot(Hash256.Zero);
    }

    /// <summary>Drops work buffers grown past what ordinary blocks need (after a large genesis); they regrow on demand.</summary>
    internal void TrimExcess()
    {
        const int Keep = 1 << 16;
        if (_storage.Length > Keep) _storage = new StorageWork[256];
        if (_accounts.Length > Keep) _accounts = new AccountWork[256];
        if (_updates.Length > Keep) _updates = new TreeUpdate[256];
        if (_addresses.Length > Keep) _addresses = new Address[256];
        if (_input.Length > Keep * StateCommitment.AccountLeafInputSize) _input = new byte[256 * StateCommitment.AccountLeafInputSize];
        if (_hashes.Length > Keep) _hashes = new Hash256[256];
        if (_sortPrefixes.Length > Keep)
        {
            _sortPrefixes = [];
            _sortOrder = [];
            _sortScratch = [];
        }
        _forest.TrimExcess();
    }

    private static void Grow<T>(ref T[] array, int needed)
    {
        if (array.Length < needed) Array.Resize(ref array, Math.Max(needed, array.Length * 2));
    }

    [StructLayout(LayoutKind.Sequential, Pack = 8)]
    private struct StorageWork
    {
        public Address Address;
        public Hash256 Slot;
        public Hash256 Value;
        public Hash256 Original;
        public Hash256 Key;
        public Hash256 Owner;
        public bool HasKey;
    }

    [StructLayout(LayoutKind.Sequential, Pack = 8)]
    private struct AccountWork
    {
        public Address Address;
        public Account Current;
        public Hash256 Key;
        public bool OriginalExists;
    }
}
