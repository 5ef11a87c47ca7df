using System.Runtime.InteropServices;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Crypto.Lanes;
using NexusFast.Engine.Diagnostics;
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
        var layout = new Layout(block, receipts, commit);
        var record = new byte[layout.Length];
        Write(block, receipts, in layout, record);
        return record;
    }

    /// <summary>
    /// As <see cref="Encode(Block, IReadOnlyList{Receipt}, CommitCertificate?)"/>, into the start of
    /// <paramref name="buffer"/>, which is replaced by a larger array (with a quarter to spare, so that similar blocks
    /// fit next time) when the record does not fit; returns the record's length. A store that keeps its buffer writes
    /// a 50,000-transfer block (8 MB) with no new array, where a fresh one per block would be a large-object allocation
    /// that only a full collection frees.
    /// </summary>
    public static int Encode(Block block, IReadOnlyList<Receipt> receipts, CommitCertificate? commit, ref byte[] buffer)
    {
        var layout = new Layout(block, receipts, commit);
        if (buffer.Length < layout.Length) buffer = new byte[Math.Min(Array.MaxLength, layout.Length + layout.Length / 4)];
        Write(block, receipts, in layout, buffer.AsSpan(0, layout.Length));
        return layout.Length;
    }

    /// <summary>The lengths of a record's parts, and the parts that are encoded before they are written.</summary>
    private readonly struct Layout
    {
        public readonly int HeaderLength;
        public readonly int TxPayload;
        public readonly int SenderPayload;
        public readonly int ReceiptPayload;
        public readonly int OverridePayload;
        public readonly byte[][] Evidence;
        public readonly int EvidencePayload;
        public readonly byte[]? Certificate;
        public readonly int OptionalItems;
        public readonly int Payload;

        public Layout(Block block, IReadOnlyList<Receipt> receipts, CommitCertificate? commit)
        {
            Transaction[] txs = block.Transactions;
            if (receipts.Count != txs.Length)
                throw new ArgumentException($"block {block.Number} has {txs.Length} transactions but {receipts.Count} receipts", nameof(receipts));

            HeaderLength = BlockHeaderCodec.GetEncodedLength(block.Header);
            // Envelopes are encoded straight into the record later (RlpWriter.BeginString); an envelope is never one
            // byte (a legacy one is a list of nine items, a typed one a type byte and a list), so each has a header.
            for (int i = 0; i < txs.Length; i++)
            {
                int envelopeLength = TransactionEncoder.GetEncodedLength(txs[i]);
                TxPayload += RlpWriter.LengthOfHeader(envelopeLength) + envelopeLength;
            }
            SenderPayload = txs.Length * RlpWriter.LengthOfAddress;
            for (int i = 0; i < receipts.Count; i++) ReceiptPayload += ReceiptCodec.GetStoredLength(receipts[i]);
            foreach (AccountOverride edit in block.Overrides) OverridePayload += RlpWriter.LengthOfList(OverridePayloadLength(edit));

            Evidence = BlockBodyCodec.EncodeEvidence(block.Evidence, out EvidencePayload);
            Certificate = commit is null ? null : CommitCertificateCodec.Encode(commit);
            OptionalItems = Certificate is not null ? 3 : Evidence.Length > 0 ? 2 : block.Overrides.Length > 0 ? 1 : 0;

            Payload = HeaderLength + RlpWriter.LengthOfList(TxPayload) + RlpWriter.LengthOfList(SenderPayload) + RlpWriter.LengthOfList(ReceiptPayload);
            if (OptionalItems >= 1) Payload += RlpWriter.LengthOfList(OverridePayload);
            if (OptionalItems >= 2) Payload += RlpWriter.LengthOfList(EvidencePayload);
            if (OptionalItems >= 3) Payload += Certificate!.Length;
        }

        public int Length => RlpWriter.LengthOfList(Payload);
    }

    private static void Write(Block block, IReadOnlyList<Receipt> receipts, in Layout layout, Span<byte> record)
    {
        var writer = new RlpWriter(record);
        writer.WriteListHeader(layout.Payload);
        BlockHeaderCodec.Write(ref writer, block.Header);
        writer.WriteListHeader(layout.TxPayload);
        Transaction[] txs = block.Transactions;
        for (int i = 0; i < txs.Length; i++)
        {
            Span<byte> envelope = writer.BeginString(TransactionEncoder.GetEncodedLength(txs[i]));
            TransactionEncoder.Encode(txs[i], envelope);
        }
        writer.WriteListHeader(layout.SenderPayload);
        for (int i = 0; i < txs.Length; i++) writer.WriteAddress(txs[i].Sender);
        writer.WriteListHeader(layout.ReceiptPayload);
        for (int i = 0; i < receipts.Count; i++) ReceiptCodec.WriteStored(ref writer, receipts[i]);
        if (layout.OptionalItems >= 1)
        {
            writer.WriteListHeader(layout.OverridePayload);
            foreach (AccountOverride edit in block.Overrides)
            {
                writer.WriteListHeader(OverridePayloadLength(edit));
                writer.WriteAddress(edit.Address);
                writer.WriteUInt64(edit.Nonce);
                writer.WriteUInt256(edit.Balance);
            }
        }
        if (layout.OptionalItems >= 2)
        {
            writer.WriteListHeader(layout.EvidencePayload);
            foreach (byte[] item in layout.Evidence) writer.WriteEncoded(item);
        }
        if (layout.OptionalItems >= 3) writer.WriteEncoded(layout.Certificate);
        Invariant.Check(writer.Position == record.Length);
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
