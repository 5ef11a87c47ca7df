using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Ledger;

/// <summary>An event emitted by a contract: the emitting address, up to four topics and opaque data.</summary>
public sealed record LogEntry(Address Address, Hash256[] Topics, byte[] Data);
