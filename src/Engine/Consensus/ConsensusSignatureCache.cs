using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Consensus;

/// <summary>
/// Remembers recovered signers so that a vote relayed many times (gossip, re-broadcast, several nodes of a simulation
/// in one process) costs one secp256k1 recovery. Keyed by the signing hash and the signature bytes, so a hit is exactly
/// the result recovery would give. Bounded: when full it is cleared, which only costs recomputation. Not thread-safe;
/// one owner drives it.
/// </summary>
public sealed class ConsensusSignatureCache(int capacity = 65_536)
{
    private readonly Dictionary<(Hash256 SigningHash, Hash256 SignatureDigest), Address> _signers = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _signers.Count;

    public static bool TryRecover(ConsensusSignatureCache? cache, Hash256 signingHash, byte[] signature, out Address signer)
    {
        if (cache is null) return ConsensusSigning.TryRecoverSigner(signingHash, signature, out signer);
        return cache.TryRecover(signingHash, signature, out signer);
    }

    public bool TryRecover(Hash256 signingHash, byte[] signature, out Address signer)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var key = (signingHash, Crypto.Keccak256.Compute(signature));
        if (_signers.TryGetValue(key, out signer)) return true;
        if (!ConsensusSigning.TryRecoverSigner(signingHash, signature, out signer)) return false;
        if (_signers.Count >= Capacity) _signers.Clear();
        _signers[key] = signer;
        return true;
    }
}
