using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Execution;

/// <summary>The block-level inputs of execution, fixed before the first transaction runs.</summary>
public readonly record struct BlockContext(ulong Number, ulong Timestamp, Address Proposer, UInt256 BaseFee, ulong GasLimit);
