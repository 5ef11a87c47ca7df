using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Execution;

/// <summary>
/// Applies one transaction to a block's state with the EIP-1559 fee market: the sender prepays gasLimit * price,
/// the transaction runs, unused gas is refunded, the base fee part is burned and the tip goes to the proposer.
/// A transaction that fails while running still pays for the gas it used; one that is invalid against the state
/// (nonce, funds, fee cap, block gas) changes nothing and is reported as an error.
/// </summary>
public sealed class TransactionExecutor
{
    public TxError Apply<TState>(TState state, in BlockContext block, Transaction tx, ulong blockGasUsed, out Receipt receipt)
        where TState : IExecutionState
    {
        receipt = default;
        Invariant.Check(tx.HasSender);
        if (tx.GasLimit > block.GasLimit - blockGasUsed) return TxError.GasLimitAboveBlockLimit;
        if (tx.MaxFeePerGas < block.BaseFee) return TxError.FeeCapBelowBaseFee;

        Address sender = tx.Sender;
        ulong nonce = state.GetNonce(sender);
        if (tx.Nonce < nonce) return TxError.NonceTooLow;
        if (tx.Nonce > nonce) return TxError.NonceTooHigh;

        // Ethereum checks the balance against the fee cap, not the effective price (EIP-1559 "max cost").
        UInt256 balance = state.GetBalance(sender);
        if (!tx.TryGetMaxCost(out UInt256 maxCost) || balance < maxCost) return TxError.InsufficientFunds;

        ulong intrinsicGas = IntrinsicGas.Compute(tx);
        if (intrinsicGas > tx.GasLimit) return TxError.IntrinsicGasTooLow;

        UInt256 price = tx.EffectiveGasPrice(block.BaseFee);
        UInt256 prepaid = new UInt256(tx.GasLimit) * price;
        state.SetNonce(sender, nonce + 1);
        state.SetBalance(sender, balance - prepaid);

        int snapshot = state.Snapshot();
        bool success;
        ulong gasUsed;
        if (tx.To is not { } recipient || state.HasCode(recipient))
        {
            // Contract creation and calls need the VM, which is not part of the engine yet: the transaction fails
            // the way an exceptional halt does (all gas consumed, effects reverted), so nothing half-runs.
            success = false;
            gasUsed = tx.GasLimit;
        }
        else
        {
            success = true;
            gasUsed = intrinsicGas;
            Transfer(state, sender, recipient, tx.Value);
        }
        if (!success) state.Revert(snapshot);

        UInt256 refund = new UInt256(tx.GasLimit - gasUsed) * price;
        if (!refund.IsZero) Credit(state, sender, refund);
        UInt256 tip = new UInt256(gasUsed) * tx.EffectiveTip(block.BaseFee);
        if (!tip.IsZero) Credit(state, block.Proposer, tip);

        receipt = new Receipt
        {
            Type = tx.Type,
            Success = success,
            GasUsed = gasUsed,
            CumulativeGasUsed = blockGasUsed + gasUsed,
            EffectiveGasPrice = price,
            TransactionHash = tx.Hash,
            From = sender,
            To = tx.To,
        };
        return TxError.None;
    }

    private static void Transfer<TState>(TState state, in Address from, in Address to, in UInt256 value) where TState : IExecutionState
    {
        if (value.IsZero) return;
        UInt256 fromBalance = state.GetBalance(from);
        // The max-cost check above guarantees the sender still holds value after prepaying gas.
        Invariant.Check(!UInt256.SubtractUnderflow(fromBalance, value, out UInt256 remaining));
        state.SetBalance(from, remaining);
        Credit(state, to, value);
    }

    private static void Credit<TState>(TState state, in Address to, in UInt256 amount) where TState : IExecutionState
    {
        // Balances are bounded by the total supply, far below 2^256; wrapping would mean corrupted state.
        Invariant.Check(!UInt256.AddOverflow(state.GetBalance(to), amount, out UInt256 credited));
        state.SetBalance(to, credited);
    }
}
