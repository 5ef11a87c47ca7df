using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Network;

/// <summary>
/// Which network a node belongs to: the chain id (EIP-155) and the genesis block hash. Both go into the
/// handshake's hello and transcript, so nodes of different networks refuse each other before any message, and
/// two networks that reuse a chain id are still told apart by their genesis.
/// </summary>
public readonly record struct NetworkIdentity(ulong ChainId, Hash256 GenesisHash)
{
    public override string ToString() => $"chain {ChainId}, genesis {GenesisHash}";
}
