using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>
/// A signed prevote or precommit. <see cref="BlockHash"/> is <see cref="Hash256.Zero"/> for a nil vote.
/// <see cref="Validator"/> is a claim that <see cref="Authenticate"/> checks against the signature.
/// </summary>
public sealed record Vote(ConsensusMessageType Type, ulong Height, int Round, Hash256 BlockHash, Address Validator, byte[] Signature)
{
    public bool IsNil => BlockHash.IsZero;

    public SigningPayload Payload => new(Type, Height, Round, -1, BlockHash);

    /// <summary>True when the type is a vote type, the round is not negative and the signature recovers to <see cref="Validator"/>.</summary>
    public bool Authenticate(ulong chainId, ConsensusSignatureCache? cache = null)
    {
        if (Type is not (ConsensusMessageType.Prevote or ConsensusMessageType.Precommit) || Round < 0) return false;
        Hash256 signingHash = Payload.ComputeSigningHash(chainId);
        return ConsensusSignatureCache.TryRecover(cache, signingHash, Signature, out Address signer) && signer == Validator;
    }

    public override string ToString() =>
        $"{Type}(h={Height} r={Round} {(IsNil ? "nil" : BlockHash.ToString()[..10])} by {Validator.ToString()[..10]})";
}

/// <summary>A signed proposal of a block for one height and round; <see cref="PolRound"/> is -1 or the round of its proof of lock.</summary>
public sealed record Proposal(ulong Height, int Round, int PolRound, Hash256 BlockHash, byte[] Block, Address Proposer, byte[] Signature)
{
    public SigningPayload Payload => new(ConsensusMessageType.Proposal, Height, Round, PolRound, BlockHash);

    /// <summary>True when the rounds are in range and the signature recovers to <see cref="Proposer"/>.</summary>
    public bool Authenticate(ulong chainId, ConsensusSignatureCache? cache = null)
    {
        if (Round < 0 || PolRound < -1 || PolRound >= Round || BlockHash.IsZero) return false;
        Hash256 signingHash = Payload.ComputeSigningHash(chainId);
        return ConsensusSignatureCache.TryRecover(cache, signingHash, Signature, out Address signer) && signer == Proposer;
    }

    public override string ToString() => $"Proposal(h={Height} r={Round} pol={PolRound} {BlockHash.ToString()[..10]})";
}
