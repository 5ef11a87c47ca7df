using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Engine.Chain;

/// <summary>Registered ML-DSA keys from the committed state (<see cref="MlDsaKeyRegistry"/>), for sender recovery.</summary>
internal sealed class StateMlDsaKeySource : IMlDsaKeySource
{
    private readonly Func<Address, Hash256, Hash256> _getStorage;

    public StateMlDsaKeySource(StateStore state)
    {
        ArgumentNullException.ThrowIfNull(state);
        // StateStore reads are safe from any thread (admission and import both resolve keys).
        _getStorage = (address, slot) => state.GetStorage(address, slot);
    }

    public bool TryGetPublicKey(in Hash256 keyHash, Span<byte> publicKey) => MlDsaKeyRegistry.TryRead(_getStorage, keyHash, publicKey);
}
