using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>
/// Double-sign protection (CometBFT privval's height/round/step check). Signs only what moves strictly forward in
/// (height, round, step), where step orders proposal &lt; prevote &lt; precommit; the exact payload signed last may be
/// asked for again and gets the same signature back, which lets a validator that crashed after persisting but before
/// sending re-send its vote. The new state is saved before the signature is returned, so no signature exists that the
/// store does not know about.
/// </summary>
public sealed class GuardedSigner : IConsensusSigner
{
    private readonly ulong _chainId;
    private readonly byte[] _secret;
    private readonly ISignerStateStore _store;

    /// <exception cref="ArgumentException">The secret is not a valid secp256k1 key.</exception>
    /// <exception cref="InvalidDataException">The stored state is corrupt; the validator must not sign until an operator looks.</exception>
    public GuardedSigner(ulong chainId, ReadOnlySpan<byte> secret32, ISignerStateStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _chainId = chainId;
        _secret = secret32.ToArray();
        _store = store;
        Address = ConsensusSigning.AddressOf(secret32);
        LastSigned = store.Load();
    }

    public Address Address { get; }

    public SignerState? LastSigned { get; private set; }

    /// <summary>How many requests were refused as conflicting (for tests and metrics).</summary>
    public int RefusedCount { get; private set; }

    public byte[]? TrySign(SigningPayload payload, int lockRound, Hash256 lockBlock)
    {
        Invariant.Check(lockRound >= -1 && lockRound <= payload.Round);
        SignerState? last = LastSigned;
        if (last is not null)
        {
            int order = Compare(payload, last);
            if (order < 0 || (order == 0 && payload != last.Payload))
            {
                RefusedCount++;
                return null;
            }
            if (order == 0) return (byte[])last.Signature.Clone();
        }

        byte[] signature = ConsensusSigning.Sign(payload.ComputeSigningHash(_chainId), _secret);
        bool sameHeight = last is not null && last.Height == payload.Height;
        SignedVote? prevote = sameHeight ? last!.LastPrevote : null;
        SignedVote? precommit = sameHeight ? last!.LastPrecommit : null;
        if (payload.Type == ConsensusMessageType.Prevote) prevote = new SignedVote(payload.Round, payload.BlockHash, signature);
        if (payload.Type == ConsensusMessageType.Precommit) precommit = new SignedVote(payload.Round, payload.BlockHash, signature);
        var state = new SignerState(payload.Height, payload.Round, payload.Type, payload.PolRound, payload.BlockHash, signature, lockRound, lockBlock, prevote, precommit);
        _store.Save(state);
        LastSigned = state;
        return (byte[])signature.Clone();
    }

    private static int Compare(SigningPayload payload, SignerState last)
    {
        int order = payload.Height.CompareTo(last.Height);
        if (order == 0) order = payload.Round.CompareTo(last.Round);
        if (order == 0) order = ((byte)payload.Type).CompareTo((byte)last.Type);
        return order;
    }
}
