using NexusFast.Engine.Consensus;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Ledger.Codec;

/// <summary>
/// The body items the block log (Storage.BlockRecordCodec) and the consensus wire (Chain.BlockWireCodec) both carry and
/// encode alike: each transaction as its signed envelope, written as an RLP string, and each evidence entry as
/// <see cref="DuplicateVoteEvidence.Encode"/>, written as is.
/// </summary>
public static class BlockBodyCodec
{
    /// <summary>The transactions' envelopes, and the payload length of the RLP list of them as strings.</summary>
    public static byte[][] EncodeEnvelopes(Transaction[] transactions, out int listPayload)
    {
        var envelopes = new byte[transactions.Length][];
        listPayload = 0;
        for (int i = 0; i < envelopes.Length; i++)
        {
            envelopes[i] = TransactionEncoder.Encode(transactions[i]);
            listPayload += RlpWriter.LengthOfString(envelopes[i]);
        }
        return envelopes;
    }

    /// <summary>The evidence entries' encodings, and the payload length of the RLP list of them.</summary>
    public static byte[][] EncodeEvidence(DuplicateVoteEvidence[] evidence, out int listPayload)
    {
        var encoded = new byte[evidence.Length][];
        listPayload = 0;
        for (int i = 0; i < encoded.Length; i++)
        {
            encoded[i] = evidence[i].Encode();
            listPayload += encoded[i].Length;
        }
        return encoded;
    }
}
