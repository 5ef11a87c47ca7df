namespace NexusFast.Engine.Vm;

/// <summary>How a run ended. Only <see cref="Returned"/> and <see cref="Stopped"/> are successes.</summary>
public enum VmExitKind : byte
{
    /// <summary>The entry function executed <c>exit</c>; r0 is the result.</summary>
    Returned,
    /// <summary>A host function ended the run successfully (for example a "return data" helper).</summary>
    Stopped,
    /// <summary>A host function ended the run with a revert: state changes are to be rolled back, gas is still paid.</summary>
    Reverted,
    /// <summary>The gas ran out before the block (or host function) at <see cref="VmResult.InstructionIndex"/> could be paid.</summary>
    OutOfGas,
    /// <summary>A load or store touched <see cref="VmResult.FaultAddress"/>, which is not mapped for that access.</summary>
    MemoryFault,
    /// <summary>A local call would have gone deeper than <see cref="VmLimits.MaxCallDepth"/> frames.</summary>
    CallDepthExceeded,
    /// <summary>A host function refused its arguments (a bad pointer sets <see cref="VmResult.FaultAddress"/>).</summary>
    HelperFault,
}
