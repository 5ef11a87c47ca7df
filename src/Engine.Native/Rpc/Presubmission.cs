using NexusFast.Engine.Ledger;

namespace NexusFast.Native.Rpc;

/// <summary>A raw transaction submitted as part of a batch (one sender recovery for all of them).</summary>
internal readonly record struct Presubmission(TxError Error, Transaction Transaction, string Detail);
