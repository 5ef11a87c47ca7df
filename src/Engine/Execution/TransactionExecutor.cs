using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

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
        Account from = state.GetAccount(sender);
        if (tx.Nonce < from.Nonce) return TxError.NonceTooLow;
        if (tx.Nonce > from.Nonce) return TxError.NonceTooHigh;

        // Ethereum checks the balance against the fee cap, not the effective price (EIP-1559 "max cost").
        if (!tx.TryGetMaxCost(out UInt256 maxCost) || from.Balance < maxCost) return TxError.InsufficientFunds;

        ulong intrinsicGas = IntrinsicGas.Compute(tx);
        if (intrinsicGas > tx.GasLimit) return TxError.IntrinsicGasTooLow;

        if (tx.Type == TxType.MlDsa)
        {
            // A key-hash transaction needs its key registered by an earlier transaction (an earlier block, or earlier in
            // this one): the rule every node checks the same way, whatever its signature verifier had cached.
            if (!tx.MlDsaKeyEmbedded && !MlDsaKeyRegistry.IsRegistered(state, tx.MlDsaKeyHash)) return TxError.MlDsaKeyNotRegistered;
            // The last check has passed, so the transaction applies: record a carried key (its intrinsic gas paid for it).
            // Outside any snapshot: like the nonce and the gas payment, it stays even if execution fails.
            if (tx.MlDsaKeyEmbedded) MlDsaKeyRegistry.Register(state, tx.MlDsaKeyHash, tx.MlDsaPublicKey.Span);
        }

        UInt256 price = tx.EffectiveGasPrice(block.BaseFee);
        bool success;
        ulong gasUsed;
        Account to = default;
        if (tx.To is { } recipient && !(to = state.GetAccount(recipient)).HasCode)
        {
            // A value transfer to an account without code cannot fail once the max-cost check passed, so the gas
            // prepayment, the transfer and the refund of unused gas fold into one write of the sender's final account
            // (the end state of prepay, transfer, refund; nothing runs in between that could observe the steps).
            success = true;
            gasUsed = intrinsicGas;
            UInt256 charge = new UInt256(gasUsed) * price;
            bool underflow = UInt256.SubtractUnderflow(from.Balance, charge, out UInt256 afterGas);
            underflow |= UInt256.SubtractUnderflow(afterGas, tx.Value, out UInt256 remaining);
            Invariant.Check(!underflow);
            state.SetAccount(sender, new Account(from.Nonce + 1, remaining, from.CodeHash, from.StorageRoot));
            if (!tx.Value.IsZero)
            {
                // A self-transfer reads the account again: the write above changed it.
                if (recipient == sender) to = state.GetAccount(recipient);
                Invariant.Check(!UInt256.AddOverflow(to.Balance, tx.Value, out UInt256 credited));
                state.SetAccount(recipient, new Account(to.Nonce, credited, to.CodeHash, to.StorageRoot));
            }
        }
        else
        {
            // Contract creation and calls need the VM, which is not part of the engine yet: the sender prepays all the
            // gas, and the transaction fails the way an exceptional halt does (all gas consumed, effects reverted),
            // so nothing half-runs.
            UInt256 prepaid = new UInt256(tx.GasLimit) * price;
            state.SetAccount(sender, new Account(from.Nonce + 1, from.Balance - prepaid, from.CodeHash, from.StorageRoot));
            int snapshot = state.Snapshot();
            success = false;
            gasUsed = tx.GasLimit;
            state.Revert(snapshot);
            UInt256 refund = new UInt256(tx.GasLimit - gasUsed) * price;
            if (!refund.IsZero) Credit(state, sender, refund);
        }

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

    private static void Credit<TState>(TState state, in Address to, in UInt256 amount) where TState : IExecutionState
    {
        // Balances are bounded by the total supply, far below 2^256; wrapping would mean corrupted state.
        Account account = state.GetAccount(to);
        Invariant.Check(!UInt256.AddOverflow(account.Balance, amount, out UInt256 credited));
        state.SetAccount(to, new Account(account.Nonce, credited, account.CodeHash, account.StorageRoot));
    }
}
