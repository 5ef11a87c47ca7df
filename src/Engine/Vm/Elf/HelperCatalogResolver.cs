namespace NexusFast.Engine.Vm.Elf;

/// <summary>
/// Resolves extern names through the VM's <see cref="VmHelperCatalog"/>, so that the loader and the verifier agree on
/// one table: a name the loader accepts gets an id the verifier then accepts.
/// </summary>
public sealed class HelperCatalogResolver(VmHelperCatalog catalog) : IHostFunctionResolver
{
    private readonly VmHelperCatalog _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));

    public bool TryResolve(string name, out int id)
    {
        // Ids above int.MaxValue cannot be written into a call's signed 32-bit immediate.
        if (_catalog.TryGetId(name, out uint helper) && helper <= int.MaxValue)
        {
            id = (int)helper;
            return true;
        }
        id = 0;
        return false;
    }
}
