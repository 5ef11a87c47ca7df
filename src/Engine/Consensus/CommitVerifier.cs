using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>Why a commit certificate was refused.</summary>
public enum CommitError
{
    None,
    RoundOutOfRange,

    /// <summary>Signatures are not in strictly ascending validator order (which also rules out duplicates).</summary>
    NotCanonicalOrder,
    UnknownValidator,
    BadSignature,

    /// <summary>The valid signatures carry two thirds of the power or less.</summary>
    InsufficientPower,

    /// <summary>Block 1 carries a certificate for its parent, the genesis, which is not committed by votes.</summary>
    GenesisParentCertified,
}

/// <summary>
/// Light verification: whether a certificate proves that a block was committed at a height, given only the
/// validator set of that height. Anyone holding the set can call it (a light client, block sync, the header check of
/// the next block); it needs no consensus state.
/// </summary>
public static class CommitVerifier
{
    /// <summary>
    /// None when every signature is a valid precommit of <paramref name="blockHash"/> at <paramref name="height"/> and the
    /// certificate's round by a distinct member of <paramref name="validators"/>, listed in ascending address order,
    /// and together they carry more than two thirds of the voting power.
    /// </summary>
    public static CommitError Verify(
        ulong chainId, ulong height, Hash256 blockHash, CommitCertificate certificate, ValidatorSet validators, ConsensusSignatureCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(validators);
        if (certificate.Round > int.MaxValue) return CommitError.RoundOutOfRange;
        var payload = new SigningPayload(ConsensusMessageType.Precommit, height, (int)certificate.Round, -1, blockHash);
        Hash256 signingHash = payload.ComputeSigningHash(chainId);
        long power = 0;
        Address previous = default;
        for (int i = 0; i < certificate.Signatures.Length; i++)
        {
            CommitSignature signature = certificate.Signatures[i];
            if (i > 0 && signature.Validator <= previous) return CommitError.NotCanonicalOrder;
            previous = signature.Validator;
            if (!validators.TryGetIndex(signature.Validator, out int index)) return CommitError.UnknownValidator;
            if (signature.Signature is null
                || !ConsensusSignatureCache.TryRecover(cache, signingHash, signature.Signature, out Address signer)
                || signer != signature.Validator)
            {
                return CommitError.BadSignature;
            }
            power += validators[index].VotingPower;
        }
        return validators.IsQuorum(power) ? CommitError.None : CommitError.InsufficientPower;
    }

    /// <summary>
    /// Light verification of a header chain link: <paramref name="header"/> (block N + 1) carries the certificate of its
    /// parent, so it proves that block N, whose hash is <see cref="BlockHeader.ParentHash"/>, was committed by the
    /// validators of height N. Block 1's parent is the genesis, which needs no certificate (it must carry an empty one).
    /// </summary>
    public static CommitError VerifyParentCommit(ulong chainId, BlockHeader header, ValidatorSet parentValidators, ConsensusSignatureCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Number == 0) throw new ArgumentException("the genesis header has no parent", nameof(header));
        if (header.Number == 1) return header.ParentCommit.Signatures.Length == 0 && header.ParentCommit.Round == 0 ? CommitError.None : CommitError.GenesisParentCertified;
        return Verify(chainId, header.Number - 1, header.ParentHash, header.ParentCommit, parentValidators, cache);
    }

    /// <summary>
    /// The certificate for a decision: the precommits for <paramref name="blockHash"/> of one round, in ascending
    /// validator order (the canonical form <see cref="Verify"/> demands).
    /// </summary>
    public static CommitCertificate FromPrecommits(int round, IReadOnlyList<Vote> precommits, Hash256 blockHash)
    {
        ArgumentNullException.ThrowIfNull(precommits);
        var signatures = new List<CommitSignature>(precommits.Count);
        foreach (Vote vote in precommits)
        {
            if (vote.Type != ConsensusMessageType.Precommit || vote.Round != round || vote.BlockHash != blockHash)
                throw new ArgumentException($"{vote} is not a precommit of round {round} for {blockHash}", nameof(precommits));
            signatures.Add(new CommitSignature(vote.Validator, vote.Signature));
        }
        signatures.Sort(static (a, b) => a.Validator.CompareTo(b.Validator));
        return new CommitCertificate((ulong)round, signatures.ToArray());
    }
}
