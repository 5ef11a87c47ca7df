using System.Runtime.InteropServices;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Persistence;

namespace NexusFast.Engine.State;

/// <summary>
/// The state as one block sees it: reads fall through to the committed store, writes collect here, and
/// <see cref="Commit"/> applies them all at once. <see cref="Snapshot"/> and <see cref="Revert"/> undo the writes of a
/// failed transaction or call while keeping the rest (the caller charges gas afterwards).
/// </summary>
/// <remarks>
/// <para>Life cycle: <see cref="StateStore.BeginBlock"/> -> reads and writes -> optionally
/// <see cref="ComputeStateRoot"/> (seals: the root for the header; no writes after it) -> <see cref="Commit"/> (the
/// block is final) or <see cref="Dispose"/> (drops everything not committed, e.g. a block that lost its round).</para>
/// <para>The store reuses one overlay object for every block, so that steady state allocates nothing: do not keep a
/// reference past <see cref="Dispose"/>. One thread (the state thread) uses an overlay.</para>
/// <para>Accounts: an absent account reads as <see cref="Account.Empty"/>; writing an empty account (EIP-161) deletes
/// it at commit. <see cref="Account.StorageRoot"/> reads as the root at the start of the block and is set by the
/// commit from the account's storage; the value passed to <see cref="SetAccount"/> is not used.</para>
/// </remarks>
public sealed class StateOverlay : IDisposable
{
    private readonly StateStore _store;
    private readonly StateSession _session;
    private readonly AccountPreloader _preloader;
    private readonly Dictionary<Address, AccountSlot> _accounts = new();
    private readonly Dictionary<StorageCell, StorageSlot> _storage = new();
    private readonly Dictionary<Hash256, byte[]> _code = new();
    private JournalEntry[] _journal = new JournalEntry[64];
    private int _journalCount;
    private Phase _phase;
    private Hash256 _sealedRoot;

    internal StateOverlay(StateStore store, StateSession session, StateSession preloadSession, bool isSimulation = false)
    {
        _store = store;
        _session = session;
        _preloader = new AccountPreloader(session, preloadSession);
        IsSimulation = isSimulation;
    }

    /// <summary>Below this many addresses <see cref="Preload"/> does nothing: reading on demand costs the same.</summary>
    public const int PreloadMin = 4096;

    /// <summary>
    /// Reads the committed accounts of <paramref name="addresses"/>, in the order the block's transactions will touch
    /// them, while the block executes (<see cref="AccountPreloader"/>): a pool thread reads ahead, on the core that
    /// execution leaves idle, and the transactions then find their accounts here instead of in FASTER. Only reads: what
    /// the block computes is the same with or without it, and an address that is not touched after all stays unchanged
    /// (nothing is written for it). Addresses already in the overlay keep their slot. Sealing or dropping the block
    /// stops it.
    /// </summary>
    public void Preload(ReadOnlySpan<Address> addresses)
    {
        EnsureWritable();
        if (addresses.Length < PreloadMin) return;
        _preloader.Start(addresses);
    }

    /// <summary>A scratch overlay (<see cref="StateStore.BeginSimulation"/>): reads and writes, but never seals or commits.</summary>
    public bool IsSimulation { get; }

    private enum Phase : byte
    {
        Closed,
        Open,
        Sealed,
        Committed,
    }

    /// <summary>The root was computed: the overlay takes no more writes.</summary>
    public bool IsSealed => _phase == Phase.Sealed;

    /// <summary>Accounts read or written in this block.</summary>
    public int AccountCount => _accounts.Count;

    /// <summary>Storage slots read or written in this block.</summary>
    public int StorageCount => _storage.Count;

    internal Dictionary<Address, AccountSlot> Accounts => _accounts;

    internal Dictionary<StorageCell, StorageSlot> Storage => _storage;

    /// <summary>Code stored by this block, written to the store with the block.</summary>
    internal Dictionary<Hash256, byte[]> NewCode => _code;

    /// <returns>False (and <see cref="Account.Empty"/>) when the account does not exist.</returns>
    public bool TryGetAccount(Address address, out Account account)
    {
        EnsureReadable();
        account = LoadAccount(address).Current;
        return !account.IsEmpty;
    }

    public Account GetAccount(Address address)
    {
        EnsureReadable();
        return LoadAccount(address).Current;
    }

    /// <summary>Sets nonce, balance and code hash (the storage root is the store's; see the class remarks).</summary>
    public void SetAccount(Address address, in Account account)
    {
        if (account.CodeHash.IsZero) ThrowZeroCodeHash(address);
        EnsureWritable();
        ref AccountSlot slot = ref LoadAccount(address);
        Push(new JournalEntry { Address = address, PreviousAccount = slot.Current });
        slot.Current = new Account(account.Nonce, account.Balance, account.CodeHash, slot.Original.StorageRoot);
    }

    /// <returns>The value, or zero when the slot is absent.</returns>
    public Hash256 GetStorage(Address address, in Hash256 slot)
    {
        EnsureReadable();
        return LoadStorage(new StorageCell(address, slot)).Current;
    }

    /// <summary>Writes a slot; zero deletes it.</summary>
    public void SetStorage(Address address, in Hash256 slot, in Hash256 value)
    {
        EnsureWritable();
        var cell = new StorageCell(address, slot);
        ref StorageSlot entry = ref LoadStorage(cell);
        Push(new JournalEntry { Address = address, Slot = slot, IsStorage = true, PreviousValue = entry.Current });
        entry.Current = value;
    }

    /// <summary>Contract code by hash: empty for <see cref="Account.EmptyCodeHash"/>, null when neither this block nor the store has it.</summary>
    public byte[]? GetCode(in Hash256 codeHash)
    {
        EnsureReadable();
        if (codeHash == Account.EmptyCodeHash) return [];
        return _code.TryGetValue(codeHash, out byte[]? code) ? code : _session.TryReadCode(codeHash);
    }

    /// <summary>
    /// Stores code under its Keccak-256 hash and returns the hash (point an account at it with <see cref="SetAccount"/>).
    /// Not journaled: code is content-addressed and immutable, so code left behind by a reverted creation is unreferenced
    /// bytes, never a different state. The overlay keeps <paramref name="code"/>; do not change it afterwards.
    /// </summary>
    public Hash256 SetCode(byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        EnsureWritable();
        Hash256 hash = Keccak256.Compute(code);
        if (hash != Account.EmptyCodeHash) _code.TryAdd(hash, code);
        return hash;
    }

    /// <summary>A mark to <see cref="Revert"/> to: the number of writes so far.</summary>
    public int Snapshot()
    {
        EnsureWritable();
        return _journalCount;
    }

    /// <summary>Undoes every write made since <paramref name="snapshot"/> was taken, newest first.</summary>
    public void Revert(int snapshot)
    {
        EnsureWritable();
        if ((uint)snapshot > (uint)_journalCount) ThrowBadSnapshot(snapshot, _journalCount);
        for (int i = _journalCount - 1; i >= snapshot; i--)
        {
            ref JournalEntry entry = ref _journal[i];
            if (entry.IsStorage)
            {
                CollectionsMarshal.GetValueRefOrNullRef(_storage, new StorageCell(entry.Address, entry.Slot)).Current = entry.PreviousValue;
            }
            else
            {
                CollectionsMarshal.GetValueRefOrNullRef(_accounts, entry.Address).Current = entry.PreviousAccount;
            }
        }
        _journalCount = snapshot;
    }

    /// <summary>
    /// Computes the state root this block produces and seals the overlay. The committed state is unchanged until
    /// <see cref="Commit"/>; calling again returns the same root.
    /// </summary>
    public Hash256 ComputeStateRoot()
    {
        if (_phase == Phase.Sealed) return _sealedRoot;
        EnsureWritable();
        if (IsSimulation) throw new InvalidOperationException("a simulation overlay has no state root: it is never sealed or committed");
        _preloader.Stop();
        _sealedRoot = _store.Seal(this);
        _phase = Phase.Sealed;
        return _sealedRoot;
    }

    /// <summary>Makes the block's writes the committed state (sealing first if needed) and returns the new state root.</summary>
    public Hash256 Commit()
    {
        Hash256 root = ComputeStateRoot();
        _store.Apply(root);
        _phase = Phase.Committed;
        return root;
    }

    /// <summary>Ends the block; an uncommitted block is dropped.</summary>
    public void Dispose()
    {
        _preloader.Stop();
        if (_phase == Phase.Closed) return;
        if (_phase == Phase.Sealed) _store.Discard();
        _phase = Phase.Closed;
    }

    internal bool IsInUse => _phase is Phase.Open or Phase.Sealed;

    internal bool IsCommitted => _phase == Phase.Committed;

    /// <summary>
    /// Between blocks: forgets the last block's accounts and gives back buffers an unusually large block (a genesis of a
    /// million accounts) grew, which would otherwise stay reserved for the node's lifetime.
    /// </summary>
    internal void TrimExcess()
    {
        if (IsInUse) throw new InvalidOperationException("a block overlay is open; trim between blocks");
        _accounts.Clear();
        _storage.Clear();
        _accounts.TrimExcess();
        _storage.TrimExcess();
        _journalCount = 0;
        if (_journal.Length > 64) _journal = new JournalEntry[64];
        _preloader.TrimExcess();
    }

    internal void Open()
    {
        _preloader.Stop();
        _accounts.Clear();
        _storage.Clear();
        _code.Clear();
        _journalCount = 0;
        _sealedRoot = default;
        _phase = Phase.Open;
    }

    /// <summary>The overlay's slot for an account, read from the store on first touch.</summary>
    internal ref AccountSlot LoadAccount(Address address)
    {
        if (_preloader.HasPending)
        {
            ref AccountSlot known = ref CollectionsMarshal.GetValueRefOrNullRef(_accounts, address);
            if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref known)) return ref known;
            _preloader.InsertUntil(_accounts, address);
        }
        ref AccountSlot slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_accounts, address, out bool exists);
        if (exists) return ref slot;
        try
        {
            if (_session.TryReadAccount(address, out Account account, out Hash256 key))
            {
                slot.Original = account;
                slot.Current = account;
                slot.Key = key;
                slot.HasKey = true;
            }
            else
            {
                slot.Original = Account.Empty;
                slot.Current = Account.Empty;
            }
        }
        catch
        {
            _accounts.Remove(address);
            throw;
        }
        return ref slot;
    }

    private ref StorageSlot LoadStorage(in StorageCell cell)
    {
        ref StorageSlot slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_storage, cell, out bool exists);
        if (exists) return ref slot;
        try
        {
            if (_session.TryReadStorage(cell.Address, cell.Slot, out Hash256 value, out Hash256 key))
            {
                slot.Original = value;
                slot.Current = value;
                slot.Key = key;
                slot.HasKey = true;
            }
        }
        catch
        {
            _storage.Remove(cell);
            throw;
        }
        return ref slot;
    }

    private void Push(in JournalEntry entry)
    {
        if (_journalCount == _journal.Length) Array.Resize(ref _journal, _journal.Length * 2);
        _journal[_journalCount++] = entry;
    }

    private void EnsureReadable()
    {
        if (_phase is not (Phase.Open or Phase.Sealed)) ThrowNotOpen(_phase);
    }

    private void EnsureWritable()
    {
        if (_phase != Phase.Open) ThrowNotOpen(_phase);
    }

    [DoesNotReturn]
    private static void ThrowNotOpen(Phase phase) => throw new InvalidOperationException(phase switch
    {
        Phase.Sealed => "the block overlay is sealed (its state root was computed): no more writes",
        Phase.Committed => "the block overlay was committed; begin a new block",
        _ => "the block overlay is closed; begin a new block",
    });

    [DoesNotReturn]
    private static void ThrowZeroCodeHash(Address address) => throw new ArgumentException(
        $"account {address}: code hash is zero; an account without code has Account.EmptyCodeHash", "account");

    [DoesNotReturn]
    private static void ThrowBadSnapshot(int snapshot, int count) => throw new ArgumentOutOfRangeException(
        nameof(snapshot), snapshot, $"snapshot must be between 0 and the current journal length {count}");

    /// <summary>One undoable write.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 8)]
    private struct JournalEntry
    {
        public Address Address;
        public Hash256 Slot;
        public bool IsStorage;
        public Account PreviousAccount;
        public Hash256 PreviousValue;
    }
}
