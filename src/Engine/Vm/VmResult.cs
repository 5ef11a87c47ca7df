namespace NexusFast.Engine.Vm;

/// <summary>
/// The outcome of <see cref="VmMachine.Run{THost}"/>. For a fault or out-of-gas, <see cref="InstructionIndex"/> is the
/// instruction slot (as in the program's code) where the run stopped; it is -1 when the run ended normally.
/// </summary>
public readonly record struct VmResult(
    VmExitKind Kind,
    ulong ReturnValue,
    long GasUsed,
    int InstructionIndex,
    ulong FaultAddress)
{
    public bool Succeeded => Kind is VmExitKind.Returned or VmExitKind.Stopped;
}
