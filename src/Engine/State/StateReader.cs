using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Persistence;

namespace NexusFast.Engine.State;

/// <summary>
/// Reads committed accounts and storage from threads other than the state thread (RPC, mempool admission) through
/// its own FASTER session, without waiting for the state thread. Thread-safe, but calls on one reader take turns: give
/// busy workers a reader each.
/// </summary>
/// <remarks>
/// Each read sees one record as committed; reads made while a block is being applied may see some of its accounts and
/// not others. Callers that need one block's state throughout (eth_call at a block) serialize with the state thread.
/// </remarks>
public sealed class StateReader : IAccountStateReader, IDisposable
{
    private readonly StateStore _store;
    private readonly StateSession _session;
    private readonly Lock _gate = new();
    private bool _disposed;

    internal StateReader(StateStore store, StateSession session)
    {
        _store = store;
        _session = session;
    }

    public bool TryGetAccount(Address address, out Account account)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _session.TryReadAccount(address, out account, out _);
        }
    }

    public Account GetAccount(Address address)
    {
        TryGetAccount(address, out Account account);
        return account;
    }

    public Hash256 GetStorage(Address address, in Hash256 slot)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _session.TryReadStorage(address, slot, out Hash256 value, out _);
            return value;
        }
    }

    /// <summary>Contract code by its hash (<see cref="Account.CodeHash"/>); empty for <see cref="Account.EmptyCodeHash"/>, null when unknown.</summary>
    public byte[]? GetCode(in Hash256 codeHash)
    {
        if (codeHash == Account.EmptyCodeHash) return [];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _session.TryReadCode(codeHash);
        }
    }

    public SenderAccount GetSenderAccount(Address address)
    {
        Account account = GetAccount(address);
        return new SenderAccount(account.Nonce, account.Balance);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _session.Dispose();
        }
        _store.ReleaseReader(this);
    }
}
