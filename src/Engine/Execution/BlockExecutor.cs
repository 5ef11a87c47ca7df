using NexusFast.Engine.Ledger;

namespace NexusFast.Engine.Execution;

/// <summary>
/// Runs a block's transactions in order. Building (proposer) skips transactions that turn out invalid against
/// the state; importing (validator, recovery replay) rejects the whole block on the first invalid one.
/// The caller owns and reuses the output lists, so steady-state execution allocates nothing per transaction.
/// </summary>
public sealed class BlockExecutor
{
    private readonly TransactionExecutor _transactions = new();

    /// <summary>Builds: applies what it can, appending applied transactions and their receipts; returns gas used.</summary>
    public ulong Build<TState>(TState state, in BlockContext block, IReadOnlyList<Transaction> candidates,
        List<Transaction> included, List<Receipt> receipts) where TState : IExecutionState
    {
        ulong gasUsed = 0;
        foreach (Transaction tx in candidates)
        {
            if (block.GasLimit - gasUsed < IntrinsicGas.Transaction) break;
            if (_transactions.Apply(state, block, tx, gasUsed, out Receipt receipt) != TxError.None) continue;
            included.Add(tx);
            receipts.Add(receipt);
            gasUsed = receipt.CumulativeGasUsed;
        }
        return gasUsed;
    }

    /// <summary>Imports: every transaction must apply; returns the failing index and error, or -1 and None.</summary>
    public (int Index, TxError Error) Import<TState>(TState state, in BlockContext block, IReadOnlyList<Transaction> transactions,
        List<Receipt> receipts, out ulong gasUsed) where TState : IExecutionState
    {
        gasUsed = 0;
        for (int i = 0; i < transactions.Count; i++)
        {
            TxError error = _transactions.Apply(state, block, transactions[i], gasUsed, out Receipt receipt);
            if (error != TxError.None) return (i, error);
            receipts.Add(receipt);
            gasUsed = receipt.CumulativeGasUsed;
        }
        return (-1, TxError.None);
    }
}
