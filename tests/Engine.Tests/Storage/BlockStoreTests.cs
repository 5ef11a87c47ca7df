using NexusFast.Engine.Chain;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Storage;
using NexusFast.Engine.Primitives.Rlp;
using NexusFast.Engine.Tests.Consensus;
using static NexusFast.Engine.Tests.Chain.ChainFixtures;

namespace NexusFast.Engine.Tests.Storage;

public sealed class BlockStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "nexusfast-blocks-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    internal static (Block Block, Receipt[] Receipts) SampleBlock(ulong number, Hash256 parent)
    {
        var txs = new Transaction[3];
        var receipts = new Receipt[3];
        for (int i = 0; i < txs.Length; i++)
        {
            var tx = new Transaction();
            TransactionDecoder.TryDecode(SignedTransfer(Key(i), number, AddressOf(Key(9)), (ulong)i + 1), tx, out _);
            SenderRecovery.TryRecoverSender(tx);
            txs[i] = tx;
            LogEntry[] logs = i == 1
                ? [new LogEntry(AddressOf(Key(9)), [Keccak256.Compute("Topic"u8), Hash256.Zero], [1, 2, 3])]
                : Receipt.NoLogs;
            receipts[i] = new Receipt
            {
                Type = tx.Type,
                Success = i != 2,
                GasUsed = 21_000,
                CumulativeGasUsed = 21_000UL * (ulong)(i + 1),
                EffectiveGasPrice = new UInt256(7),
                Logs = logs,
                Bloom = LogsBloom.FromLogs(logs),
                TransactionHash = tx.Hash,
                From = tx.Sender,
                To = tx.To,
            };
        }
        var header = new BlockHeader
        {
            ParentHash = parent,
            Number = number,
            Timestamp = 1_700_000_000 + number,
            Proposer = AddressOf(Key(5)),
            TransactionsRoot = BlockAssembler.TransactionsRoot(txs),
            ReceiptsRoot = BlockAssembler.ReceiptsRoot(receipts),
            StateRoot = Keccak256.Compute(BitConverter.GetBytes(number)),
            GasUsed = 63_000,
            GasLimit = 30_000_000,
            BaseFeePerGas = new UInt256(1_000_000_000),
            LogsBloom = BlockAssembler.Bloom(receipts),
            ParentCommit = new CommitCertificate(2, [new CommitSignature(AddressOf(Key(5)), new byte[65])]),
        };
        return (new Block(header, BlockHeaderCodec.ComputeHash(header), txs), receipts);
    }

    [Fact]
    public void The_cache_of_recent_blocks_also_stops_at_a_number_of_transactions_so_large_blocks_leave_it_early()
    {
        using var store = new BlockStore(new MemoryBlockLog());
        var evicted = new List<ulong>();
        store.Evicted = block => evicted.Add(block.Number);
        Hash256 parent = Hash256.Zero;
        for (ulong number = 0; number < 4; number++)
        {
            // 30,000 transactions a block (the sample's three, repeated): the 65,536-transaction bound holds two blocks.
            (Block sample, Receipt[] sampleReceipts) = SampleBlock(number, parent);
            Transaction[] txs = Enumerable.Range(0, 30_000).Select(i => sample.Transactions[i % 3]).ToArray();
            Receipt[] receipts = Enumerable.Range(0, 30_000).Select(i => sampleReceipts[i % 3]).ToArray();
            var block = new Block(sample.Header, sample.Hash, txs);
            store.Append(block, receipts);
            parent = block.Hash;
        }

        Assert.Equal([0UL, 1UL], evicted);
        Assert.True(store.TryGetBlock(0, out Block? decoded, out Receipt[] decodedReceipts));
        Assert.Equal(30_000, decoded.Transactions.Length);
        Assert.Equal(30_000, decodedReceipts.Length);
    }

    [Fact]
    public void Small_blocks_stay_in_the_cache_of_recent_blocks_for_64_blocks()
    {
        using var store = new BlockStore(new MemoryBlockLog());
        var evicted = new List<ulong>();
        store.Evicted = block => evicted.Add(block.Number);
        Hash256 parent = Hash256.Zero;
        for (ulong number = 0; number < 66; number++)
        {
            (Block block, Receipt[] receipts) = SampleBlock(number, parent);
            store.Append(block, receipts);
            parent = block.Hash;
        }
        Assert.Equal([0UL, 1UL], evicted);
    }

    [Fact]
    public void Encoding_into_a_kept_buffer_gives_the_same_record_and_grows_the_buffer_only_when_it_is_too_small()
    {
        (Block block, Receipt[] receipts) = SampleBlock(1, Hash256.Zero);
        byte[] expected = BlockRecordCodec.Encode(block, receipts);

        byte[] buffer = [];
        int length = BlockRecordCodec.Encode(block, receipts, null, ref buffer);
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
        Assert.True(buffer.Length >= length);

        // A buffer that already fits is written over in place, its stale tail left as it was.
        byte[] kept = Enumerable.Repeat((byte)0xee, expected.Length + 100).ToArray();
        byte[] before = kept;
        length = BlockRecordCodec.Encode(block, receipts, null, ref kept);
        Assert.Same(before, kept);
        Assert.Equal(expected, kept.AsSpan(0, length).ToArray());
        Assert.All(kept.AsSpan(length).ToArray(), b => Assert.Equal(0xee, b));
    }

    [Fact]
    public void A_stored_block_decodes_to_the_same_header_transactions_senders_and_receipts()
    {
        (Block block, Receipt[] receipts) = SampleBlock(1, Hash256.Zero);
        (Block decoded, Receipt[] decodedReceipts) = BlockRecordCodec.Decode(BlockRecordCodec.Encode(block, receipts));

        Assert.Equal(block.Header, decoded.Header with { LogsBloom = block.Header.LogsBloom, ParentCommit = block.Header.ParentCommit });
        Assert.Equal(block.Header.LogsBloom, decoded.Header.LogsBloom);
        Assert.Equal(block.Header.ParentCommit.Round, decoded.Header.ParentCommit.Round);
        Assert.Equal(block.Hash, decoded.Hash);
        Assert.Equal(block.Transactions.Select(t => (t.Hash, t.Sender)), decoded.Transactions.Select(t => (t.Hash, t.Sender)));
        Assert.Equal(BlockAssembler.ReceiptsRoot(receipts), BlockAssembler.ReceiptsRoot(decodedReceipts));
        Assert.Equal([1, 2, 3], decodedReceipts[1].Logs[0].Data);
        Assert.False(decodedReceipts[2].Success);
    }

    [Fact]
    public void A_block_log_on_disk_keeps_blocks_and_indexes_across_reopening()
    {
        var hashes = new List<Hash256>();
        using (var store = new BlockStore(new FasterBlockLog(_directory)))
        {
            Hash256 parent = Hash256.Zero;
            for (ulong n = 0; n < 5; n++)
            {
                (Block block, Receipt[] receipts) = SampleBlock(n, parent);
                store.Append(block, receipts);
                hashes.Add(block.Hash);
                parent = block.Hash;
            }
        }

        using var reopened = new BlockStore(new FasterBlockLog(_directory));
        Assert.Equal(5UL, reopened.Count);
        for (ulong n = 0; n < 5; n++)
        {
            Assert.True(reopened.TryGetBlock(n, out Block? block, out Receipt[] receipts));
            Assert.Equal(hashes[(int)n], block.Hash);
            Assert.Equal(3, receipts.Length);
            Assert.True(reopened.TryGetNumber(block.Hash, out ulong number));
            Assert.Equal(n, number);
            Assert.True(reopened.TryGetTransactionLocation(block.Transactions[2].Hash, out TxLocation location));
            Assert.Equal(new TxLocation(n, 2), location);
        }
        Assert.False(reopened.TryGetBlock(5, out _, out _));
    }

    [Fact]
    public void Appending_out_of_order_is_refused()
    {
        using var store = new BlockStore(new MemoryBlockLog());
        (Block block, Receipt[] receipts) = SampleBlock(3, Hash256.Zero);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => store.Append(block, receipts));
        Assert.Contains("block 0 is next", e.Message);
        Assert.Equal(0UL, store.Count);
    }

    [Fact]
    public void A_corrupt_record_is_reported_not_crashed_on()
    {
        (Block block, Receipt[] receipts) = SampleBlock(0, Hash256.Zero);
        byte[] record = BlockRecordCodec.Encode(block, receipts);
        record[^5] ^= 0xFF;
        byte[] truncated = record[..^7];
        Assert.ThrowsAny<FormatException>(() => BlockRecordCodec.Decode(truncated));
    }

    [Fact]
    public void The_index_entry_of_a_record_names_the_same_block_and_transactions_as_a_full_decode()
    {
        (Block block, Receipt[] receipts) = SampleBlock(7, Hash256.Zero);
        byte[] record = BlockRecordCodec.Encode(block, receipts);
        (ulong number, Hash256 hash, Hash256[] txHashes) = BlockRecordCodec.DecodeIndexEntry(record);
        Assert.Equal(7UL, number);
        Assert.Equal(block.Hash, hash);
        Assert.Equal(block.Transactions.Select(t => t.Hash), txHashes);
    }

    [Fact]
    public void A_block_with_evidence_and_its_certificate_round_trips_and_the_store_gives_the_certificate_back_after_reopening()
    {
        var kit = new ConsensusKit(1, 1, 1, 1);
        DuplicateVoteEvidence evidence = DuplicateVoteEvidence.Create(
            kit.Vote(2, ConsensusMessageType.Precommit, 1, 3, Keccak256.Compute("x"u8)), kit.Vote(2, ConsensusMessageType.Precommit, 1, 3, Keccak256.Compute("y"u8)));
        (Block genesis, _) = SampleBlock(0, Hash256.Zero);
        genesis = new Block(genesis.Header with { TransactionsRoot = BlockAssembler.TransactionsRoot([]) }, genesis.Hash, []);
        (Block plain, Receipt[] receipts) = SampleBlock(1, genesis.Hash);
        BlockHeader header = plain.Header with { EvidenceRoot = BlockAssembler.EvidenceRoot([evidence]) };
        var block = new Block(header, BlockHeaderCodec.ComputeHash(header), plain.Transactions, AccountOverride.None, [evidence]);
        CommitCertificate certificate = CommitVerifier.FromPrecommits(0,
            [.. Enumerable.Range(0, 3).Select(i => kit.Vote(i, ConsensusMessageType.Precommit, 1, 0, block.Hash))], block.Hash);

        (Block decoded, _) = BlockRecordCodec.Decode(BlockRecordCodec.Encode(block, receipts, certificate), out CommitCertificate? commit);
        Assert.Equal(block.Hash, decoded.Hash);
        Assert.Equal(header.EvidenceRoot, decoded.Header.EvidenceRoot);
        Assert.Equal(evidence.Encode(), Assert.Single(decoded.Evidence).Encode());
        Assert.Equal(CommitCertificateCodec.Encode(certificate), CommitCertificateCodec.Encode(commit!));
        Assert.Empty(decoded.Overrides);

        using (var store = new BlockStore(new FasterBlockLog(_directory)))
        {
            store.Append(genesis, []);
            store.Append(block, receipts, certificate);
            Assert.False(store.TryGetCommit(0, out _));
            Assert.True(store.TryGetCommit(1, out CommitCertificate? cached));
            Assert.Same(certificate, cached);
            Assert.False(store.TryGetCommit(2, out _));
        }
        using var reopened = new BlockStore(new FasterBlockLog(_directory));
        Assert.True(reopened.TryGetCommit(1, out CommitCertificate? stored));
        Assert.Equal(CommitError.None, CommitVerifier.Verify(ConsensusKit.ChainId, 1, block.Hash, stored, kit.Set));
        Assert.True(reopened.TryGetBlock(1, out Block? reread, out _));
        Assert.Equal(evidence.Encode(), Assert.Single(reread.Evidence).Encode());
    }

    [Fact]
    public void A_header_encodes_its_evidence_root_only_when_there_is_evidence_and_refuses_a_zero_one()
    {
        (Block block, _) = SampleBlock(1, Hash256.Zero);
        static int FieldCount(byte[] encoded)
        {
            var reader = new RlpReader(encoded);
            RlpReader fields = reader.ReadList();
            int count = 0;
            for (; !fields.IsEnd; count++) fields.Skip();
            return count;
        }

        byte[] without = BlockHeaderCodec.Encode(block.Header);
        Assert.Equal(12, FieldCount(without));
        Assert.True(BlockHeaderCodec.Decode(without).EvidenceRoot.IsZero);

        BlockHeader withEvidence = block.Header with { EvidenceRoot = Keccak256.Compute("evidence"u8) };
        byte[] with = BlockHeaderCodec.Encode(withEvidence);
        Assert.Equal(13, FieldCount(with));
        Assert.Equal(withEvidence.EvidenceRoot, BlockHeaderCodec.Decode(with).EvidenceRoot);
        Assert.NotEqual(block.Hash, BlockHeaderCodec.ComputeHash(withEvidence));

        // A present root of zero would give a second encoding of the same header: refused.
        with.AsSpan(with.Length - Hash256.Size).Clear();
        Assert.Throws<RlpException>(() => BlockHeaderCodec.Decode(with));
    }
}
