using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.Storage;
using static NexusFast.Engine.Tests.Chain.ChainFixtures;

namespace NexusFast.Engine.Tests.Chain;

/// <summary>
/// The helpers the node's RPC layer uses: account-edit blocks (anvil_setBalance/setNonce), in-memory rewinds
/// (evm_revert), simulation (eth_estimateGas/eth_call), reads that report the block they read, and checkpoints.
/// </summary>
public sealed class BlockchainDevTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-chain-dev-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void An_account_edit_block_sets_the_account_and_keeps_the_rest()
    {
        using var chain = Blockchain.Open(Options(2));
        Address alice = AddressOf(Key(0));
        Block edit = chain.ProduceAccountEditBlock(0, alice, nonce: 9, balance: null);

        Assert.Equal(1UL, edit.Number);
        Assert.Empty(edit.Transactions);
        Assert.Equal(new AccountOverride(alice, 9, new UInt256(1_000_000_000_000_000_000)), Assert.Single(edit.Overrides));
        Assert.Equal(9UL, chain.GetAccount(alice).Nonce);
        Assert.Equal(new UInt256(1_000_000_000_000_000_000), chain.GetAccount(alice).Balance);
        Assert.Equal(chain.State.StateRoot, edit.Header.StateRoot);
        Assert.True(chain.Blocks.TryGetBlock(1, out Block? stored, out _));
        Assert.Equal(edit.Overrides, stored.Overrides);

        Address fresh = Address.Parse("0x00000000000000000000000000000000000000f0");
        chain.ProduceAccountEditBlock(0, fresh, null, new UInt256(5));
        Assert.Equal(new Account(0, new UInt256(5)), chain.GetAccount(fresh));
    }

    [Fact]
    public void Account_edits_are_replayed_from_the_log_after_a_crash()
    {
        Address alice = AddressOf(Key(0)), bob = AddressOf(Key(1));
        Hash256 root;
        using (var chain = Blockchain.Open(Options(2, _directory, checkpointInterval: 100)))
        {
            chain.ProduceAccountEditBlock(0, bob, null, new UInt256(42));
            chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 8), out _, out _);
            chain.ProduceBlock(0);
            chain.ProduceAccountEditBlock(0, alice, 7, null);
            root = chain.Head.Header.StateRoot;
            // No checkpoint since genesis: disposing without one is what a crash leaves behind.
        }
        using var reopened = Blockchain.Open(Options(2, _directory, checkpointInterval: 100));
        Assert.Equal(3, reopened.ReplayedBlocks);
        Assert.Equal(root, reopened.State.StateRoot);
        Assert.Equal(new UInt256(50), reopened.GetAccount(bob).Balance);
        Assert.Equal(7UL, reopened.GetAccount(alice).Nonce);
    }

    [Fact]
    public void A_block_record_without_edits_reads_as_before_and_one_with_edits_round_trips()
    {
        Block genesis = Blockchain.BuildGenesis(Options(1), out _);
        byte[] plain = BlockRecordCodec.Encode(genesis, []);
        Assert.Empty(BlockRecordCodec.Decode(plain).Block.Overrides);

        AccountOverride[] edits = [new(AddressOf(Key(0)), 3, UInt256.MaxValue), new(AddressOf(Key(1)), 0, UInt256.Zero)];
        var edited = new Block(genesis.Header, genesis.Hash, [], edits);
        byte[] record = BlockRecordCodec.Encode(edited, []);
        Assert.True(record.Length > plain.Length);
        Assert.Equal(edits, BlockRecordCodec.Decode(record).Block.Overrides);
    }

    [Fact]
    public void Blocks_with_account_edits_are_never_imported_from_peers()
    {
        using var producer = Blockchain.Open(Options(2));
        using var follower = Blockchain.Open(Options(2));
        Block edit = producer.ProduceAccountEditBlock(0, AddressOf(Key(0)), null, new UInt256(1));
        BlockImportException e = Assert.Throws<BlockImportException>(() => follower.ImportBlock(edit));
        Assert.Contains("development account edits", e.Message);
        Assert.Equal(0UL, follower.Head.Number);
    }

    [Fact]
    public void A_rebuilt_chain_holds_the_blocks_up_to_the_height_and_the_same_state()
    {
        using var chain = Blockchain.Open(Options(2));
        Address bob = AddressOf(Key(1));
        chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 1), out _, out _);
        chain.ProduceBlock(0);
        chain.ProduceAccountEditBlock(0, bob, null, new UInt256(3));
        Hash256 rootAt2 = chain.Head.Header.StateRoot;
        Hash256 hashAt2 = chain.Head.Hash;
        chain.SubmitRawTransaction(SignedTransfer(Key(0), 1, bob, 1), out _, out _);
        chain.ProduceBlock(0);

        using Blockchain rebuilt = chain.RebuildInMemory(2);
        Assert.Equal(2UL, rebuilt.Head.Number);
        Assert.Equal(hashAt2, rebuilt.Head.Hash);
        Assert.Equal(rootAt2, rebuilt.State.StateRoot);
        Assert.Equal(new UInt256(3), rebuilt.GetAccount(bob).Balance);
        Assert.Equal(1UL, rebuilt.GetAccount(AddressOf(Key(0))).Nonce);
        Assert.False(rebuilt.Blocks.TryGetBlock(3, out _, out _));
        // The original chain is untouched and both go on independently.
        Assert.Equal(3UL, chain.Head.Number);
        Assert.Equal(TxError.None, rebuilt.SubmitRawTransaction(SignedTransfer(Key(0), 1, bob, 1), out _, out _));
        Assert.Equal(3UL, rebuilt.ProduceBlock(0).Number);

        Assert.Throws<ArgumentOutOfRangeException>(() => chain.RebuildInMemory(4));
    }

    [Fact]
    public void A_durable_chain_cannot_be_rebuilt_in_memory()
    {
        using var chain = Blockchain.Open(Options(1, _directory));
        Assert.Throws<InvalidOperationException>(() => chain.RebuildInMemory(0));
    }

    [Fact]
    public void Simulation_runs_the_executor_and_changes_nothing()
    {
        using var chain = Blockchain.Open(Options(2));
        Address alice = AddressOf(Key(0)), bob = AddressOf(Key(1));
        Hash256 root = chain.State.StateRoot;
        var tx = new Transaction
        {
            Type = TxType.DynamicFee, ChainId = ChainId, Nonce = 0, GasLimit = 30_000, To = bob, Value = new UInt256(5),
            MaxFeePerGas = 10_000_000_000, MaxPriorityFeePerGas = 1, Data = new byte[] { 1, 0 }, Sender = alice, HasSender = true,
        };
        Assert.Equal(TxError.None, chain.SimulateTransaction(tx, chargeBaseFee: true, out Receipt receipt, out Block head));
        Assert.True(receipt.Success);
        Assert.Equal(21_000UL + 16 + 4, receipt.GasUsed);
        Assert.Equal(chain.Head, head);
        Assert.Equal(root, chain.State.StateRoot);
        Assert.Equal(0UL, chain.GetAccount(alice).Nonce);

        tx.MaxFeePerGas = 1;
        tx.MaxPriorityFeePerGas = 1;
        Assert.Equal(TxError.FeeCapBelowBaseFee, chain.SimulateTransaction(tx, chargeBaseFee: true, out _, out _));
        Assert.Equal(TxError.None, chain.SimulateTransaction(tx, chargeBaseFee: false, out _, out _));

        tx.Sender = Address.Parse("0x00000000000000000000000000000000000000f1");
        Assert.Equal(TxError.InsufficientFunds, chain.SimulateTransaction(tx, chargeBaseFee: false, out _, out _));
        Assert.Throws<ArgumentException>(() => chain.SimulateTransaction(new Transaction(), true, out _, out _));
    }

    [Fact]
    public void Reads_report_the_block_whose_state_they_read_and_proofs_verify_against_it()
    {
        using var chain = Blockchain.Open(Options(2));
        Address alice = AddressOf(Key(0));
        chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, AddressOf(Key(1)), 1), out _, out _);
        chain.ProduceBlock(0);

        Account account = chain.GetAccount(alice, out Block head);
        Assert.Equal(chain.Head, head);
        Assert.Equal(1UL, account.Nonce);
        Assert.Equal(Hash256.Zero, chain.GetStorage(alice, Hash256.Zero, out head));
        Assert.Equal(chain.Head, head);

        StateProofSet proofs = chain.GetProofs(alice, [Hash256.Zero]);
        Assert.Equal(chain.Head, proofs.Block);
        Assert.Equal(account, proofs.Account);
        Assert.True(StateProofVerifier.VerifyAccount(proofs.Block.Header.StateRoot, alice, proofs.Account, proofs.AccountProof));
        Assert.True(StateProofVerifier.VerifyStorage(proofs.StorageRoot, Hash256.Zero, proofs.StorageValues[0], proofs.StorageProofs[0]));
    }

    [Fact]
    public void An_explicit_checkpoint_means_nothing_is_replayed_on_reopen()
    {
        using (var chain = Blockchain.Open(Options(2, _directory, checkpointInterval: 100)))
        {
            for (ulong n = 0; n < 3; n++)
            {
                chain.SubmitRawTransaction(SignedTransfer(Key(0), n, AddressOf(Key(1)), 1), out _, out _);
                chain.ProduceBlock(0);
            }
            chain.Checkpoint();
        }
        using var reopened = Blockchain.Open(Options(2, _directory, checkpointInterval: 100));
        Assert.Equal(3UL, reopened.RecoveredCheckpoint);
        Assert.Equal(0, reopened.ReplayedBlocks);
    }

    [Fact]
    public void After_a_nonce_edit_the_pool_drops_the_senders_stale_transactions()
    {
        using var chain = Blockchain.Open(Options(2));
        Address bob = AddressOf(Key(1));
        for (ulong n = 0; n < 3; n++) Assert.Equal(TxError.None, chain.SubmitRawTransaction(SignedTransfer(Key(0), n, bob, 1), out _, out _));
        chain.ProduceAccountEditBlock(0, AddressOf(Key(0)), nonce: 2, balance: null);
        Assert.Equal(1, chain.Pool.Count);
        Assert.Equal(3UL, chain.Pool.PendingNonce(AddressOf(Key(0))));
        Block next = chain.ProduceBlock(0);
        Assert.Equal(2UL, Assert.Single(next.Transactions).Nonce);
    }
}
