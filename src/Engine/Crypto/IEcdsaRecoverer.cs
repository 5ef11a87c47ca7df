namespace NexusFast.Engine.Crypto;

/// <summary>
/// Batch sender recovery, as the mempool (admission) and block import (re-verification) use it. Implementations
/// may spread a batch over cores or devices, but must give, for every index, exactly what
/// <see cref="NexusFast.Interop.Secp256k1.Secp256k1.TryRecoverXY"/> gives for that request alone.
/// </summary>
public interface IEcdsaRecoverer
{
    /// <summary>
    /// Writes the X||Y public key of request i to publicKeys[64·i .. 64·i + 64] and sets recovered[i]; a failed
    /// item gets false and an all-zero key. Returns how many recovered.
    /// </summary>
    int Recover(ReadOnlySpan<EcdsaRecoveryRequest> requests, Span<byte> publicKeys, Span<bool> recovered);

    /// <summary>Hands every result to <paramref name="sink"/>; returns how many recovered.</summary>
    int Recover<TSink>(ReadOnlySpan<EcdsaRecoveryRequest> requests, TSink sink)
        where TSink : struct, IRecoveredPublicKeySink;

    /// <summary>
    /// Recovers indexes 0 to <paramref name="count"/> - 1, asking <paramref name="source"/> for each request on the
    /// worker that recovers it; indexes the source declines are skipped. Returns how many recovered.
    /// </summary>
    int Recover<TSource, TSink>(int count, TSource source, TSink sink)
        where TSource : struct, IEcdsaRequestSource
        where TSink : struct, IRecoveredPublicKeySink;
}
