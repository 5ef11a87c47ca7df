using NexusFast.Engine.Execution;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Execution;

/// <summary>A plain dictionary state with an undo journal, to test the executor's fee arithmetic in isolation.</summary>
internal sealed class JournaledTestState : IExecutionState
{
    private readonly Dictionary<Address, (ulong Nonce, UInt256 Balance)> _accounts = new();
    private readonly List<(Address Address, bool Existed, (ulong Nonce, UInt256 Balance) Previous)> _journal = new();

    public HashSet<Address> Contracts { get; } = new();

    public ulong GetNonce(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Nonce : 0;

    public UInt256 GetBalance(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Balance : UInt256.Zero;

    public void SetNonce(in Address address, ulong nonce) => Write(address, (nonce, GetBalance(address)));

    public void SetBalance(in Address address, in UInt256 balance) => Write(address, (GetNonce(address), balance));

    public bool HasCode(in Address address) => Contracts.Contains(address);

    public int Snapshot() => _journal.Count;

    public void Revert(int snapshot)
    {
        for (int i = _journal.Count - 1; i >= snapshot; i--)
        {
            var (address, existed, previous) = _journal[i];
            if (existed) _accounts[address] = previous;
            else _accounts.Remove(address);
        }
        _journal.RemoveRange(snapshot, _journal.Count - snapshot);
    }

    private void Write(Address address, (ulong, UInt256) value)
    {
        bool existed = _accounts.TryGetValue(address, out var previous);
        _journal.Add((address, existed, previous));
        _accounts[address] = value;
    }
}
