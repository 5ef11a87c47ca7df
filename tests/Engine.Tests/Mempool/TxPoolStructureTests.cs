using FsCheck;
using FsCheck.Fluent;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Mempool;

/// <summary>
/// The pool recycles its entries and sender queues and keeps eviction candidates in an indexed heap; random sequences of
/// admissions, replacements, evictions, commits and clears must leave its structures consistent after every step
/// (<see cref="TxPool.CheckConsistency"/>), and recycling must never change what the pool holds.
/// </summary>
public class TxPoolStructureTests
{
    private enum Op { Add, Commit, Clear }

    private static Arbitrary<(Op Op, int Sender, int Nonce, int Cap, int Tip)[]> Steps() =>
        (from roll in Gen.Choose(0, 99)
         from sender in Gen.Choose(0, 5)
         from nonce in Gen.Choose(0, 6)
         from cap in Gen.Choose(1, 40)
         from tip in Gen.Choose(0, 40)
         select (roll < 80 ? Op.Add : roll < 98 ? Op.Commit : Op.Clear, sender, nonce, cap, tip))
            .ArrayOf()
            .ToArbitrary();

    [Fact]
    public void Random_operations_keep_the_structures_consistent_and_match_a_fresh_pool()
    {
        Prop.ForAll(Steps(), steps =>
        {
            var accounts = new TxPoolTests.Accounts();
            for (int s = 0; s < 6; s++) accounts.Map[TxPoolTests.Sender(s)] = new SenderAccount(0, new UInt256(ulong.MaxValue));
            var limits = new MempoolLimits { TransactionsMax = 10, PerSenderMax = 4 };
            var pool = new TxPool(limits, accounts);
            var admitted = new List<Transaction>();
            foreach (var step in steps)
            {
                Address sender = TxPoolTests.Sender(step.Sender);
                switch (step.Op)
                {
                    case Op.Add:
                        ulong cap = (ulong)step.Cap, tip = Math.Min((ulong)step.Tip, cap);
                        ulong nonce = accounts.Map[sender].Nonce + (ulong)step.Nonce;
                        Transaction tx = TxPoolTests.Tx(sender, nonce, cap, tip, value: (ulong)admitted.Count + 1);
                        if (pool.TryAdd(tx) == TxError.None) admitted.Add(tx);
                        break;
                    case Op.Commit:
                        SenderAccount account = accounts.Map[sender];
                        accounts.Map[sender] = account with { Nonce = account.Nonce + (ulong)step.Nonce };
                        pool.OnBlockCommitted([TxPoolTests.Tx(sender, account.Nonce, 1, 0)]);
                        break;
                    case Op.Clear:
                        pool.Clear();
                        break;
                }
                pool.CheckConsistency();
            }

            // A pool that never recycled anything, given the same survivors, holds and selects the same transactions (arrival
            // order differs, so equal tips may come out in another order).
            var survivors = admitted.Where(tx => pool.Contains(tx.Hash)).ToList();
            var fresh = new TxPool(limits, accounts);
            foreach (Transaction tx in survivors.OrderBy(t => t.Nonce)) fresh.TryAdd(tx);
            return survivors.All(tx => pool.TryGet(tx.Hash, out Transaction? held) && ReferenceEquals(held, tx))
                && fresh.Count == pool.Count
                && pool.SelectForBlock(UInt256.Zero, ulong.MaxValue / 2).Select(t => t.Hash).ToHashSet()
                    .SetEquals(fresh.SelectForBlock(UInt256.Zero, ulong.MaxValue / 2).Select(t => t.Hash));
        }).QuickCheckThrowOnFailure();
    }
}
