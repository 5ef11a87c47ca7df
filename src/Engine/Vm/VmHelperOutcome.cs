namespace NexusFast.Engine.Vm;

/// <summary>What a host function tells the interpreter to do next.</summary>
public enum VmHelperOutcome : byte
{
    /// <summary>Go on with the next instruction; the helper put its result in r0.</summary>
    Continue,
    /// <summary>End the run successfully (r0 is kept as the return value).</summary>
    Stop,
    /// <summary>End the run as reverted.</summary>
    Revert,
    /// <summary>The helper could not pay for its work (see <see cref="VmMachine.TryChargeGas"/>).</summary>
    OutOfGas,
    /// <summary>The helper's arguments were invalid; a failed memory translation has recorded the address.</summary>
    Fault,
}
