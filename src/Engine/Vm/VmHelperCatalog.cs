namespace NexusFast.Engine.Vm;

/// <summary>
/// The host functions a program may call, by id, with their names (the ELF loader resolves <c>extern</c> symbols by
/// name) and base gas prices. The verifier refuses a <c>call imm</c> whose id is not here, so an unknown helper is
/// found at deployment, and it copies the price into the decoded call, so the interpreter never looks it up.
/// Build one at start-up and share it; it is not meant to change while programs are being loaded.
/// </summary>
public sealed class VmHelperCatalog
{
    private readonly Dictionary<uint, Entry> _byId = [];
    private readonly Dictionary<string, uint> _byName = new(StringComparer.Ordinal);

    public int Count => _byId.Count;

    /// <summary>Adds a helper; ids and names must both be new, and the price must be non-negative and below 2^31.</summary>
    public VmHelperCatalog Add(uint id, string name, int gasPrice)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(gasPrice);
        if (_byId.ContainsKey(id)) throw new ArgumentException($"helper id {id} is already defined", nameof(id));
        if (_byName.ContainsKey(name)) throw new ArgumentException($"helper '{name}' is already defined", nameof(name));
        _byId.Add(id, new Entry(name, gasPrice));
        _byName.Add(name, id);
        return this;
    }

    public bool TryGetGasPrice(uint id, out int gasPrice)
    {
        bool found = _byId.TryGetValue(id, out Entry entry);
        gasPrice = entry.GasPrice;
        return found;
    }

    public bool TryGetId(string name, out uint id) => _byName.TryGetValue(name, out id);

    public bool TryGetName(uint id, [NotNullWhen(true)] out string? name)
    {
        bool found = _byId.TryGetValue(id, out Entry entry);
        name = entry.Name;
        return found;
    }

    private readonly record struct Entry(string Name, int GasPrice);
}
