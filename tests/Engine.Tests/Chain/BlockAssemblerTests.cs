using NexusFast.Engine.Chain;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Chain;

public class BlockAssemblerTests
{
    /// <summary>
    /// Receipts of every type with zero to three logs of growing data, so the consensus encodings span one to several
    /// Keccak permutations and the lane batch mixes lengths.
    /// </summary>
    private static Receipt[] Receipts(int count)
    {
        var random = new Random(count);
        var receipts = new Receipt[count];
        ulong cumulative = 0;
        for (int i = 0; i < count; i++)
        {
            var logs = new LogEntry[i % 4];
            for (int j = 0; j < logs.Length; j++)
            {
                byte[] address = new byte[Address.Size];
                random.NextBytes(address);
                byte[] topic = new byte[Hash256.Size];
                random.NextBytes(topic);
                byte[] data = new byte[random.Next(0, 300)];
                random.NextBytes(data);
                logs[j] = new LogEntry(new Address(address), [new Hash256(topic)], data);
            }
            cumulative += 21_000 + (ulong)random.Next(0, 50_000);
            receipts[i] = new Receipt
            {
                Type = (TxType)(i % 3),
                Success = i % 5 != 0,
                CumulativeGasUsed = cumulative,
                Logs = logs,
                Bloom = logs.Length == 0 ? LogsBloom.Empty : LogsBloom.FromLogs(logs),
            };
        }
        return receipts;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(100)]
    public void The_batched_receipts_root_is_the_merkle_root_of_each_receipts_leaf(int count)
    {
        Receipt[] receipts = Receipts(count);
        Hash256[] leaves = receipts.Select(r => ReceiptCodec.ComputeLeaf(r)).ToArray();
        Assert.Equal(MerkleRoot.Compute(leaves, new Sha256NodeHasher()), BlockAssembler.ReceiptsRoot(receipts));
    }

    [Fact]
    public void A_receipt_leaf_is_the_keccak_of_the_consensus_encoding_written_in_place()
    {
        foreach (Receipt receipt in Receipts(12))
        {
            byte[] encoding = new byte[ReceiptCodec.GetConsensusLength(receipt)];
            ReceiptCodec.WriteConsensus(receipt, encoding);
            Assert.Equal(Keccak256.Compute(encoding), ReceiptCodec.ComputeLeaf(receipt));
            Assert.Equal(receipt.Type != TxType.Legacy, encoding[0] == (byte)receipt.Type);

            var error = Assert.Throws<ArgumentException>(() => ReceiptCodec.WriteConsensus(receipt, new byte[encoding.Length + 1]));
            Assert.Contains($"consensus encoding is {encoding.Length} bytes", error.Message, StringComparison.Ordinal);
        }
    }
}
