namespace NexusFast.Engine.Crypto;

/// <summary>Serves requests from a pinned caller array; every index has one.</summary>
internal readonly unsafe struct PinnedRequestSource : IEcdsaRequestSource
{
    private readonly EcdsaRecoveryRequest* _requests;

    /// <summary>SAFETY: the array must stay pinned while the source is used and hold every index the batch passes.</summary>
    internal PinnedRequestSource(EcdsaRecoveryRequest* requests) => _requests = requests;

    public bool TryGetRequest(int index, out EcdsaRecoveryRequest request)
    {
        // SAFETY: index < batch length (constructor contract).
        request = _requests[index];
        return true;
    }
}
