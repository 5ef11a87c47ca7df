using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// Finds the public key of a registered ML-DSA key hash, for transactions that carry only the hash. The chain's
/// implementation reads the key registry of the committed state (<see cref="Execution.MlDsaKeyRegistry"/>).
/// </summary>
/// <remarks>
/// Keys are content-addressed (the hash is Keccak-256 of the key), so any source is as good as another: a key found
/// here is the one the hash names, whoever registered it. Whether it was registered in time for a transaction is the
/// executor's check, against the block's own state. Implementations must be safe to call from several threads (admission and block import share one recovery).
/// </remarks>
public interface IMlDsaKeySource
{
    /// <summary>Writes the 1,952-byte key of <paramref name="keyHash"/> to <paramref name="publicKey"/>; false when unknown.</summary>
    bool TryGetPublicKey(in Hash256 keyHash, Span<byte> publicKey);
}
