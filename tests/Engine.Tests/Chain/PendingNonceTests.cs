using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Tests.Chain.ChainFixtures;

namespace NexusFast.Engine.Tests.Chain;

public class PendingNonceTests
{
    [Fact]
    public async Task After_a_block_commits_every_reader_sees_the_senders_new_nonce()
    {
        using var chain = Blockchain.Open(Options(3));
        Address alice = AddressOf(Key(0)), bob = AddressOf(Key(1));
        for (ulong n = 0; n < 50; n++)
        {
            Assert.Equal(TxError.None, chain.SubmitRawTransaction(SignedTransfer(Key(0), n, bob, 1), out _, out string detail));
            chain.ProduceBlock(0);
            Assert.Equal(n + 1, chain.GetAccount(alice).Nonce);
            Assert.Equal(n + 1, chain.Pool.PendingNonce(alice));
            Assert.Equal(n + 1, await Task.Run(() => chain.Pool.PendingNonce(alice)));
        }
    }

    [Fact]
    public async Task A_block_produced_on_another_thread_is_seen_by_the_pool_on_this_one()
    {
        using var chain = Blockchain.Open(Options(3));
        Address alice = AddressOf(Key(0)), bob = AddressOf(Key(1));
        for (ulong n = 0; n < 200; n++)
        {
            Assert.Equal(TxError.None, chain.SubmitRawTransaction(SignedTransfer(Key(0), n, bob, 1), out _, out _));
            await Task.Run(() => chain.ProduceBlock(0));
            Assert.Equal(n + 1, await Task.Run(() => chain.GetAccount(alice).Nonce));
            Assert.Equal(n + 1, chain.Pool.PendingNonce(alice));
            Assert.Equal(0, chain.Pool.Count);
        }
    }
}
