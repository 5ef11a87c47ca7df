using NexusFast.Engine.Primitives;
using NexusFast.Engine.Primitives.Rlp;

namespace NexusFast.Engine.Consensus;

/// <summary>Why duplicate-vote evidence was refused.</summary>
public enum EvidenceError
{
    None,
    DifferentVoteKinds,
    SameBlock,
    NotCanonicalOrder,
    UnknownValidator,
    BadSignature,
}

/// <summary>
/// Proof that a validator equivocated: two votes of one type at one height and round for different blocks, both
/// signed by its key. Anyone with the validator set of that height can check it (<see cref="Verify"/>); nothing else
/// is trusted. Canonical form: <see cref="First"/> has the smaller block hash, so the same pair gives one encoding.
/// </summary>
public sealed record DuplicateVoteEvidence
{
    private DuplicateVoteEvidence(Vote first, Vote second)
    {
        First = first;
        Second = second;
    }

    public Vote First { get; }

    public Vote Second { get; }

    public Address Validator => First.Validator;

    public ulong Height => First.Height;

    /// <summary>Orders the pair canonically; <see cref="Verify"/> still has to be called.</summary>
    public static DuplicateVoteEvidence Create(Vote a, Vote b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.BlockHash <= b.BlockHash ? new DuplicateVoteEvidence(a, b) : new DuplicateVoteEvidence(b, a);
    }

    public EvidenceError Verify(ulong chainId, ValidatorSet validators, ConsensusSignatureCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(validators);
        if (First.Type != Second.Type || First.Height != Second.Height || First.Round != Second.Round || First.Validator != Second.Validator)
            return EvidenceError.DifferentVoteKinds;
        if (First.BlockHash == Second.BlockHash) return EvidenceError.SameBlock;
        if (First.BlockHash > Second.BlockHash) return EvidenceError.NotCanonicalOrder;
        if (!validators.Contains(First.Validator)) return EvidenceError.UnknownValidator;
        if (!First.Authenticate(chainId, cache) || !Second.Authenticate(chainId, cache)) return EvidenceError.BadSignature;
        return EvidenceError.None;
    }

    /// <summary>A key that is the same for every piece of evidence about one equivocation slot.</summary>
    public (Address Validator, ulong Height, int Round, ConsensusMessageType Type) Slot => (First.Validator, First.Height, First.Round, First.Type);

    /// <summary>RLP [first vote, second vote], each vote as <see cref="VoteCodec"/> writes it.</summary>
    public byte[] Encode()
    {
        byte[] first = VoteCodec.Encode(First);
        byte[] second = VoteCodec.Encode(Second);
        byte[] buffer = new byte[RlpWriter.LengthOfList(first.Length + second.Length)];
        var writer = new RlpWriter(buffer);
        writer.WriteListHeader(first.Length + second.Length);
        writer.WriteEncoded(first);
        writer.WriteEncoded(second);
        return buffer;
    }

    /// <exception cref="FormatException">Malformed RLP or a pair not in canonical order.</exception>
    public static DuplicateVoteEvidence Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        RlpReader fields = reader.ReadList();
        reader.EnsureEnd();
        Vote first = VoteCodec.Decode(fields.ReadEncoded());
        Vote second = VoteCodec.Decode(fields.ReadEncoded());
        fields.EnsureEnd();
        if (first.BlockHash > second.BlockHash) throw new FormatException("duplicate-vote evidence: the vote with the smaller block hash must come first");
        return new DuplicateVoteEvidence(first, second);
    }
}
