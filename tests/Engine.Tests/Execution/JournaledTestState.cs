using NexusFast.Engine.Execution;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Tests.Execution;

/// <summary>A plain dictionary state with an undo journal, to test the executor's fee arithmetic in isolation.</summary>
internal sealed class JournaledTestState : IExecutionState
{
    private static readonly Hash256 ContractCodeHash = Hash256.Parse("0x" + new string('c', 64));

    private readonly Dictionary<Address, Account> _accounts = new();
    private readonly List<(Address Address, Account Previous)> _journal = new();

    /// <summary>Accounts written (the executor's writes only; the Set helpers below are test setup).</summary>
    public int WriteCount { get; private set; }

    public Account GetAccount(in Address address) => _accounts.TryGetValue(address, out Account account) ? account : Account.Empty;

    public void SetAccount(in Address address, in Account account)
    {
        WriteCount++;
        _journal.Add((address, GetAccount(address)));
        _accounts[address] = account;
    }

    public int Snapshot() => _journal.Count;

    public void Revert(int snapshot)
    {
        for (int i = _journal.Count - 1; i >= snapshot; i--) _accounts[_journal[i].Address] = _journal[i].Previous;
        _journal.RemoveRange(snapshot, _journal.Count - snapshot);
    }

    public ulong GetNonce(Address address) => GetAccount(address).Nonce;

    public UInt256 GetBalance(Address address) => GetAccount(address).Balance;

    public void SetBalance(Address address, UInt256 balance) => _accounts[address] = GetAccount(address).WithBalance(balance);

    public void AddContract(Address address) => _accounts[address] = GetAccount(address).WithCodeHash(ContractCodeHash);
}
