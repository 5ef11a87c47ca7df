using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Execution;

/// <summary>
/// What the executor needs from a block's state overlay: account nonces and balances, and a journal so that a
/// failed transaction's own effects can be undone while its gas payment stays.
/// </summary>
public interface IExecutionState
{
    ulong GetNonce(in Address address);

    UInt256 GetBalance(in Address address);

    void SetNonce(in Address address, ulong nonce);

    void SetBalance(in Address address, in UInt256 balance);

    /// <summary>True when the account has contract code (value transfers to it need the VM).</summary>
    bool HasCode(in Address address);

    /// <summary>Marks the journal position; <see cref="Revert"/> undoes every write after it.</summary>
    int Snapshot();

    void Revert(int snapshot);
}
