using NexusFast.Engine.Chain;
using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Execution;
using static NexusFast.Engine.Tests.Chain.ChainFixtures;
using MlDsaKeys = NexusFast.Engine.Tests.Ledger.MlDsaFixtures;

namespace NexusFast.Engine.Tests.Chain;

/// <summary>ML-DSA transactions on the chain: key registration in state, key-hash transactions, mixed blocks.</summary>
public sealed class MlDsaChainTests : IDisposable
{
    private static readonly UInt256 s_funding = new(1_000_000_000_000_000_000);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-mldsa-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    /// <summary>ECDSA keys 0..2 and ML-DSA keys 0..<paramref name="mlDsaAccounts"/>-1 funded at genesis.</summary>
    private static ChainOptions MixedOptions(int mlDsaAccounts, string? directory = null)
    {
        ChainOptions options = Options(3, directory);
        GenesisAllocation[] mlDsa = Enumerable.Range(0, mlDsaAccounts)
            .Select(i => new GenesisAllocation(MlDsaKeys.Key(i).Address, s_funding))
            .ToArray();
        return options with { Genesis = options.Genesis with { Allocations = [.. options.Genesis.Allocations, .. mlDsa] } };
    }

    [Fact]
    public void The_first_transaction_registers_the_key_in_state_and_a_key_hash_transaction_then_goes_through()
    {
        using var chain = Blockchain.Open(MixedOptions(1));
        MlDsaKeys.MlDsaKeyPair alice = MlDsaKeys.Key(0);
        Address bob = AddressOf(Key(1));
        UInt256 bobBefore = chain.GetAccount(bob).Balance;
        Hash256 rootBefore = chain.State.StateRoot;

        TxError error = chain.SubmitRawTransaction(MlDsaKeys.SignedRaw(alice, 0, bob, 5, embedKey: true), out Transaction first, out string detail);
        Assert.True(error == TxError.None, detail);
        Assert.Equal(alice.Address, first.Sender);
        Block block1 = chain.ProduceBlock(0);
        Assert.Equal(first.Hash, Assert.Single(block1.Transactions).Hash);

        // The registry holds the marker and every word of the key, committed in the state root.
        Assert.Equal(MlDsaKeyRegistry.RegisteredMarker, chain.State.GetStorage(MlDsaKeyRegistry.Address, alice.KeyHash));
        var stored = new byte[MlDsaTransactionsSize];
        Assert.True(MlDsaKeyRegistry.TryRead((a, s) => chain.State.GetStorage(a, s), alice.KeyHash, stored));
        Assert.Equal(alice.PublicKey, stored);
        Assert.NotEqual(rootBefore, block1.Header.StateRoot);

        error = chain.SubmitRawTransaction(MlDsaKeys.SignedRaw(alice, 1, bob, 7, embedKey: false), out Transaction second, out detail);
        Assert.True(error == TxError.None, detail);
        Assert.Equal(alice.Address, second.Sender);
        Block block2 = chain.ProduceBlock(0);
        Assert.Equal(second.Hash, Assert.Single(block2.Transactions).Hash);
        Assert.Equal(79_944UL, block2.Header.GasUsed);
        Assert.Equal(131_176UL, block1.Header.GasUsed);
        Assert.Equal(bobBefore + new UInt256(12), chain.GetAccount(bob).Balance);
        Assert.Equal(2UL, chain.GetAccount(alice.Address).Nonce);

        Assert.True(chain.Blocks.TryGetBlock(2, out Block? read, out Receipt[] receipts));
        Assert.Equal(TxType.MlDsa, Assert.Single(receipts).Type);
        Assert.True(receipts[0].Success);
        Assert.False(Assert.Single(read.Transactions).MlDsaKeyEmbedded);
    }

    private const int MlDsaTransactionsSize = MlDsaTransactions.PublicKeySize;

    [Fact]
    public void A_key_hash_transaction_before_the_key_is_registered_is_refused_and_changes_nothing()
    {
        using var chain = Blockchain.Open(MixedOptions(1));
        Hash256 root = chain.State.StateRoot;

        TxError error = chain.SubmitRawTransaction(MlDsaKeys.SignedRaw(MlDsaKeys.Key(0), 0, AddressOf(Key(1)), 5, embedKey: false), out _, out string detail);

        Assert.Equal(TxError.MlDsaKeyNotRegistered, error);
        Assert.StartsWith("ML-DSA key hash not registered: no public key with hash " + MlDsaKeys.Key(0).KeyHash, detail);
        Assert.Equal(0, chain.Pool.Count);
        Assert.Equal(root, chain.State.StateRoot);
    }

    [Fact]
    public void A_block_may_not_use_a_key_hash_ahead_of_the_transaction_that_registers_it()
    {
        // The verifier may know a key from anywhere (here it is set by hand); the executor still requires it in state.
        var state = new JournaledTestState();
        MlDsaKeys.MlDsaKeyPair alice = MlDsaKeys.Key(0);
        state.SetBalance(alice.Address, s_funding);
        var context = new BlockContext(1, 1, Address.Zero, new UInt256(7), 30_000_000);
        var executor = new TransactionExecutor();

        Transaction hashOnly = MlDsaKeys.Signed(alice, 0, AddressOf(Key(1)), 1, embedKey: false);
        Assert.Equal(TxError.MlDsaKeyNotRegistered, executor.Apply(state, context, hashOnly, 0, out _));
        Assert.Equal(0, state.WriteCount + state.StorageWriteCount);

        Transaction embedded = MlDsaKeys.Signed(alice, 0, AddressOf(Key(1)), 1, embedKey: true);
        Assert.Equal(TxError.None, executor.Apply(state, context, embedded, 0, out Receipt receipt));
        Assert.Equal(MlDsaTransactions.PublicKeyWords + 1, state.StorageWriteCount);
        Assert.Equal(TxType.MlDsa, receipt.Type);

        Transaction next = MlDsaKeys.Signed(alice, 1, AddressOf(Key(1)), 1, embedKey: false);
        Assert.Equal(TxError.None, executor.Apply(state, context, next, receipt.CumulativeGasUsed, out _));
        // Carrying the key again later is allowed and writes nothing more to the registry.
        Transaction again = MlDsaKeys.Signed(alice, 2, AddressOf(Key(1)), 1, embedKey: true);
        Assert.Equal(TxError.None, executor.Apply(state, context, again, 0, out _));
        Assert.Equal(MlDsaTransactions.PublicKeyWords + 1, state.StorageWriteCount);
    }

    [Fact]
    public void A_follower_imports_blocks_mixing_ecdsa_and_ml_dsa_transactions_and_agrees_on_every_root()
    {
        using var producer = Blockchain.Open(MixedOptions(6));
        using var follower = Blockchain.Open(MixedOptions(6));
        Address bob = AddressOf(Key(1));
        for (ulong n = 0; n < 3; n++)
        {
            var raws = new List<byte[]>();
            for (int k = 0; k < 6; k++) raws.Add(MlDsaKeys.SignedRaw(MlDsaKeys.Key(k), n, bob, (ulong)k + 1, embedKey: n == 0));
            raws.Add(SignedTransfer(Key(0), n, bob, 1));
            raws.Add(SignedTransfer(Key(2), n, bob, 2));
            var results = new TxError[raws.Count];
            producer.SubmitRawTransactions(raws, results, new Transaction[raws.Count]);
            Assert.All(results, r => Assert.Equal(TxError.None, r));

            Block block = producer.ProduceBlock(0);
            Assert.Equal(8, block.Transactions.Length);
            Assert.Equal(6, block.Transactions.Count(t => t.Type == TxType.MlDsa));
            follower.ImportBlock(Reencoded(block));
        }
        Assert.Equal(producer.Head.Hash, follower.Head.Hash);
        Assert.Equal(producer.State.StateRoot, follower.State.StateRoot);
        Assert.Equal(3UL, follower.GetAccount(MlDsaKeys.Key(5).Address).Nonce);
    }

    [Fact]
    public void An_imported_block_with_a_forged_ml_dsa_signature_is_rejected()
    {
        using var producer = Blockchain.Open(MixedOptions(1));
        using var follower = Blockchain.Open(MixedOptions(1));
        producer.SubmitRawTransaction(MlDsaKeys.SignedRaw(MlDsaKeys.Key(0), 0, AddressOf(Key(1)), 5, embedKey: true), out _, out _);
        producer.SubmitRawTransaction(SignedTransfer(Key(0), 0, AddressOf(Key(1)), 1), out _, out _);
        Block block = producer.ProduceBlock(0);
        Block copy = Reencoded(block);
        Transaction mlDsa = copy.Transactions.Single(t => t.Type == TxType.MlDsa);
        byte[] signature = mlDsa.MlDsaSignature.ToArray();
        signature[42] ^= 0x04;
        mlDsa.MlDsaSignature = signature;
        Hash256 root = follower.State.StateRoot;

        BlockImportException e = Assert.Throws<BlockImportException>(() => follower.ImportBlock(copy));
        Assert.Contains("invalid ML-DSA signature", e.Message);
        Assert.Equal(root, follower.State.StateRoot);
        Assert.Equal(0UL, follower.Head.Number);
    }

    [Fact]
    public void After_a_restart_a_key_hash_transaction_finds_its_key_in_the_persisted_state()
    {
        MlDsaKeys.MlDsaKeyPair alice = MlDsaKeys.Key(0);
        Address bob = AddressOf(Key(1));
        using (var chain = Blockchain.Open(MixedOptions(1, _directory)))
        {
            Assert.Equal(TxError.None, chain.SubmitRawTransaction(MlDsaKeys.SignedRaw(alice, 0, bob, 5, embedKey: true), out _, out _));
            chain.ProduceBlock(0);
        }

        using var reopened = Blockchain.Open(MixedOptions(1, _directory));
        TxError error = reopened.SubmitRawTransaction(MlDsaKeys.SignedRaw(alice, 1, bob, 5, embedKey: false), out Transaction tx, out string detail);
        Assert.True(error == TxError.None, detail);
        Assert.Equal(alice.Address, tx.Sender);
        Assert.Equal(2UL, reopened.ProduceBlock(0).Number);
        Assert.Equal(2UL, reopened.GetAccount(alice.Address).Nonce);
    }
}
