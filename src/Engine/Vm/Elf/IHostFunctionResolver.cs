namespace NexusFast.Engine.Vm.Elf;

/// <summary>
/// Turns the name of an <c>extern</c> function the object calls into the helper id the VM dispatches on
/// (<c>call imm</c> with source 0). The loader rejects a name the resolver does not know.
/// </summary>
public interface IHostFunctionResolver
{
    bool TryResolve(string name, out int id);
}
