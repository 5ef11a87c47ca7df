using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Storage;
using static NexusFast.Engine.Tests.Chain.ChainFixtures;

namespace NexusFast.Engine.Tests.Chain;

public sealed class BlockchainTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-chain-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_submitted_transfer_is_included_in_the_next_block_with_fees_split()
    {
        using var chain = Blockchain.Open(Options(2));
        Address alice = AddressOf(Key(0)), bob = AddressOf(Key(1));
        UInt256 aliceBefore = chain.GetAccount(alice).Balance;
        UInt256 baseFee = chain.NextBaseFee;

        TxError error = chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 5), out Transaction tx, out string detail);
        Assert.True(error == TxError.None, detail);
        Block block = chain.ProduceBlock(1_700_000_001);

        Assert.Equal(1UL, block.Number);
        Assert.Equal(tx.Hash, Assert.Single(block.Transactions).Hash);
        Assert.Equal(21_000UL, block.Header.GasUsed);
        UInt256 price = UInt256.Min(new UInt256(10_000_000_000), baseFee + new UInt256(1_000_000_000));
        Assert.Equal(aliceBefore - new UInt256(5) - (new UInt256(21_000) * price), chain.GetAccount(alice).Balance);
        Assert.Equal(new UInt256(21_000UL * 1_000_000_000), chain.GetAccount(block.Header.Proposer).Balance);
        Assert.Equal(0, chain.Pool.Count);
        Assert.True(chain.Blocks.TryGetTransactionLocation(tx.Hash, out TxLocation location));
        Assert.Equal(new TxLocation(1, 0), location);
        Assert.True(chain.Blocks.TryGetBlock(1, out Block? stored, out Receipt[] receipts));
        Assert.Equal(block.Hash, stored.Hash);
        Assert.True(Assert.Single(receipts).Success);
    }

    [Fact]
    public void Rejections_use_the_ethereum_wording_and_change_nothing()
    {
        using var chain = Blockchain.Open(Options(2));
        Address bob = AddressOf(Key(1));
        Assert.Equal(TxError.None, chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 1), out _, out _));
        chain.ProduceBlock(0);

        Assert.Equal(TxError.NonceTooLow, chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 1), out _, out string detail));
        Assert.StartsWith("nonce too low", detail);
        byte[] poor = Key(77);
        Assert.Equal(TxError.InsufficientFunds, chain.SubmitRawTransaction(SignedTransfer(poor, 0, bob, 1), out _, out detail));
        Assert.StartsWith("insufficient funds for gas * price + value", detail);
        Assert.Equal(0, chain.Pool.Count);
    }

    [Fact]
    public void Batch_submission_recovers_senders_together_and_reports_each_outcome()
    {
        using var chain = Blockchain.Open(Options(4));
        Address bob = AddressOf(Key(1));
        var raws = new List<byte[]>();
        for (ulong n = 0; n < 20; n++) raws.Add(SignedTransfer(Key(0), n, bob, 1));
        raws.Add([0xc0]);
        raws.Add(SignedTransfer(Key(2), 0, bob, 1));
        var results = new TxError[raws.Count];
        chain.SubmitRawTransactions(raws, results, new Transaction[raws.Count]);

        Assert.All(results.Take(20), r => Assert.Equal(TxError.None, r));
        Assert.Equal(TxError.RlpInvalid, results[20]);
        Assert.Equal(TxError.None, results[21]);
        Block block = chain.ProduceBlock(0);
        Assert.Equal(21, block.Transactions.Length);
    }

    [Fact]
    public void A_block_from_given_transactions_skips_the_invalid_ones_and_a_follower_imports_it()
    {
        using var producer = Blockchain.Open(Options(3));
        using var follower = Blockchain.Open(Options(3));
        Address bob = AddressOf(Key(1));
        Transaction[] candidates =
        [
            Recovered(SignedTransfer(Key(0), 0, bob, 3)),
            Recovered(SignedTransfer(Key(0), 5, bob, 3)),   // nonce gap: invalid against the state
            Recovered(SignedTransfer(Key(2), 0, bob, 4)),
        ];

        Block block = producer.ProduceBlock(0, candidates);

        Assert.Equal([candidates[0].Hash, candidates[2].Hash], block.Transactions.Select(t => t.Hash));
        Assert.Equal(0, producer.Pool.Count);
        follower.ImportBlock(Reencoded(block));
        Assert.Equal(producer.State.StateRoot, follower.State.StateRoot);
        Assert.Equal(new UInt256(1_000_000_000_000_000_000 + 7), follower.GetAccount(bob).Balance);
    }

    [Fact]
    public void A_given_transaction_without_a_recovered_sender_is_refused_before_anything_changes()
    {
        using var chain = Blockchain.Open(Options(2));
        var unrecovered = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(SignedTransfer(Key(0), 0, AddressOf(Key(1)), 1), unrecovered, out _));

        ArgumentException e = Assert.Throws<ArgumentException>(() => chain.ProduceBlock(0, [unrecovered]));
        Assert.Contains("no recovered sender", e.Message);
        Assert.Equal(0UL, chain.Head.Number);
        Assert.Equal(0UL, chain.Blocks.Count - 1);
    }

    [Fact]
    public void A_reopened_chain_recovers_the_checkpoint_and_replays_the_log_to_the_same_state()
    {
        Hash256 root;
        ulong head;
        Address bob = AddressOf(Key(1));
        using (var chain = Blockchain.Open(Options(3, _directory, checkpointInterval: 4)))
        {
            for (ulong n = 0; n < 10; n++)
            {
                Assert.Equal(TxError.None, chain.SubmitRawTransaction(SignedTransfer(Key(0), n, bob, 7), out _, out _));
                chain.ProduceBlock(0);
            }
            root = chain.Head.Header.StateRoot;
            head = chain.Head.Number;
        }

        using var reopened = Blockchain.Open(Options(3, _directory, checkpointInterval: 4));
        Assert.Equal(head, reopened.Head.Number);
        Assert.Equal(root, reopened.State.StateRoot);
        Assert.Equal(8UL, reopened.RecoveredCheckpoint);
        Assert.Equal(2, reopened.ReplayedBlocks);
        Assert.Equal(10UL, reopened.GetAccount(AddressOf(Key(0))).Nonce);
        Assert.Equal(new UInt256(1_000_000_000_000_000_000 + 70), reopened.GetAccount(bob).Balance);
    }

    [Fact]
    public void A_failed_log_append_stops_the_chain_and_reopening_returns_to_the_last_logged_block()
    {
        Address bob = AddressOf(Key(1));
        Hash256 loggedRoot;
        var log = new FailingBlockLog(new FasterBlockLog(Path.Combine(_directory, "blocks")));
        using (Blockchain chain = Blockchain.Open(Options(2, _directory, checkpointInterval: 4), log))
        {
            chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 5), out _, out _);
            loggedRoot = chain.ProduceBlock(0).Header.StateRoot;
            chain.SubmitRawTransaction(SignedTransfer(Key(0), 1, bob, 6), out _, out _);
            log.FailNextAppend = true;

            IOException failure = Assert.Throws<IOException>(() => chain.ProduceBlock(0));
            Assert.Contains("injected", failure.Message);
            Assert.Equal(1UL, chain.Head.Number);
            InvalidOperationException stopped = Assert.Throws<InvalidOperationException>(() => chain.ProduceBlock(0));
            Assert.Contains("appending block 2 to the block log failed", stopped.Message);
        }

        using var reopened = Blockchain.Open(Options(2, _directory, checkpointInterval: 4));
        Assert.Equal(1UL, reopened.Head.Number);
        Assert.Equal(loggedRoot, reopened.State.StateRoot);
        Assert.Equal(1UL, reopened.GetAccount(AddressOf(Key(0))).Nonce);
        Assert.Equal(new UInt256(1_000_000_000_000_000_000 + 5), reopened.GetAccount(bob).Balance);
    }

    [Fact]
    public void A_failed_log_commit_stops_the_chain_and_leaves_the_block_out_of_the_store_and_the_head()
    {
        Address bob = AddressOf(Key(1));
        var log = new FailingBlockLog(new FasterBlockLog(Path.Combine(_directory, "blocks")));
        using Blockchain chain = Blockchain.Open(Options(2, _directory, checkpointInterval: 4), log);
        chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 5), out _, out _);
        chain.ProduceBlock(0);
        chain.SubmitRawTransaction(SignedTransfer(Key(0), 1, bob, 6), out Transaction second, out _);
        log.FailNextCommit = true;

        IOException failure = Assert.Throws<IOException>(() => chain.ProduceBlock(0));
        Assert.Contains("injected commit failure", failure.Message);
        Assert.Equal(1UL, chain.Head.Number);
        Assert.Equal(2UL, chain.Blocks.Count);
        Assert.False(chain.Blocks.TryGetBlock(2, out _, out _));
        Assert.False(chain.Blocks.TryGetTransactionLocation(second.Hash, out _));
        InvalidOperationException stopped = Assert.Throws<InvalidOperationException>(() => chain.ProduceBlock(0));
        Assert.Contains("appending block 2 to the block log failed", stopped.Message);
    }

    [Fact]
    public void Block_timings_cover_execution_commitments_and_commit()
    {
        using var chain = Blockchain.Open(Options(2));
        chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, AddressOf(Key(1)), 5), out _, out _);
        chain.ProduceBlock(0);

        BlockTimings timings = chain.LastBlockTimings;
        Assert.True(timings.ExecuteMs > 0 && timings.StateRootMs > 0 && timings.BodyCommitmentsMs > 0, timings.ToString());
        Assert.True(timings.LogAppendMs > 0 && timings.StateApplyMs > 0, timings.ToString());
        Assert.True(timings.TotalMs >= timings.ExecuteMs + timings.StateRootMs + timings.LogAppendMs, timings.ToString());
    }

    [Fact]
    public void A_directory_holding_another_chain_is_refused_with_the_reason()
    {
        using (Blockchain.Open(Options(3, _directory)))
        {
        }
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => Blockchain.Open(Options(4, _directory)));
        Assert.Contains("configured genesis", e.Message);
    }

    /// <summary>
    /// Reopening checks the configured genesis through the data directory's digest of its allocations (no genesis state
    /// rebuilt); a changed allocation, chain id or timestamp is still refused, and a missing or damaged digest file
    /// falls back to rebuilding the genesis state and is written again.
    /// </summary>
    [Fact]
    public void Reopening_checks_the_genesis_through_the_allocation_digest_and_still_refuses_another_genesis()
    {
        Hash256 genesisHash;
        using (Blockchain chain = Blockchain.Open(Options(3, _directory)))
        {
            Assert.False(chain.GenesisCheckedByDigest);
            genesisHash = chain.Genesis.Hash;
            chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, AddressOf(Key(1)), 5), out _, out _);
            chain.ProduceBlock(0);
        }
        string digestFile = Path.Combine(_directory, "genesis-digest");
        Assert.True(File.Exists(digestFile));

        using (Blockchain reopened = Blockchain.Open(Options(3, _directory)))
        {
            Assert.True(reopened.GenesisCheckedByDigest);
            Assert.Equal(genesisHash, reopened.Genesis.Hash);
            Assert.Equal(1UL, reopened.Head.Number);
        }

        ChainOptions otherBalance = Options(3, _directory) with
        {
            Genesis = Options(3).Genesis with { Allocations = [.. Options(3).Genesis.Allocations.Take(2), new GenesisAllocation(AddressOf(Key(2)), new UInt256(7))] },
        };
        Assert.Contains("configured genesis", Assert.Throws<InvalidDataException>(() => Blockchain.Open(otherBalance)).Message);
        ChainOptions otherChainId = Options(3, _directory) with { Config = new ChainConfig { ChainId = ChainId + 1 } };
        Assert.Contains("configured genesis", Assert.Throws<InvalidDataException>(() => Blockchain.Open(otherChainId)).Message);
        ChainOptions otherTimestamp = Options(3, _directory) with { Genesis = Options(3).Genesis with { Timestamp = 1_700_000_001 } };
        Assert.Contains("configured genesis", Assert.Throws<InvalidDataException>(() => Blockchain.Open(otherTimestamp)).Message);

        File.WriteAllText(digestFile, "not a digest\n");
        using (Blockchain rebuilt = Blockchain.Open(Options(3, _directory)))
        {
            Assert.False(rebuilt.GenesisCheckedByDigest);
            Assert.Equal(genesisHash, rebuilt.Genesis.Hash);
        }
        using (Blockchain again = Blockchain.Open(Options(3, _directory))) Assert.True(again.GenesisCheckedByDigest);
    }

    [Fact]
    public void A_second_node_imports_the_first_nodes_blocks_and_agrees_on_every_root()
    {
        using var producer = Blockchain.Open(Options(3));
        using var follower = Blockchain.Open(Options(3));
        Address bob = AddressOf(Key(1));
        for (ulong n = 0; n < 3; n++)
        {
            producer.SubmitRawTransaction(SignedTransfer(Key(0), n, bob, 1), out _, out _);
            producer.SubmitRawTransaction(SignedTransfer(Key(2), n, bob, 2), out _, out _);
            Block block = producer.ProduceBlock(0);
            follower.ImportBlock(Reencoded(block));
        }
        Assert.Equal(producer.Head.Hash, follower.Head.Hash);
        Assert.Equal(producer.State.StateRoot, follower.State.StateRoot);
    }

    [Fact]
    public void An_imported_block_with_a_wrong_state_root_is_rejected_and_changes_nothing()
    {
        using var producer = Blockchain.Open(Options(3));
        using var follower = Blockchain.Open(Options(3));
        producer.SubmitRawTransaction(SignedTransfer(Key(0), 0, AddressOf(Key(1)), 1), out _, out _);
        Block block = producer.ProduceBlock(0);
        BlockHeader forged = block.Header with { StateRoot = Hash256.Parse("0x" + new string('1', 64)) };
        var bad = new Block(forged, NexusFast.Engine.Ledger.Codec.BlockHeaderCodec.ComputeHash(forged), Reencoded(block).Transactions);
        Hash256 before = follower.State.StateRoot;

        BlockImportException e = Assert.Throws<BlockImportException>(() => follower.ImportBlock(bad));
        Assert.Contains("state root", e.Message);
        Assert.Equal(before, follower.State.StateRoot);
        Assert.Equal(0UL, follower.Head.Number);
    }

    private static Transaction Recovered(byte[] raw)
    {
        var tx = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(raw, tx, out _));
        Assert.Equal(TxError.None, SenderRecovery.RecoverSender(tx));
        return tx;
    }
}
