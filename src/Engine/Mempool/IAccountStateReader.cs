using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Mempool;

/// <summary>The committed nonce and balance of an account, as the pool needs them for admission.</summary>
public readonly record struct SenderAccount(ulong Nonce, UInt256 Balance);

/// <summary>Reads accounts from the latest committed state (never from a block being built).</summary>
public interface IAccountStateReader
{
    SenderAccount GetSenderAccount(Address address);
}
