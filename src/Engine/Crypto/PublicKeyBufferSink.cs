namespace NexusFast.Engine.Crypto;

/// <summary>Writes results into flat caller buffers: 64 key bytes per index and one flag per index.</summary>
internal readonly unsafe struct PublicKeyBufferSink : IRecoveredPublicKeySink
{
    private readonly byte* _publicKeys;
    private readonly bool* _recovered;

    /// <summary>
    /// SAFETY: both buffers must stay pinned for as long as the sink is used, and hold 64 bytes, respectively
    /// one flag, for every index the batch will pass.
    /// </summary>
    internal PublicKeyBufferSink(byte* publicKeys, bool* recovered)
    {
        _publicKeys = publicKeys;
        _recovered = recovered;
    }

    public void OnRecovered(int index, ReadOnlySpan<byte> publicKeyXY64)
    {
        // SAFETY: index < batch length and the buffer holds 64 bytes per item (constructor contract).
        publicKeyXY64.CopyTo(new Span<byte>(_publicKeys + (nint)index * EcdsaBatchRecovery.PublicKeyLength, EcdsaBatchRecovery.PublicKeyLength));
        _recovered[index] = true;
    }

    public void OnFailed(int index)
    {
        // SAFETY: as above.
        new Span<byte>(_publicKeys + (nint)index * EcdsaBatchRecovery.PublicKeyLength, EcdsaBatchRecovery.PublicKeyLength).Clear();
        _recovered[index] = false;
    }
}
