namespace NexusFast.Engine.Execution.Contracts;

/// <summary>How one contract frame (a transaction's call or creation, or a call between contracts) ended.</summary>
/// <param name="Success">False when it reverted or failed; its writes and logs are then undone.</param>
/// <param name="GasUsed">Gas the frame consumed: what it used when it returned or reverted, everything it was given
/// when it failed otherwise (out of gas, a memory fault, a verification failure), as an exceptional halt does in Ethereum.</param>
/// <param name="Failure">Why it failed, for errors reported to people (null on success or a plain revert).</param>
public readonly record struct ContractCallResult(bool Success, long GasUsed, string? Failure = null);
