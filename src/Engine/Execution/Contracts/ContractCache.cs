using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Execution.Contracts;

/// <summary>
/// Verified programs by code hash, so that a contract is loaded and verified once, not on every call. Thread-safe
/// (block building and eth_call simulation share it). Bounded: when full, the whole cache is dropped and refills from
/// the code in state; loading is deterministic, so the cache changes speed, never results.
/// </summary>
public sealed class ContractCache(int capacity = 1024)
{
    private readonly Dictionary<Hash256, ContractProgram> _programs = new();
    private readonly Lock _gate = new();

    /// <summary>The one cache a process shares by default.</summary>
    public static ContractCache Shared { get; } = new();

    public int Count
    {
        get
        {
            lock (_gate) return _programs.Count;
        }
    }

    public bool TryGet(in Hash256 codeHash, [NotNullWhen(true)] out ContractProgram? program)
    {
        lock (_gate) return _programs.TryGetValue(codeHash, out program);
    }

    public void Add(in Hash256 codeHash, ContractProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        lock (_gate)
        {
            if (_programs.Count >= capacity) _programs.Clear();
            _programs[codeHash] = program;
        }
    }
}
