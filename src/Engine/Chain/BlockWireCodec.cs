using NexusFast.Engine.Consensus;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Chain;

/// <summary>
/// A block as it travels through consensus (proposals, block sync): rlp([header, [txEnvelope...], [evidence...]]), the
/// header as <see cref="BlockHeaderCodec"/> writes it, each transaction as its signed envelope (EIP-2718; what
/// eth_sendRawTransaction takes) and each evidence entry as <see cref="DuplicateVoteEvidence.Encode"/>. Senders and
/// receipts are not sent: a receiver recovers and executes them itself, trusting nothing but signatures.
/// </summary>
/// <remarks>
/// Decoding checks that the body is the one the header commits to (transactions root, evidence root), so that the
/// header's hash, which consensus votes on, stands for the whole encoding: two different decodable encodings with one
/// hash would need a hash collision. The block log has its own record format (<see cref="Storage.BlockRecordCodec"/>),
/// which adds senders, receipts and the commit certificate.
/// </remarks>
public static class BlockWireCodec
{
    /// <summary>Evidence entries one block may carry; more is refused before any signature is checked.</summary>
    public const int EvidenceCountMax = 64;

    public static byte[] Encode(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Overrides.Length > 0)
            throw new ArgumentException($"block {block.Number} carries development account edits, which never leave the node", nameof(block));
        byte[][] envelopes = BlockBodyCodec.EncodeEnvelopes(block.Transactions, out int txPayload);
        byte[][] evidence = BlockBodyCodec.EncodeEvidence(block.Evidence, out int evidencePayload);
        int payload = BlockHeaderCodec.GetEncodedLength(block.Header) + RlpWriter.LengthOfList(txPayload) + RlpWriter.LengthOfList(evidencePayload);
        var buffer = new byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        BlockHeaderCodec.Write(ref writer, block.Header);
        writer.WriteListHeader(txPayload);
        foreach (byte[] envelope in envelopes) writer.WriteString(envelope);
        writer.WriteListHeader(evidencePayload);
        foreach (byte[] item in evidence) writer.WriteEncoded(item);
        return buffer;
    }

    /// <summary>
    /// Decodes bytes from a peer: the header, every transaction under the consensus rules of <paramref name="config"/>
    /// (senders not yet recovered), every evidence entry (signatures not yet checked), and the body checked against the
    /// header's roots. False with the reason for anything else; never throws for bad input.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, ChainConfig config, [NotNullWhen(true)] out Block? block, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(config);
        block = null;
        BlockHeader header;
        var transactions = new List<Transaction>();
        var evidence = new List<DuplicateVoteEvidence>();
        try
        {
            var outer = new RlpReader(encoded);
            RlpReader fields = outer.ReadList();
            outer.EnsureEnd();
            header = BlockHeaderCodec.Read(ref fields);
            RlpReader txList = fields.ReadList();
            while (!txList.IsEnd)
            {
                ReadOnlySpan<byte> envelope = txList.ReadString();
                var tx = new Transaction();
                TxError txError = TransactionValidator.DecodeAndCheck(envelope, tx, config, TxValidationMode.Consensus, out string detail);
                if (txError != TxError.None)
                {
                    error = $"transaction {transactions.Count}: {detail}";
                    return false;
                }
                transactions.Add(tx);
            }
            RlpReader evidenceList = fields.ReadList();
            while (!evidenceList.IsEnd)
            {
                if (evidence.Count == EvidenceCountMax)
                {
                    error = $"more than {EvidenceCountMax} evidence entries";
                    return false;
                }
                evidence.Add(DuplicateVoteEvidence.Decode(evidenceList.ReadEncoded()));
            }
            fields.EnsureEnd();
        }
        catch (FormatException e)
        {
            // RlpException is a FormatException: malformed RLP anywhere, a bad field length, votes out of order.
            error = $"malformed block: {e.Message}";
            return false;
        }

        if (BlockAssembler.TransactionsRoot(transactions) is var transactionsRoot && transactionsRoot != header.TransactionsRoot)
        {
            error = $"transactions root {transactionsRoot}, header says {header.TransactionsRoot}";
            return false;
        }
        if (BlockAssembler.EvidenceRoot(evidence) is var evidenceRoot && evidenceRoot != header.EvidenceRoot)
        {
            error = $"evidence root {evidenceRoot}, header says {header.EvidenceRoot}";
            return false;
        }
        block = new Block(header, BlockHeaderCodec.ComputeHash(header), transactions.ToArray(), AccountOverride.None, evidence.ToArray());
        error = null;
        return true;
    }
}
