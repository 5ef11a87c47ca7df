using NexusFast.Engine.Crypto;
using NexusFast.Engine.Execution;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Benchmarks;

/// <summary>
/// Execution state for measuring a contract call without its storage I/O: accounts and storage slots live in
/// open-addressing tables allocated once, and the undo journal in a fixed array, so a storage access costs one hash
/// probe and a compare, and nothing is allocated. Capacities are fixed; exceeding one throws, since a benchmark that
/// outgrew its table would be measuring something else.
/// </summary>
internal sealed class PreallocatedState(int slotCapacity = 1024, int accountCapacity = 64, int journalCapacity = 256)
{
    private readonly StorageEntry[] _storage = new StorageEntry[RoundUp(slotCapacity)];
    private readonly AccountEntry[] _accounts = new AccountEntry[RoundUp(accountCapacity)];
    private readonly JournalEntry[] _journal = new JournalEntry[journalCapacity];
    private readonly Dictionary<Hash256, byte[]> _code = new();
    private int _journalCount;

    /// <summary>Forgets the journal (the writes stay), as a committed transaction would.</summary>
    public void Commit() => _journalCount = 0;

    public View AsState() => new(this);

    private static int RoundUp(int capacity) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2));

    private ref StorageEntry FindSlot(in Address address, in Hash256 slot, bool insert)
    {
        int mask = _storage.Length - 1;
        for (int i = slot.GetHashCode() & mask, probes = 0; probes < _storage.Length; i = (i + 1) & mask, probes++)
        {
            ref StorageEntry entry = ref _storage[i];
            if (entry.Used && entry.Slot == slot && entry.Address == address) return ref entry;
            if (!entry.Used)
            {
                if (!insert) return ref entry;
                entry.Used = true;
                entry.Address = address;
                entry.Slot = slot;
                return ref entry;
            }
        }
        throw new InvalidOperationException($"the preallocated storage table ({_storage.Length} slots) is full");
    }

    private ref AccountEntry FindAccount(in Address address, bool insert)
    {
        int mask = _accounts.Length - 1;
        for (int i = address.GetHashCode() & mask, probes = 0; probes < _accounts.Length; i = (i + 1) & mask, probes++)
        {
            ref AccountEntry entry = ref _accounts[i];
            if (entry.Used && entry.Address == address) return ref entry;
            if (!entry.Used)
            {
                if (!insert) return ref entry;
                entry.Used = true;
                entry.Address = address;
                entry.Account = Account.Empty;
                return ref entry;
            }
        }
        throw new InvalidOperationException($"the preallocated account table ({_accounts.Length} accounts) is full");
    }

    private void Journal(in JournalEntry entry)
    {
        if (_journalCount == _journal.Length) throw new InvalidOperationException($"the preallocated journal ({_journal.Length} entries) is full");
        _journal[_journalCount++] = entry;
    }

    /// <summary>The state as the runner takes it: a struct, so the host's state calls are direct.</summary>
    public readonly struct View(PreallocatedState state) : IExecutionState
    {
        public Account GetAccount(in Address address)
        {
            ref AccountEntry entry = ref state.FindAccount(address, insert: false);
            return entry.Used ? entry.Account : Account.Empty;
        }

        public void SetAccount(in Address address, in Account account)
        {
            ref AccountEntry entry = ref state.FindAccount(address, insert: true);
            state.Journal(new JournalEntry(address, default, IsSlot: false, entry.Account, default));
            entry.Account = account;
        }

        public Hash256 GetStorage(in Address address, in Hash256 slot)
        {
            ref StorageEntry entry = ref state.FindSlot(address, slot, insert: false);
            return entry.Used ? entry.Value : default;
        }

        public void SetStorage(in Address address, in Hash256 slot, in Hash256 value)
        {
            ref StorageEntry entry = ref state.FindSlot(address, slot, insert: true);
            state.Journal(new JournalEntry(address, slot, IsSlot: true, default, entry.Value));
            entry.Value = value;
        }

        public byte[]? GetCode(in Hash256 codeHash) => state._code.TryGetValue(codeHash, out byte[]? code) ? code : null;

        public Hash256 SetCode(byte[] code)
        {
            Hash256 hash = Keccak256.Compute(code);
            state._code[hash] = code;
            return hash;
        }

        public int Snapshot() => state._journalCount;

        public void Revert(int snapshot)
        {
            for (int i = state._journalCount - 1; i >= snapshot; i--)
            {
                ref JournalEntry undo = ref state._journal[i];
                if (undo.IsSlot) state.FindSlot(undo.Address, undo.Slot, insert: true).Value = undo.Value;
                else state.FindAccount(undo.Address, insert: true).Account = undo.Account;
            }
            state._journalCount = Math.Min(state._journalCount, snapshot);
        }
    }

    private struct StorageEntry
    {
        public bool Used;
        public Address Address;
        public Hash256 Slot;
        public Hash256 Value;
    }

    private struct AccountEntry
    {
        public bool Used;
        public Address Address;
        public Account Account;
    }

    private readonly record struct JournalEntry(Address Address, Hash256 Slot, bool IsSlot, Account Account, Hash256 Value);
}
