using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>One EIP-2930 access-list entry: an address and the storage keys the transaction will touch.</summary>
public sealed record AccessListEntry(Address Address, Hash256[] StorageKeys)
{
    public static readonly AccessListEntry[] None = [];
}
