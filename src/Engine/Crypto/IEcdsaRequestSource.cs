namespace NexusFast.Engine.Crypto;

/// <summary>
/// Produces the recovery request for one index of a batch on the worker thread that will recover it, so that the
/// work before recovery (a transaction's signing hash, its signature-value checks) is spread over the cores in the
/// same pass instead of in a serial loop before the batch.
/// </summary>
/// <remarks>
/// Implement it as a struct (the batch code is generic over it). Like <see cref="IRecoveredPublicKeySink"/>, it is
/// copied to every chunk and called from several threads at once, each index exactly once: read only what belongs
/// to the index given and write only that index's slot of any output.
/// </remarks>
public interface IEcdsaRequestSource
{
    /// <summary>
    /// False when index has nothing to recover (the source has already recorded why); the sink is then not
    /// called for it and it does not count as recovered or failed.
    /// </summary>
    bool TryGetRequest(int index, out EcdsaRecoveryRequest request);
}
