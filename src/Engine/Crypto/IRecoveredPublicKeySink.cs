namespace NexusFast.Engine.Crypto;

/// <summary>
/// Receives each result of a batch recovery on the worker thread that produced it, while the 64 key bytes are
/// still in that core's cache. This is where per-item follow-up work goes: address derivation (Keccak-256 of
/// the key, last 20 bytes) is a sink that writes addresses instead of keys.
/// </summary>
/// <remarks>
/// Implement it as a struct (the batch code is generic over it, so calls are direct, not virtual). The sink is
/// copied to every chunk and called from several threads at once, each index exactly once: keep only
/// references to output buffers in it and write only the slot of the index given.
/// </remarks>
public interface IRecoveredPublicKeySink
{
    /// <summary><paramref name="publicKeyXY64"/> is X||Y (no 0x04 prefix), valid only during the call.</summary>
    void OnRecovered(int index, ReadOnlySpan<byte> publicKeyXY64);

    /// <summary>The request at <paramref name="index"/> is not a canonical signature or does not recover.</summary>
    void OnFailed(int index);
}
