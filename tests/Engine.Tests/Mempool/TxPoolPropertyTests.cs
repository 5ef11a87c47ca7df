using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Mempool;

/// <summary>Ordering invariants of block selection over random pools (FsCheck).</summary>
public class TxPoolPropertyTests
{
    /// <summary>A random pool: per transaction (sender 0-7, nonce offset 0-5, fee cap, tip, gas).</summary>
    private static Arbitrary<(int Sender, int Nonce, int Cap, int Tip, int GasUnits)[]> PoolArb() =>
        (from sender in Gen.Choose(0, 7)
         from nonce in Gen.Choose(0, 5)
         from cap in Gen.Choose(1, 60)
         from tip in Gen.Choose(0, 60)
         from gasUnits in Gen.Choose(1, 5)
         select (sender, nonce, cap, tip, gasUnits))
            .ArrayOf()
            .ToArbitrary();

    private static (TxPool Pool, TxPoolTests.Accounts Accounts) Fill((int Sender, int Nonce, int Cap, int Tip, int GasUnits)[] spec)
    {
        var accounts = new TxPoolTests.Accounts();
        for (int s = 0; s < 8; s++) accounts.Map[TxPoolTests.Sender(s)] = new SenderAccount((ulong)s, new UInt256(ulong.MaxValue));
        var pool = new TxPool(new MempoolLimits { TransactionsMax = 24, PerSenderMax = 6 }, accounts);
        foreach (var t in spec)
        {
            ulong cap = (ulong)t.Cap;
            ulong tip = Math.Min((ulong)t.Tip, cap);
            pool.TryAdd(TxPoolTests.Tx(TxPoolTests.Sender(t.Sender), (ulong)(t.Sender + t.Nonce), cap, tip, 21_000UL * (ulong)t.GasUnits));
        }
        return (pool, accounts);
    }

    [Fact]
    public void Selection_keeps_nonce_order_gas_limit_and_fee_cap_rules()
    {
        Prop.ForAll(PoolArb(), Gen.Choose(0, 40).ToArbitrary(), Gen.Choose(1, 40).ToArbitrary(), (spec, baseFeeInt, gasUnits) =>
        {
            var (pool, accounts) = Fill(spec);
            var baseFee = new UInt256((ulong)baseFeeInt);
            ulong gasLimit = 21_000UL * (ulong)gasUnits;
            List<Transaction> selected = pool.SelectForBlock(baseFee, gasLimit);

            ulong gas = 0;
            var nextNonce = new Dictionary<Address, ulong>();
            foreach (Transaction tx in selected)
            {
                gas += tx.GasLimit;
                if (tx.MaxFeePerGas < baseFee) return false;
                ulong expected = nextNonce.TryGetValue(tx.Sender, out ulong n) ? n : accounts.GetSenderAccount(tx.Sender).Nonce;
                if (tx.Nonce != expected) return false;
                nextNonce[tx.Sender] = expected + 1;
            }
            return gas <= gasLimit && pool.Count <= 24;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void With_room_for_everything_every_ready_payable_transaction_is_selected()
    {
        Prop.ForAll(PoolArb(), spec =>
        {
            var (pool, accounts) = Fill(spec);
            List<Transaction> selected = pool.SelectForBlock(UInt256.Zero, ulong.MaxValue / 2);
            return selected.Count == pool.Counts().Ready;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void With_one_transaction_per_sender_tips_never_increase_along_the_block()
    {
        Prop.ForAll(PoolArb(), Gen.Choose(0, 40).ToArbitrary(), (spec, baseFeeInt) =>
        {
            var firstOnly = spec.Select(t => t with { Nonce = 0 }).ToArray();
            var (pool, _) = Fill(firstOnly);
            var baseFee = new UInt256((ulong)baseFeeInt);
            List<Transaction> selected = pool.SelectForBlock(baseFee, ulong.MaxValue / 2);
            for (int i = 1; i < selected.Count; i++)
            {
                if (selected[i].EffectiveTip(baseFee) > selected[i - 1].EffectiveTip(baseFee)) return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }
}
