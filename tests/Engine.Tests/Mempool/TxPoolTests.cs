using NexusFast.Engine.Ledger;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Mempool;

public class TxPoolTests
{
    internal sealed class Accounts : IAccountStateReader
    {
        public Dictionary<Address, SenderAccount> Map { get; } = new();

        public SenderAccount GetSenderAccount(Address address) =>
            Map.TryGetValue(address, out SenderAccount account) ? account : new SenderAccount(0, UInt256.Zero);
    }

    private static int s_hashCounter;

    internal static Address Sender(int i)
    {
        var bytes = new byte[20];
        bytes[0] = 0xAA;
        BitConverter.TryWriteBytes(bytes.AsSpan(16), i);
        return new Address(bytes);
    }

    internal static Transaction Tx(Address sender, ulong nonce, ulong maxFee, ulong tip, ulong gas = 21_000, ulong value = 1)
    {
        var hash = new byte[32];
        BitConverter.TryWriteBytes(hash, Interlocked.Increment(ref s_hashCounter));
        hash[31] = 0x5A;
        return new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = 31337,
            Nonce = nonce,
            MaxFeePerGas = maxFee,
            MaxPriorityFeePerGas = tip,
            GasLimit = gas,
            To = Sender(999_999),
            Value = value,
            Hash = new Hash256(hash),
            Sender = sender,
            HasSender = true,
        };
    }

    private static (TxPool Pool, Accounts Accounts) NewPool(MempoolLimits? limits = null)
    {
        var accounts = new Accounts();
        return (new TxPool(limits ?? new MempoolLimits(), accounts), accounts);
    }

    private static readonly UInt256 Rich = new(1_000_000_000_000_000_000);

    [Fact]
    public void A_nonce_below_the_account_nonce_is_refused_as_nonce_too_low()
    {
        var (pool, accounts) = NewPool();
        accounts.Map[Sender(1)] = new SenderAccount(5, Rich);
        Assert.Equal(TxError.NonceTooLow, pool.TryAdd(Tx(Sender(1), 4, 10, 1)));
        Assert.Equal("nonce too low", TxErrorText.Describe(TxError.NonceTooLow));
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void A_sender_that_cannot_pay_gas_times_price_plus_value_is_refused()
    {
        var (pool, accounts) = NewPool();
        // 21000 * 10 + 1 = 210001 needed.
        accounts.Map[Sender(1)] = new SenderAccount(0, new UInt256(210_000));
        Assert.Equal(TxError.InsufficientFunds, pool.TryAdd(Tx(Sender(1), 0, 10, 1)));
        Assert.Equal("insufficient funds for gas * price + value", TxErrorText.Describe(TxError.InsufficientFunds));
        accounts.Map[Sender(1)] = new SenderAccount(0, new UInt256(210_001));
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(1), 0, 10, 1)));
    }

    [Fact]
    public void Balance_must_cover_the_earlier_queued_transactions_too()
    {
        var (pool, accounts) = NewPool();
        accounts.Map[Sender(1)] = new SenderAccount(0, new UInt256(2 * 210_001 - 1));
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(1), 0, 10, 1)));
        Assert.Equal(TxError.InsufficientFunds, pool.TryAdd(Tx(Sender(1), 1, 10, 1)));
    }

    [Fact]
    public void The_same_transaction_twice_is_already_known()
    {
        var (pool, accounts) = NewPool();
        accounts.Map[Sender(1)] = new SenderAccount(0, Rich);
        Transaction tx = Tx(Sender(1), 0, 10, 1);
        Assert.Equal(TxError.None, pool.TryAdd(tx));
        Assert.Equal(TxError.AlreadyKnown, pool.TryAdd(tx));
        Assert.Equal("already known", TxErrorText.Describe(TxError.AlreadyKnown));
    }

    [Fact]
    public void Replacement_needs_a_ten_percent_bump_of_both_fee_cap_and_tip()
    {
        var (pool, accounts) = NewPool();
        accounts.Map[Sender(1)] = new SenderAccount(0, Rich);
        Transaction original = Tx(Sender(1), 0, 100, 10);
        Assert.Equal(TxError.None, pool.TryAdd(original));
        Assert.Equal(TxError.ReplacementUnderpriced, pool.TryAdd(Tx(Sender(1), 0, 109, 11)));
        Assert.Equal(TxError.ReplacementUnderpriced, pool.TryAdd(Tx(Sender(1), 0, 110, 10)));
        Assert.Equal("replacement transaction underpriced", TxErrorText.Describe(TxError.ReplacementUnderpriced));
        Transaction bumped = Tx(Sender(1), 0, 110, 11);
        Assert.Equal(TxError.None, pool.TryAdd(bumped));
        Assert.Equal(1, pool.Count);
        Assert.False(pool.Contains(original.Hash));
        Assert.True(pool.Contains(bumped.Hash));
    }

    [Fact]
    public void Transactions_behind_a_nonce_gap_wait_until_it_is_filled()
    {
        var (pool, accounts) = NewPool();
        accounts.Map[Sender(1)] = new SenderAccount(0, Rich);
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(1), 1, 10, 1)));
        Assert.Equal((0, 1), pool.Counts());
        Assert.Empty(pool.SelectForBlock(UInt256.One, 30_000_000));
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(1), 0, 10, 1)));
        Assert.Equal((2, 0), pool.Counts());
        Assert.Equal(new ulong[] { 0, 1 }, pool.SelectForBlock(UInt256.One, 30_000_000).Select(t => t.Nonce));
        Assert.Equal(2UL, pool.PendingNonce(Sender(1)));
    }

    [Fact]
    public void A_full_pool_evicts_the_lowest_paying_tail_for_a_better_paying_newcomer()
    {
        var (pool, accounts) = NewPool(new MempoolLimits { TransactionsMax = 3 });
        for (int i = 1; i <= 4; i++) accounts.Map[Sender(i)] = new SenderAccount(0, Rich);
        Transaction cheap = Tx(Sender(1), 0, 5, 1);
        Assert.Equal(TxError.None, pool.TryAdd(cheap));
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(2), 0, 20, 1)));
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(3), 0, 30, 1)));
        Assert.Equal(TxError.PoolFull, pool.TryAdd(Tx(Sender(4), 0, 5, 1)));
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(4), 0, 6, 1)));
        Assert.Equal(3, pool.Count);
        Assert.False(pool.Contains(cheap.Hash));
    }

    [Fact]
    public void A_sender_cannot_queue_more_than_its_limit()
    {
        var (pool, accounts) = NewPool(new MempoolLimits { PerSenderMax = 2 });
        accounts.Map[Sender(1)] = new SenderAccount(0, Rich);
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(1), 0, 10, 1)));
        Assert.Equal(TxError.None, pool.TryAdd(Tx(Sender(1), 1, 10, 1)));
        Assert.Equal(TxError.NonceTooHigh, pool.TryAdd(Tx(Sender(1), 2, 10, 1)));
    }

    [Fact]
    public void Committed_nonces_leave_the_pool()
    {
        var (pool, accounts) = NewPool();
        accounts.Map[Sender(1)] = new SenderAccount(0, Rich);
        Transaction first = Tx(Sender(1), 0, 10, 1);
        pool.TryAdd(first);
        pool.TryAdd(Tx(Sender(1), 1, 10, 1));
        accounts.Map[Sender(1)] = new SenderAccount(1, Rich);
        pool.OnBlockCommitted([first]);
        Assert.Equal(1, pool.Count);
        Assert.False(pool.Contains(first.Hash));
        Assert.Equal((1, 0), pool.Counts());
    }

    [Fact]
    public void Selection_prefers_the_higher_effective_tip_and_skips_unpayable_fee_caps()
    {
        var (pool, accounts) = NewPool();
        for (int i = 1; i <= 3; i++) accounts.Map[Sender(i)] = new SenderAccount(0, Rich);
        Transaction low = Tx(Sender(1), 0, 100, 1);
        Transaction high = Tx(Sender(2), 0, 100, 50);
        Transaction belowBase = Tx(Sender(3), 0, 9, 9);
        pool.TryAdd(low);
        pool.TryAdd(high);
        pool.TryAdd(belowBase);
        List<Transaction> selected = pool.SelectForBlock(new UInt256(10), 30_000_000);
        Assert.Equal([high, low], selected);
    }
}
