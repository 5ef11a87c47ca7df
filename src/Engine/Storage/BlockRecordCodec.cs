using System.Runtime.InteropServices;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Crypto.Lanes;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Storage;

/// <summary>
/// One committed block as stored in the block log: rlp([header, [txEnvelope...], [sender...], [storedReceipt...]]),
/// then up to three optional items, each written only when it or a later one is needed, so that ordinary records stay
/// as they were: a development chain's account edits [[address, nonce, balance]...] (<see cref="Block.Overrides"/>);
/// the block's double-vote evidence [evidence...] (<see cref="Block.Evidence"/>, each as
/// <see cref="DuplicateVoteEvidence.Encode"/>); and the certificate that committed the block
/// (<see cref="CommitCertificateCodec"/>), for blocks committed by consensus. The certificate is kept with its block
/// because nothing else holds the tip's: the next header, which carries it, does not exist yet.
/// Senders are stored so that reading and replaying our own log does not pay for signature recovery again; the
/// log is checksummed per record, and blocks from peers are always re-verified before they get here.
/// </summary>
public static class BlockRecordCodec
{
    public static byte[] Encode(Block block, IReadOnlyList<Receipt> receipts, CommitCertificate? commit = null)
    {
        if (receipts.Count != block.Transactions.Length)
            throw new ArgumentException($"block {block.Number} has {block.Transactions.Length} transactions but {receipts.Count} receipts", nameof(receipts));

        int headerLength = BlockHeaderCodec.GetEncodedLength(block.Header);
        byte[][] envelopes = BlockBodyCodec.EncodeEnvelopes(block.Transactions, out int txPayload);
        int senderPayload = block.Transactions.Length * RlpWriter.LengthOfAddress;
        int receiptPayload = 0;
        foreach (Receipt receipt in receipts) receiptPayload += ReceiptCodec.GetStoredLength(receipt);

        int overridePayload = 0;
        foreach (AccountOverride edit in block.Overrides) overridePayload += RlpWriter.LengthOfList(OverridePayloadLength(edit));

        byte[][] evidence = BlockBodyCodec.EncodeEvidence(block.Evidence, out int evidencePayload);
        byte[]? certificate = commit is null ? null : CommitCertificateCodec.Encode(commit);
        int optionalItems = certificate is not null ? 3 : evidence.Length > 0 ? 2 : block.Overrides.Length > 0 ? 1 : 0;

        int payload = headerLength + RlpWriter.LengthOfList(txPayload) + RlpWriter.LengthOfList(senderPayload) + RlpWriter.LengthOfList(receiptPayload);
        if (optionalItems >= 1) payload += RlpWriter.LengthOfList(overridePayload);
        if (optionalItems >= 2) payload += RlpWriter.LengthOfList(evidencePayload);
        if (optionalItems >= 3) payload += certificate!.Length;
        var buffer = new byte[RlpWriter.LengthOfList(payload)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(payload);
        BlockHeaderCodec.Write(ref writer, block.Header);
        writer.WriteListHeader(txPayload);
        foreach (byte[] envelope in envelopes) writer.WriteString(envelope);
        writer.WriteListHeader(senderPayload);
        foreach (Transaction tx in block.Transactions) writer.WriteAddress(tx.Sender);
        writer.WriteListHeader(receiptPayload);
        foreach (Receipt receipt in receipts) ReceiptCodec.WriteStored(ref writer, receipt);
        if (optionalItems >= 1)
        {
            writer.WriteListHeader(overridePayload);
            foreach (AccountOverride edit in block.Overrides)
            {
                writer.WriteListHeader(OverridePayloadLength(edit));
                writer.WriteAddress(edit.Address);
                writer.WriteUInt64(edit.Nonce);
                writer.WriteUInt256(edit.Balance);
            }
        }
        if (optionalItems >= 2)
        {
            writer.WriteListHeader(evidencePayload);
            foreach (byte[] item in evidence) writer.WriteEncoded(item);
        }
        if (optionalItems >= 3) writer.WriteEncoded(certificate);
        return buffer;
    }

    /// <summary>
    /// What the indexes need from a stored block, without decoding its transactions and receipts: the header's number and
    /// hash, and each transaction's hash (Keccak-256 of its stored envelope, which the decoder would compute the same way).
    /// Opening a store reads every record this way.
    /// </summary>
    public static (ulong Number, Hash256 Hash, Hash256[] TransactionHashes) DecodeIndexEntry(ReadOnlySpan<byte> record)
    {
        var outer = new RlpReader(record);
        RlpReader fields = outer.ReadList();
        outer.EnsureEnd();
        BlockHeader header = BlockHeaderCodec.Read(ref fields);
        RlpReader txList = fields.ReadList();

        // The envelopes are slices of the record: note where each lies, then hash them all in one lane batch.
        var offsets = new List<int>();
        var lengths = new List<int>();
        while (!txList.IsEnd)
        {
            ReadOnlySpan<byte> envelope = txList.ReadString();
            offsets.Add(txList.Position - envelope.Length);
            lengths.Add(envelope.Length);
        }
        var hashes = new Hash256[offsets.Count];
        Keccak256Lanes.HashMany(record, CollectionsMarshal.AsSpan(offsets), CollectionsMarshal.AsSpan(lengths), hashes);
        return (header.Number, BlockHeaderCodec.ComputeHash(header), hashes);
    }

    /// <summary>Decodes a stored block; a record that does not decode means the store is corrupt, which is an error with a reason.</summary>
    public static (Block Block, Receipt[] Receipts) Decode(ReadOnlySpan<byte> record) => Decode(record, out _);

    /// <summary>As <see cref="Decode(ReadOnlySpan{byte})"/>, also giving the certificate stored with the block (null when none was).</summary>
    public static (Block Block, Receipt[] Receipts) Decode(ReadOnlySpan<byte> record, out CommitCertificate? commit)
    {
        commit = null;
        var outer = new RlpReader(record);
        RlpReader fields = outer.ReadList();
        outer.EnsureEnd();

        BlockHeader header = BlockHeaderCodec.Read(ref fields);
        RlpReader txList = fields.ReadList();
        var transactions = new List<Transaction>();
        while (!txList.IsEnd)
        {
            int offset = txList.Position;
            ReadOnlySpan<byte> envelope = txList.ReadString();
            var tx = new Transaction();
            TxError error = TransactionDecoder.TryDecode(envelope, tx, out string detail);
            if (error != TxError.None)
                throw new InvalidDataException($"block {header.Number}: stored transaction at offset {offset} does not decode: {detail}");
            transactions.Add(tx);
        }

        RlpReader senders = fields.ReadList();
        foreach (Transaction tx in transactions)
        {
            tx.Sender = senders.ReadAddress();
            tx.HasSender = true;
        }
        senders.EnsureEnd();

        RlpReader receiptList = fields.ReadList();
        var receipts = new Receipt[transactions.Count];
        for (int i = 0; i < receipts.Length; i++) receipts[i] = ReceiptCodec.ReadStored(ref receiptList, transactions[i]);
        receiptList.EnsureEnd();

        AccountOverride[] overrides = AccountOverride.None;
        DuplicateVoteEvidence[] evidence = [];
        if (!fields.IsEnd)
        {
            RlpReader overrideList = fields.ReadList();
            var edits = new List<AccountOverride>();
            while (!overrideList.IsEnd)
            {
                RlpReader edit = overrideList.ReadList();
                edits.Add(new AccountOverride(edit.ReadAddress(), edit.ReadUInt64(), edit.ReadUInt256()));
                edit.EnsureEnd();
            }
            if (edits.Count == 0 && fields.IsEnd) throw new InvalidDataException($"block {header.Number}: stored account-edit list is present but empty");
            overrides = edits.Count == 0 ? AccountOverride.None : edits.ToArray();
        }
        if (!fields.IsEnd)
        {
            RlpReader evidenceList = fields.ReadList();
            var entries = new List<DuplicateVoteEvidence>();
            while (!evidenceList.IsEnd) entries.Add(DuplicateVoteEvidence.Decode(evidenceList.ReadEncoded()));
            evidence = entries.ToArray();
        }
        if (!fields.IsEnd) commit = CommitCertificateCodec.Decode(fields.ReadEncoded());
        fields.EnsureEnd();

        var block = new Block(header, BlockHeaderCodec.ComputeHash(header), transactions.ToArray(), overrides, evidence);
        return (block, receipts);
    }

    private static int OverridePayloadLength(AccountOverride edit) =>
        RlpWriter.LengthOfAddress + RlpWriter.LengthOfUInt64(edit.Nonce) + RlpWriter.LengthOfUInt256(edit.Balance);
}
