using NexusFast.Engine.Execution;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Tests.Execution;

/// <summary>A plain dictionary state with an undo journal, to test the executor's fee arithmetic in isolation.</summary>
internal sealed class JournaledTestState : IExecutionState
{
    private static readonly Hash256 ContractCodeHash = Hash256.Parse("0x" + new string('c', 64));

    private readonly Dictionary<Address, Account> _accounts = new();
    private readonly Dictionary<(Address, Hash256), Hash256> _storage = new();
    private readonly Dictionary<Hash256, byte[]> _code = new();
    private readonly List<(Address Address, Account Previous, Hash256? Slot, Hash256 PreviousValue)> _journal = new();

    /// <summary>Accounts written (the executor's writes only; the Set helpers below are test setup).</summary>
    public int WriteCount { get; private set; }

    public Account GetAccount(in Address address) => _accounts.TryGetValue(address, out Account account) ? account : Account.Empty;

    public void SetAccount(in Address address, in Account account)
    {
        WriteCount++;
        _journal.Add((address, GetAccount(address), null, default));
        _accounts[address] = account;
    }

    public Hash256 GetStorage(in Address address, in Hash256 slot) =>
        _storage.TryGetValue((address, slot), out Hash256 value) ? value : Hash256.Zero;

    public void SetStorage(in Address address, in Hash256 slot, in Hash256 value)
    {
        StorageWriteCount++;
        _journal.Add((address, default, slot, GetStorage(address, slot)));
        _storage[(address, slot)] = value;
    }

    /// <summary>Storage slots written by the executor.</summary>
    public int StorageWriteCount { get; private set; }

    public byte[]? GetCode(in Hash256 codeHash) =>
        codeHash == Account.EmptyCodeHash ? [] : _code.TryGetValue(codeHash, out byte[]? code) ? code : null;

    public Hash256 SetCode(byte[] code)
    {
        Hash256 hash = NexusFast.Engine.Crypto.Keccak256.Compute(code);
        _code[hash] = code;
        return hash;
    }

    public int Snapshot() => _journal.Count;

    public void Revert(int snapshot)
    {
        for (int i = _journal.Count - 1; i >= snapshot; i--)
        {
            var entry = _journal[i];
            if (entry.Slot is { } slot) _storage[(entry.Address, slot)] = entry.PreviousValue;
            else _accounts[entry.Address] = entry.Previous;
        }
        _journal.RemoveRange(snapshot, _journal.Count - snapshot);
    }

    public ulong GetNonce(Address address) => GetAccount(address).Nonce;

    public UInt256 GetBalance(Address address) => GetAccount(address).Balance;

    public void SetBalance(Address address, UInt256 balance) => _accounts[address] = GetAccount(address).WithBalance(balance);

    public void AddContract(Address address) => _accounts[address] = GetAccount(address).WithCodeHash(ContractCodeHash);
}
