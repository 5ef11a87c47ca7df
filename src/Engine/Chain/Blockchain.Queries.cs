using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Chain;

/// <summary>
/// Reads that must agree with one block (RPC: "the balance at block N"). They run under the commit lock, so the head
/// they report is the block whose state they read; the store keeps only the latest state, so that is the only block
/// they can answer for.
/// </summary>
public sealed partial class Blockchain
{
    private readonly TransactionExecutor _simulator = new();

    public Account GetAccount(Address address, out Block head)
    {
        lock (_commitGate)
        {
            head = _head;
            return _state.GetAccount(address);
        }
    }

    /// <summary>A storage slot of the committed state; zero when absent.</summary>
    public Hash256 GetStorage(Address address, in Hash256 slot, out Block head)
    {
        lock (_commitGate)
        {
            head = _head;
            return _state.GetStorage(address, slot);
        }
    }

    /// <summary>Account and storage proofs against the head's state root.</summary>
    public StateProofSet GetProofs(Address address, Hash256[] slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        lock (_commitGate)
        {
            Block head = _head;
            Account account = _state.GetAccount(address);
            AccountProof accountProof = _state.GetAccountProof(address, out Hash256 stateRoot);
            Diagnostics.Invariant.Check(stateRoot == head.Header.StateRoot);
            var values = new Hash256[slots.Length];
            var proofs = new StorageProof[slots.Length];
            Hash256 storageRoot = account.StorageRoot;
            for (int i = 0; i < slots.Length; i++)
            {
                values[i] = _state.GetStorage(address, slots[i]);
                proofs[i] = _state.GetStorageProof(address, slots[i], out storageRoot);
            }
            return new StateProofSet(head, account, accountProof, storageRoot, slots, values, proofs);
        }
    }

    /// <summary>
    /// Executes <paramref name="tx"/> (its <see cref="Transaction.Sender"/> set, no signature needed) as the first
    /// transaction of the next block and discards the result: eth_estimateGas and eth_call. With
    /// <paramref name="chargeBaseFee"/> false the block's base fee is zero, which is how Ethereum nodes simulate calls
    /// that name no fee (a zero-priced call must not fail the fee-cap check).
    /// </summary>
    /// <param name="head">The block whose state the simulation ran on.</param>
    public TxError SimulateTransaction(Transaction tx, bool chargeBaseFee, out Receipt receipt, out Block head) =>
        SimulateTransaction(tx, chargeBaseFee, out receipt, out head, out _, out _);

    /// <summary>As the overload without them, also giving what contract code returned (or its revert data) and why it
    /// failed when it failed other than by reverting (out of gas, a fault; null for a revert).</summary>
    public TxError SimulateTransaction(Transaction tx, bool chargeBaseFee, out Receipt receipt, out Block head,
        out byte[] output, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (!tx.HasSender) throw new ArgumentException("the transaction's sender must be set", nameof(tx));
        lock (_commitGate)
        {
            Block parent = _head;
            head = parent;
            var context = new BlockContext(parent.Number + 1, parent.Header.Timestamp + 1, _options.Proposer,
                chargeBaseFee ? NextBaseFee : UInt256.Zero, Config.BlockGasLimit);
            using StateOverlay overlay = _state.BeginSimulation();
            TxError error = _simulator.Apply(new OverlayExecutionState(overlay), context, tx, 0, out receipt);
            output = _simulator.LastOutput.ToArray();
            failure = _simulator.LastFailure;
            return error;
        }
    }

    /// <summary>The code of <paramref name="address"/> in the committed state (the deployed ELF object); empty for an account without code.</summary>
    public byte[] GetCode(Address address, out Block head)
    {
        lock (_commitGate)
        {
            head = _head;
            Account account = _state.GetAccount(address);
            byte[]? code = _state.GetCode(account.CodeHash);
            // Code is stored in the same commit that sets the hash: an account pointing at missing code is a corrupted store.
            Diagnostics.Invariant.Check(code is not null);
            return code!;
        }
    }
}
