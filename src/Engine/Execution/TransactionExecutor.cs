using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Execution;

/// <summary>
/// Applies one transaction to a block's state with the EIP-1559 fee market: the sender prepays gasLimit * price,
/// the transaction runs, unused gas is refunded, the base fee part is burned and the tip goes to the proposer.
/// A transaction that fails while running still pays for the gas it used; one that is invalid against the state
/// (nonce, funds, fee cap, block gas) changes nothing and is reported as an error. Transactions that create a contract
/// or call one run its code through a <see cref="ContractRunner"/>; plain transfers never touch it.
/// </summary>
public sealed class TransactionExecutor(ContractCache cache)
{
    private readonly ContractCache _cache = cache;
    private ContractRunner? _contracts;
    private bool _ranContract;
    private string? _lastFailure;

    public TransactionExecutor() : this(ContractCache.Shared)
    {
    }

    /// <summary>
    /// The return data (or revert data) of the last transaction applied, when it ran contract code; empty otherwise.
    /// Valid until the next <see cref="Apply"/>; eth_call and eth_estimateGas read it.
    /// </summary>
    public ReadOnlySpan<byte> LastOutput => _ranContract ? _contracts!.Output : default;

    /// <summary>Why the last transaction's code failed other than by reverting (out of gas, a fault, a bad object), or null.</summary>
    public string? LastFailure => _ranContract ? _lastFailure : null;

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
        _ranContract = false;
        Address? createdAddress = null;
        LogEntry[] logs = Receipt.NoLogs;
        LogsBloom bloom = LogsBloom.Empty;
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
            // A creation or a call to code: prepay all the gas, run the code on a snapshot, undo its writes if it fails,
            // and refund what it did not use.
            UInt256 prepaid = new UInt256(tx.GasLimit) * price;
            state.SetAccount(sender, new Account(from.Nonce + 1, from.Balance - prepaid, from.CodeHash, from.StorageRoot));
            int snapshot = state.Snapshot();
            ContractRunner runner = _contracts ??= new ContractRunner(_cache);
            runner.BeginTransaction(block, sender);
            long available = (long)Math.Min(tx.GasLimit - intrinsicGas, long.MaxValue);
            ContractCallResult result;
            if (tx.To is { } callee)
            {
                result = runner.Invoke(state, 0, sender, callee, tx.Value, tx.Data.Span, available);
            }
            else
            {
                createdAddress = ContractAddress.ForCreation(sender, tx.Nonce);
                result = runner.Create(state, sender, createdAddress.Value, tx.Value, tx.Data.Span, available);
            }
            success = result.Success;
            gasUsed = intrinsicGas + (ulong)Math.Min(result.GasUsed, available);
            if (success)
            {
                if (runner.Logs.Count > 0)
                {
                    logs = [.. runner.Logs];
                    bloom = LogsBloom.FromLogs(logs);
                }
            }
            else
            {
                state.Revert(snapshot);
            }
            _lastFailure = result.Failure;
            _ranContract = true;
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
            ContractAddress = createdAddress,
            Logs = logs,
            Bloom = bloom,
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
