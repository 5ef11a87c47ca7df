using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Execution;

/// <summary>
/// What the executor needs from a block's state overlay: whole accounts, contract storage and code, (one read gives nonce, balance and code hash,
/// one write replaces them) and a journal so that a failed transaction's own effects can be undone while its gas
/// payment stays.
/// </summary>
/// <remarks>
/// Whole-account access is what keeps a transfer at two overlay lookups per account it touches: a read and a write
/// (measured in perf/Benchmarks/BlockBenchmarks.cs; field-by-field getters and setters needed sixteen per transfer).
/// </remarks>
public interface IExecutionState
{
    /// <summary>The account as this block sees it so far; <see cref="Account.Empty"/> when absent.</summary>
    Account GetAccount(in Address address);

    /// <summary>Replaces nonce, balance and code hash (the storage root is the state's own).</summary>
    void SetAccount(in Address address, in Account account);

    /// <summary>A storage slot of a contract; zero when never written.</summary>
    Hash256 GetStorage(in Address address, in Hash256 slot);

    /// <summary>Writes a storage slot (journaled); zero deletes it.</summary>
    void SetStorage(in Address address, in Hash256 slot, in Hash256 value);

    /// <summary>Code by hash: empty for <see cref="Account.EmptyCodeHash"/>, null when the state does not have it.</summary>
    byte[]? GetCode(in Hash256 codeHash);

    /// <summary>Stores code under its Keccak-256 hash, which it returns (content-addressed, so not journaled).</summary>
    Hash256 SetCode(byte[] code);

    /// <summary>Marks the journal position; <see cref="Revert"/> undoes every write after it.</summary>
    int Snapshot();

    void Revert(int snapshot);
}
