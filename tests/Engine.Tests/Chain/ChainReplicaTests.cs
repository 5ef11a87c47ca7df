using NexusFast.Engine.Chain;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Consensus;
using static NexusFast.Engine.Tests.Chain.ChainFixtures;

namespace NexusFast.Engine.Tests.Chain;

/// <summary>The real chain under BFT consensus: four validators, each with its own Blockchain behind a ChainReplica.</summary>
public sealed class ChainReplicaTests : IDisposable
{
    private const int Accounts = 8;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-replica-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Four_validators_commit_transfers_and_agree_on_every_block_and_state_root()
    {
        using var cluster = new ReplicaCluster(4, _ => Options(Accounts));
        Address recipient = AddressOf(Key(Accounts + 1));
        // Every pool gets every transfer (as gossip would), so whichever validator proposes includes them, and the others
        // must drop them from their pools when that block commits.
        var raws = new List<byte[]>();
        for (int sender = 0; sender < 4; sender++)
        {
            for (ulong nonce = 0; nonce < 5; nonce++) raws.Add(SignedTransfer(Key(sender), nonce, recipient, 1_000 + nonce));
        }
        foreach (ReplicaNode node in cluster.Nodes)
        {
            foreach (byte[] raw in raws) Assert.Equal(TxError.None, node.Chain.SubmitRawTransaction(raw, out _, out _));
        }

        cluster.Start();
        cluster.RunUntilHeight(6);

        ulong height = cluster.Nodes.Min(n => n.Replica.Height);
        var proposers = new HashSet<Address>();
        for (ulong h = 1; h <= height; h++)
        {
            StoredBlock reference = cluster.Nodes[0].Replica.Get(h);
            Assert.True(cluster.Nodes[0].Chain.Blocks.TryGetBlock(h, out Block? block, out _));
            foreach (ReplicaNode node in cluster.Nodes)
            {
                Assert.True(node.Chain.Blocks.TryGetBlock(h, out Block? other, out _));
                Assert.Equal(block.Hash, other.Hash);
                Assert.Equal(block.Header.StateRoot, other.Header.StateRoot);
                StoredBlock stored = node.Replica.Get(h);
                Assert.Equal(CommitError.None, CommitVerifier.Verify(ConsensusKit.ChainId, h, stored.Hash, stored.Certificate, cluster.Kit.Set));
            }
            Assert.Equal(CommitError.None, CommitVerifier.VerifyParentCommit(ConsensusKit.ChainId, block.Header, cluster.Kit.Set));
            Assert.Equal(h == 1, block.Header.ParentCommit.Signatures.Length == 0);
            Assert.Contains(block.Header.Proposer, cluster.Kit.Addresses);
            proposers.Add(block.Header.Proposer);
            Assert.Equal(block.Hash, cluster.Nodes[0].Replica.ComputeHash(reference.Block));
        }
        Assert.True(proposers.Count > 1, "the proposer rotates, and each block names its own");
        // Every validator had every transfer in its pool, so the three that did not propose a block took its senders
        // from there instead of recovering them again.
        Assert.True(cluster.Nodes.Sum(n => n.Chain.SendersFromPoolCount) >= 3 * raws.Count, "pooled senders are reused");

        ulong expected = 0;
        for (ulong nonce = 0; nonce < 5; nonce++) expected += 4 * (1_000 + nonce);
        foreach (ReplicaNode node in cluster.Nodes)
        {
            Assert.Equal(new UInt256(expected), node.Chain.GetAccount(recipient).Balance);
            Assert.Equal(0, node.Chain.Pool.Count);
            Assert.Equal(cluster.Nodes[0].Replica.StateRoot, node.Replica.StateRoot);
        }
        // Tips went to the proposers named in the headers, not to a fixed address.
        Assert.Contains(proposers, p => !cluster.Nodes[0].Chain.GetAccount(p).Balance.IsZero);
    }

    [Fact]
    public void Validate_refuses_tampered_blocks_with_the_reason()
    {
        using var cluster = new ReplicaCluster(4, _ => Options(Accounts));
        cluster.Start();
        cluster.RunUntilHeight(2);
        foreach (ReplicaNode node in cluster.Nodes) node.Host!.Stop();

        ChainReplica proposer = cluster.Nodes[0].Replica, validator = cluster.Nodes[1].Replica;
        Address recipient = AddressOf(Key(Accounts + 1));
        ulong nonce = cluster.Nodes[0].Chain.Pool.PendingNonce(AddressOf(Key(0)));
        Assert.Equal(TxError.None, cluster.Nodes[0].Chain.SubmitRawTransaction(SignedTransfer(Key(0), nonce, recipient, 7), out _, out _));
        byte[] bytes = proposer.BuildBlock(cluster.Kit.Addresses[0], []);
        Hash256 hash = proposer.ComputeHash(bytes);
        Assert.Null(validator.Validate(hash, bytes));
        Assert.True(BlockWireCodec.TryDecode(bytes, cluster.Nodes[1].Chain.Config, out Block? valid, out _));
        Assert.Single(valid.Transactions);
        Assert.NotEmpty(valid.Header.ParentCommit.Signatures);

        string? Refusal(BlockHeader header, Transaction[]? transactions = null)
        {
            transactions ??= valid.Transactions;
            header = header with { TransactionsRoot = BlockAssembler.TransactionsRoot(transactions) };
            var block = new Block(header, BlockHeaderCodec.ComputeHash(header), transactions);
            byte[] encoded = BlockWireCodec.Encode(block);
            Assert.Equal(block.Hash, validator.ComputeHash(encoded));
            return validator.Validate(block.Hash, encoded);
        }

        Assert.Contains("state root", Refusal(valid.Header with { StateRoot = Keccak256.Compute(valid.Header.StateRoot.Bytes) }));
        Assert.Contains("ahead of this node's clock", Refusal(valid.Header with { Timestamp = valid.Header.Timestamp + 3_600 }));
        ulong parentTime = cluster.Nodes[1].Chain.Head.Header.Timestamp;
        Assert.Contains("timestamp before the parent's", Refusal(valid.Header with { Timestamp = parentTime - 1 }));
        // Whole seconds and several blocks a second: a block may share its parent's timestamp.
        Assert.Null(Refusal(valid.Header with { Timestamp = parentTime }));
        Assert.Contains("not a validator", Refusal(valid.Header with { Proposer = AddressOf(Key(0)) }));
        Assert.Contains("commit certificate does not verify: InsufficientPower", Refusal(valid.Header with
        {
            ParentCommit = new CommitCertificate(valid.Header.ParentCommit.Round, valid.Header.ParentCommit.Signatures[..1]),
        }));
        Assert.Contains("base fee", Refusal(valid.Header with { BaseFeePerGas = valid.Header.BaseFeePerGas + UInt256.One }));

        // A signature altered in transit recovers to another account (or to none): the block is refused either way.
        var forged = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(TransactionEncoder.Encode(valid.Transactions[0]), forged, out _));
        forged.S -= UInt256.One;
        var reread = new Transaction();
        Assert.Equal(TxError.None, TransactionDecoder.TryDecode(TransactionEncoder.Encode(forged), reread, out _));
        Assert.StartsWith("transaction 0", Refusal(valid.Header, [reread]));

        // The hash consensus votes on must be the block's.
        Assert.StartsWith("the block hashes to", validator.Validate(Keccak256.Compute(bytes), bytes));

        // Garbage and truncated bytes: a reason, and a zero hash that no proposal or certificate can name.
        foreach (byte[] garbage in new[] { Array.Empty<byte>(), [1, 2, 3], bytes[..(bytes.Length / 2)], [.. bytes, 0x80] })
        {
            Assert.StartsWith("malformed block", validator.Validate(hash, garbage));
            Assert.Equal(Hash256.Zero, validator.ComputeHash(garbage));
        }
        // A body that is not the header's (a transaction dropped) is refused before anything runs.
        byte[] emptied = BlockWireCodec.Encode(new Block(valid.Header, valid.Hash, []));
        Assert.StartsWith("transactions root", validator.Validate(hash, emptied));
        Assert.Equal(Hash256.Zero, validator.ComputeHash(emptied));

        // Development account edits never travel: the wire format has no place for them and import refuses them.
        var edited = new Block(valid.Header, valid.Hash, valid.Transactions, [new AccountOverride(recipient, 0, UInt256.One)]);
        Assert.Throws<ArgumentException>(() => BlockWireCodec.Encode(edited));
        Assert.Contains("development account edits", Assert.Throws<BlockImportException>(() => cluster.Nodes[1].Chain.VerifyCandidate(edited)).Reason);

        // None of the refusals changed the validator's chain, and the valid block still validates and commits.
        Assert.Null(validator.Validate(hash, bytes));
        Assert.Equal(2UL, validator.Height);
    }

    [Fact]
    public void Mutated_bytes_get_a_reason_from_validate_never_an_exception()
    {
        using Blockchain chain = Blockchain.Open(Options(2));
        var kit = new ConsensusKit(1, 1, 1, 1);
        var clock = new SimulatedClock(chain.Genesis.Header.Timestamp + 1, () => 0);
        var replica = new ChainReplica(chain, kit.Set, clock, ConsensusKit.ChainId);
        var random = new Random(20261121);
        Assert.Equal(TxError.None, chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, AddressOf(Key(1)), 1), out _, out _));
        byte[] valid = replica.BuildBlock(kit.Addresses[0], []);
        Assert.True(BlockWireCodec.TryDecode(valid, chain.Config, out Block? original, out _));
        int refused = 0;
        for (int i = 0; i < 2_000; i++)
        {
            byte[] mutated = (byte[])valid.Clone();
            for (int k = random.Next(1, 4); k > 0; k--) mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
            if (random.Next(4) == 0) mutated = mutated[..random.Next(mutated.Length)];
            Hash256 hash = replica.ComputeHash(mutated);
            string? reason = replica.Validate(hash.IsZero ? Keccak256.Compute(mutated) : hash, mutated);
            if (reason is not null)
            {
                refused++;
                continue;
            }
            // Only the timestamp may change and leave a valid block: one a few seconds later executes the same.
            Assert.True(BlockWireCodec.TryDecode(mutated, chain.Config, out Block? accepted, out _));
            Assert.Equal(original.Hash, BlockHeaderCodec.ComputeHash(accepted.Header with { Timestamp = original.Header.Timestamp }));
        }
        Assert.True(refused > 1_900, $"{refused} of 2000 refused");
        Assert.Equal(0UL, replica.Height);
    }

    [Fact]
    public void Evidence_of_a_double_vote_is_carried_by_a_block_and_recorded_in_the_state_across_a_restart()
    {
        string directory = Path.Combine(_directory, "node0");
        using var cluster = new ReplicaCluster(4, i => Options(Accounts, i == 0 ? directory : null, checkpointInterval: 3));
        cluster.Start();
        cluster.RunUntilHeight(2);

        // Validator 3 prevoted for two blocks at height 1, round 0; every node's pool learns of it.
        Vote a = cluster.Kit.Vote(3, ConsensusMessageType.Prevote, 1, 0, Keccak256.Compute("a"u8));
        Vote b = cluster.Kit.Vote(3, ConsensusMessageType.Prevote, 1, 0, Keccak256.Compute("b"u8));
        DuplicateVoteEvidence evidence = DuplicateVoteEvidence.Create(a, b);
        Assert.Equal(EvidenceError.None, evidence.Verify(ConsensusKit.ChainId, cluster.Kit.Set));
        Assert.All(cluster.Nodes, n => Assert.False(n.Replica.IsCommitted(evidence)));
        foreach (ReplicaNode node in cluster.Nodes) Assert.True(node.Host!.Evidence.Add(evidence));

        cluster.RunUntilHeight(5);
        Block? carrier = null;
        for (ulong h = 3; h <= 5 && carrier is null; h++)
        {
            Assert.True(cluster.Nodes[1].Chain.Blocks.TryGetBlock(h, out Block? block, out _));
            if (block.Evidence.Length > 0) carrier = block;
        }
        Assert.NotNull(carrier);
        Assert.Equal(evidence.Encode(), Assert.Single(carrier.Evidence).Encode());
        Assert.False(carrier.Header.EvidenceRoot.IsZero);
        foreach (ReplicaNode node in cluster.Nodes)
        {
            Assert.True(node.Replica.IsCommitted(evidence));
            Assert.Equal(0, node.Host!.Evidence.PendingCount);
        }
        ulong carrierCount = 0;
        for (ulong h = 1; h <= cluster.Nodes[0].Replica.Height; h++)
        {
            cluster.Nodes[0].Chain.Blocks.TryGetBlock(h, out Block? block, out _);
            carrierCount += (ulong)block!.Evidence.Length;
        }
        Assert.Equal(1UL, carrierCount);

        // The durable node restarts: checkpoint recovery plus log replay give back the tip with its certificate and the record.
        ReplicaNode durable = cluster.Nodes[0];
        ulong tip = durable.Replica.Height;
        Hash256 tipHash = durable.Chain.Head.Hash;
        durable.Stop();
        durable.Open();
        Assert.Equal(tip, durable.Replica.Height);
        StoredBlock stored = durable.Replica.Get(tip);
        Assert.Equal(tipHash, stored.Hash);
        Assert.Equal(CommitError.None, CommitVerifier.Verify(ConsensusKit.ChainId, tip, stored.Hash, stored.Certificate, cluster.Kit.Set));
        Assert.True(durable.Replica.IsCommitted(evidence));
        Assert.True(durable.Chain.Blocks.TryGetBlock(carrier.Number, out Block? reread, out _));
        Assert.Equal(evidence.Encode(), Assert.Single(reread.Evidence).Encode());

        // And it rejoins: consensus resumes on the reopened chain, which keeps agreeing with the others.
        durable.Start();
        cluster.RunUntilHeight(tip + 3);
        ulong common = cluster.Nodes.Min(n => n.Replica.Height);
        Assert.All(cluster.Nodes, n => Assert.Equal(cluster.Nodes[1].Replica.Get(common).Hash, n.Replica.Get(common).Hash));
    }

    [Fact]
    public void A_replica_that_fell_behind_catches_up_by_block_sync()
    {
        using var cluster = new ReplicaCluster(4, _ => Options(Accounts));
        ReplicaNode late = cluster.Nodes[3];
        foreach (ReplicaNode node in cluster.Nodes.Take(3)) node.Start();
        cluster.RunUntil(10_000);
        ulong ahead = cluster.Nodes[0].Replica.Height;
        Assert.True(ahead >= 3, $"three of four validators are a quorum and commit alone (height {ahead})");
        Assert.Equal(0UL, late.Replica.Height);

        late.Start();
        cluster.RunUntilHeight(ahead + 2);
        Assert.True(late.Host!.SyncedBlockCount > 0);
        for (ulong h = 1; h <= ahead; h++) Assert.Equal(cluster.Nodes[0].Replica.Get(h).Hash, late.Replica.Get(h).Hash);
        Assert.Equal(cluster.Nodes[0].Chain.Blocks.TryGetBlock(ahead, out Block? block, out _) ? block.Header.StateRoot : default,
            late.Chain.Blocks.TryGetBlock(ahead, out Block? own, out _) ? own.Header.StateRoot : default);
    }

    [Fact]
    public void A_held_candidate_leaves_calls_and_reads_working_and_its_commit_does_not_execute_again()
    {
        var kit = new ConsensusKit(1, 1, 1, 1);
        using Blockchain proposerChain = Blockchain.Open(Options(2));
        using Blockchain chain = Blockchain.Open(Options(2, _directory));
        var proposer = new ChainReplica(proposerChain, kit.Set, TimeProvider.System, ConsensusKit.ChainId);
        var validator = new ChainReplica(chain, kit.Set, TimeProvider.System, ConsensusKit.ChainId);
        Address alice = AddressOf(Key(0)), bob = AddressOf(Key(1));
        Assert.Equal(TxError.None, proposerChain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 5), out _, out _));
        Assert.Equal(TxError.None, chain.SubmitRawTransaction(SignedTransfer(Key(0), 0, bob, 5), out _, out _));
        UInt256 before = chain.GetAccount(bob).Balance;

        byte[] bytes = proposer.BuildBlock(kit.Addresses[1], []);
        Hash256 hash = proposer.ComputeHash(bytes);
        Assert.Null(validator.Validate(hash, bytes));
        Assert.Equal(hash, chain.CandidateBlock?.Hash);

        // While the verified block waits for consensus, committed reads see the parent's state and calls run (eth_call).
        Assert.Equal(before, chain.GetAccount(bob).Balance);
        var call = new Transaction { Type = TxType.DynamicFee, ChainId = ChainId, GasLimit = 21_000, To = bob, Value = 1, Sender = alice, HasSender = true };
        Assert.Equal(TxError.None, chain.SimulateTransaction(call, chargeBaseFee: false, out Receipt receipt, out Block head));
        Assert.True(receipt.Success);
        Assert.Equal(0UL, head.Number);
        Assert.Equal(hash, chain.CandidateBlock?.Hash);

        CommitCertificate certificate = Certify(kit, 1, hash);
        validator.Commit(hash, bytes, certificate);
        Assert.Equal(1L, chain.ReusedCandidateCount);
        Assert.Null(chain.CandidateBlock);
        Assert.Equal(before + new UInt256(5), chain.GetAccount(bob).Balance);
        Assert.Equal(0, chain.Pool.Count);
        Assert.Same(certificate, validator.Get(1).Certificate);
        proposer.Commit(hash, bytes, certificate);
        Assert.Equal(1L, proposerChain.ReusedCandidateCount);

        // Block 2 carries block 1's certificate. A checkpoint taken while it is held drops the candidate (the store has one
        // block overlay), and the commit then executes the block again, to the same state.
        Assert.Equal(TxError.None, proposerChain.SubmitRawTransaction(SignedTransfer(Key(0), 1, bob, 5), out _, out _));
        bytes = proposer.BuildBlock(kit.Addresses[2], []);
        hash = proposer.ComputeHash(bytes);
        Assert.Null(validator.Validate(hash, bytes));
        chain.Checkpoint();
        Assert.Null(chain.CandidateBlock);
        validator.Commit(hash, bytes, Certify(kit, 2, hash));
        Assert.Equal(1L, chain.ReusedCandidateCount);
        Assert.Equal(before + new UInt256(10), chain.GetAccount(bob).Balance);
        proposer.Commit(hash, bytes, Certify(kit, 2, hash));
        Assert.Equal(proposerChain.Head.Hash, chain.Head.Hash);
        Assert.Equal(proposerChain.Head.Header.StateRoot, chain.Head.Header.StateRoot);

        // A block whose parent certificate is not a quorum's is refused.
        Assert.Equal(TxError.None, proposerChain.SubmitRawTransaction(SignedTransfer(Key(0), 2, bob, 5), out _, out _));
        byte[] uncertified = BlockWireCodec.Encode(proposerChain.BuildCandidate(0, kit.Addresses[3], new CommitCertificate(0, []), []));
        Assert.Contains("InsufficientPower", validator.Validate(proposer.ComputeHash(uncertified), uncertified));
    }

    /// <summary>Precommits of validators 0..2 (three of four) for <paramref name="hash"/> at round 0.</summary>
    private static CommitCertificate Certify(ConsensusKit kit, ulong height, Hash256 hash) =>
        CommitVerifier.FromPrecommits(0, [.. Enumerable.Range(0, 3).Select(i => kit.Vote(i, ConsensusMessageType.Precommit, height, 0, hash))], hash);
}
