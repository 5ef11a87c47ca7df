using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.Tests.Mempool;

namespace NexusFast.Engine.Tests.Execution;

public class TransactionExecutorTests
{
    private static readonly Address Alice = TxPoolTests.Sender(1);
    private static readonly Address Bob = TxPoolTests.Sender(2);
    private static readonly Address Proposer = TxPoolTests.Sender(3);
    private static readonly BlockContext Block = new(1, 1_700_000_000, Proposer, new UInt256(100), 30_000_000);

    private static Transaction Transfer(ulong nonce, ulong maxFee, ulong tip, ulong value, ulong gas = 50_000, Address? to = null)
    {
        Transaction tx = TxPoolTests.Tx(Alice, nonce, maxFee, tip, gas, value);
        tx.To = to ?? Bob;
        return tx;
    }

    [Fact]
    public void A_transfer_pays_intrinsic_gas_burns_the_base_fee_and_tips_the_proposer()
    {
        var state = new JournaledTestState();
        state.SetBalance(Alice, new UInt256(10_000_000_000));
        var executor = new TransactionExecutor();

        // Effective price = min(150, 100 + 20) = 120; tip 20 per gas; 21000 gas used of 50000.
        TxError error = executor.Apply(state, Block, Transfer(0, 150, 20, 1_000), 0, out Receipt receipt);

        Assert.Equal(TxError.None, error);
        Assert.True(receipt.Success);
        Assert.Equal(21_000UL, receipt.GasUsed);
        Assert.Equal(new UInt256(120), receipt.EffectiveGasPrice);
        Assert.Equal(new UInt256(10_000_000_000 - 1_000 - (21_000 * 120)), state.GetBalance(Alice));
        Assert.Equal(new UInt256(1_000), state.GetBalance(Bob));
        Assert.Equal(new UInt256(21_000 * 20), state.GetBalance(Proposer));
        Assert.Equal(1UL, state.GetNonce(Alice));
    }

    [Fact]
    public void A_transfer_writes_each_account_it_touches_once()
    {
        var state = new JournaledTestState();
        state.SetBalance(Alice, new UInt256(10_000_000_000));

        Assert.Equal(TxError.None, new TransactionExecutor().Apply(state, Block, Transfer(0, 150, 20, 1_000), 0, out _));

        Assert.Equal(3, state.WriteCount);
    }

    [Fact]
    public void A_transfer_to_oneself_costs_only_the_gas()
    {
        var state = new JournaledTestState();
        state.SetBalance(Alice, new UInt256(10_000_000_000));

        Assert.Equal(TxError.None, new TransactionExecutor().Apply(state, Block, Transfer(0, 150, 20, 1_000, to: Alice), 0, out Receipt receipt));

        Assert.True(receipt.Success);
        Assert.Equal(new UInt256(10_000_000_000 - (21_000 * 120)), state.GetBalance(Alice));
        Assert.Equal(1UL, state.GetNonce(Alice));
        Assert.Equal(new UInt256(21_000 * 20), state.GetBalance(Proposer));
    }

    [Fact]
    public void The_proposer_as_sender_or_recipient_gets_its_tip_on_top()
    {
        var state = new JournaledTestState();
        state.SetBalance(Proposer, new UInt256(10_000_000_000));
        var executor = new TransactionExecutor();
        Transaction fromProposer = TxPoolTests.Tx(Proposer, 0, 150, 20, 50_000, 1_000);
        fromProposer.To = Bob;
        Transaction toProposer = Transfer(0, 150, 20, 7, to: Proposer);
        state.SetBalance(Alice, new UInt256(10_000_000_000));

        Assert.Equal(TxError.None, executor.Apply(state, Block, fromProposer, 0, out _));
        Assert.Equal(TxError.None, executor.Apply(state, Block, toProposer, 21_000, out _));

        // Proposer: paid 21000 * 120 and 1000 away, earned two tips of 21000 * 20 and received 7.
        Assert.Equal(new UInt256(10_000_000_000 - (21_000 * 120) - 1_000 + (2 * 21_000 * 20) + 7), state.GetBalance(Proposer));
        Assert.Equal(new UInt256(1_000), state.GetBalance(Bob));
        Assert.Equal(new UInt256(10_000_000_000 - (21_000 * 120) - 7), state.GetBalance(Alice));
    }

    [Fact]
    public void A_zero_value_transfer_does_not_write_the_recipient()
    {
        var state = new JournaledTestState();
        state.SetBalance(Alice, new UInt256(10_000_000_000));

        Assert.Equal(TxError.None, new TransactionExecutor().Apply(state, Block, Transfer(0, 150, 20, 0), 0, out Receipt receipt));

        Assert.True(receipt.Success);
        Assert.Equal(2, state.WriteCount);
        Assert.Equal(Account.Empty, state.GetAccount(Bob));
    }

    [Theory]
    [InlineData(1UL, 150UL, 1_000UL, TxError.NonceTooHigh)]
    [InlineData(0UL, 99UL, 1_000UL, TxError.FeeCapBelowBaseFee)]
    [InlineData(0UL, 150UL, 3_000_000UL, TxError.InsufficientFunds)]
    public void An_invalid_transaction_changes_nothing(ulong nonce, ulong maxFee, ulong value, TxError expected)
    {
        var state = new JournaledTestState();
        // Max cost at 150/gas for 50000 gas = 7.5M; value 3M pushes it over 10M.
        state.SetBalance(Alice, new UInt256(10_000_000));
        var executor = new TransactionExecutor();

        TxError error = executor.Apply(state, Block, Transfer(nonce, maxFee, 1, value), 0, out _);

        Assert.Equal(expected, error);
        Assert.Equal(new UInt256(10_000_000), state.GetBalance(Alice));
        Assert.Equal(0UL, state.GetNonce(Alice));
        Assert.True(state.GetBalance(Bob).IsZero);
        Assert.True(state.GetBalance(Proposer).IsZero);
    }

    [Fact]
    public void A_transaction_that_fails_while_running_still_pays_its_gas()
    {
        var state = new JournaledTestState();
        state.SetBalance(Alice, new UInt256(10_000_000_000));
        state.AddContract(Bob);
        var executor = new TransactionExecutor();

        TxError error = executor.Apply(state, Block, Transfer(0, 150, 20, 1_000, gas: 30_000), 0, out Receipt receipt);

        Assert.Equal(TxError.None, error);
        Assert.False(receipt.Success);
        Assert.Equal(30_000UL, receipt.GasUsed);
        Assert.True(state.GetBalance(Bob).IsZero);
        Assert.Equal(new UInt256(10_000_000_000 - (30_000 * 120)), state.GetBalance(Alice));
        Assert.Equal(1UL, state.GetNonce(Alice));
    }

    [Fact]
    public void Building_skips_invalid_transactions_and_keeps_cumulative_gas()
    {
        var state = new JournaledTestState();
        state.SetBalance(Alice, new UInt256(10_000_000_000));
        var executor = new BlockExecutor();
        var included = new List<Transaction>();
        var receipts = new List<Receipt>();
        Transaction first = Transfer(0, 150, 20, 1);
        Transaction gap = Transfer(5, 150, 20, 1);
        Transaction second = Transfer(1, 150, 20, 1);

        ulong gasUsed = executor.Build(state, Block, [first, gap, second], included, receipts);

        Assert.Equal([first, second], included);
        Assert.Equal(42_000UL, gasUsed);
        Assert.Equal([21_000UL, 42_000UL], receipts.Select(r => r.CumulativeGasUsed));
    }

    [Fact]
    public void Importing_rejects_a_block_with_an_invalid_transaction_and_names_it()
    {
        var state = new JournaledTestState();
        state.SetBalance(Alice, new UInt256(10_000_000_000));
        var executor = new BlockExecutor();
        (int index, TxError error) = executor.Import(state, Block, [Transfer(0, 150, 20, 1), Transfer(0, 150, 20, 1)], new List<Receipt>(), out _);
        Assert.Equal((1, TxError.NonceTooLow), (index, error));
    }

    [Fact]
    public void The_base_fee_moves_by_at_most_one_eighth_toward_the_target()
    {
        var config = new ChainConfig { BlockGasLimit = 30_000_000 };
        var baseFee = new UInt256(1_000_000_000);
        Assert.Equal(baseFee, FeeMarket.NextBaseFee(config, 15_000_000, 30_000_000, baseFee));
        Assert.Equal(new UInt256(1_125_000_000), FeeMarket.NextBaseFee(config, 30_000_000, 30_000_000, baseFee));
        Assert.Equal(new UInt256(875_000_000), FeeMarket.NextBaseFee(config, 0, 30_000_000, baseFee));
        // The minimum increase is 1 wei when the block is barely over target.
        Assert.Equal(new UInt256(8), FeeMarket.NextBaseFee(config, 15_000_001, 30_000_000, new UInt256(7)));
    }
}
