namespace NexusFast.Engine.Vm;

/// <summary>
/// The host functions a program reaches with <c>call imm</c> (the chain layer implements storage, logs, calls...).
/// <para>
/// The interpreter has already charged the helper's base price from <see cref="VmHelperCatalog"/> when
/// <see cref="Invoke"/> runs. The helper reads its arguments from <c>machine.Registers[1..5]</c>, reaches program memory
/// through <see cref="VmMachine.TryRead"/> / <see cref="VmMachine.TryWrite"/> (spans over the VM's own buffers, so a
/// call allocates nothing), charges size-dependent gas with <see cref="VmMachine.TryChargeGas"/>, writes its result to
/// <c>machine.Registers[0]</c> and returns what should happen next.
/// </para>
/// Implement it on a struct (or a sealed class) and pass it to <see cref="VmMachine.Run{THost}"/> by reference: the
/// interpreter is generic over the host type, so the call is direct rather than through an interface.
/// </summary>
public interface IVmHost
{
    VmHelperOutcome Invoke(uint helperId, VmMachine machine);
}
