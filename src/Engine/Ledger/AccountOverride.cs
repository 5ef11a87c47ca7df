using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>
/// A development-chain edit of one account (anvil_setBalance, anvil_setNonce), carried by a block of its own so that
/// the block log stays the complete history: replay after a restart or a rewind applies it again and reaches the same
/// state root. Holds the account's resulting nonce and balance, not a delta, so replay needs no earlier state.
/// </summary>
public readonly record struct AccountOverride(Address Address, ulong Nonce, UInt256 Balance)
{
    public static readonly AccountOverride[] None = [];
}
