namespace NexusFast.Engine.Vm.Elf;

/// <summary>A function symbol of the object: where its first instruction landed in <see cref="ElfProgram.Code"/>.</summary>
/// <param name="InstructionCount">The symbol's size in instructions (0 when the compiler recorded none).</param>
/// <param name="IsGlobal">False for <c>static</c> functions, which callers outside the object cannot name.</param>
public readonly record struct ElfFunction(string Name, int InstructionIndex, int InstructionCount, bool IsGlobal, string SectionName);

/// <summary>An executable section (.text or an entry section) and the instructions it contributed.</summary>
public readonly record struct ElfCodeSection(string Name, int FirstInstruction, int InstructionCount);

/// <summary>
/// A loaded object, ready for the verifier: the executable sections concatenated into one instruction stream with
/// every relocation applied, and the data images the VM maps at <see cref="VmMemoryMap.ReadOnlyData"/> and
/// <see cref="VmMemoryMap.Data"/>. Pointers inside the images and in <c>lddw</c> immediates are absolute VM addresses.
/// </summary>
public sealed class ElfProgram
{
    private readonly ElfFunction[] _functions;
    private readonly ElfCodeSection[] _codeSections;

    internal ElfProgram(byte[] code, byte[] readOnlyData, byte[] writableData, int bssSize, ElfFunction[] functions, ElfCodeSection[] codeSections)
    {
        Code = code;
        ReadOnlyData = readOnlyData;
        WritableData = writableData;
        BssSize = bssSize;
        _functions = functions;
        _codeSections = codeSections;
    }

    /// <summary>The relocated instructions, 8 bytes each, in RFC 9669 encoding (lddw takes two slots).</summary>
    public ReadOnlyMemory<byte> Code { get; }

    public int InstructionCount => Code.Length / ElfConstants.InstructionSize;

    /// <summary>The .rodata* sections, each at its alignment, mapped read-only at <see cref="VmMemoryMap.ReadOnlyData"/>.</summary>
    public ReadOnlyMemory<byte> ReadOnlyData { get; }

    /// <summary>
    /// The initial .data sections, mapped writable at <see cref="VmMemoryMap.Data"/>. The image is padded to the
    /// alignment of .bss, so .bss starts right after it.
    /// </summary>
    public ReadOnlyMemory<byte> WritableData { get; }

    /// <summary>Zeroed bytes after <see cref="WritableData"/> in the same region (.bss).</summary>
    public int BssSize { get; }

    /// <summary>Size of the writable region: the .data image followed by .bss.</summary>
    public int WritableRegionSize => WritableData.Length + BssSize;

    /// <summary>Every function symbol, in symbol-table order.</summary>
    public IReadOnlyList<ElfFunction> Functions => _functions;

    /// <summary>The executable sections in the order they were concatenated.</summary>
    public IReadOnlyList<ElfCodeSection> CodeSections => _codeSections;

    /// <summary>
    /// Verifies the code with <paramref name="entryFunction"/> as the entry point and builds the VM's program. Throws
    /// <see cref="ElfLoadException"/> when there is no such function, <see cref="VmVerificationException"/> when the
    /// verifier refuses the code. <paramref name="helpers"/> must be the catalog the object was loaded against.
    /// </summary>
    public VmProgram CreateVmProgram(string entryFunction, VmHelperCatalog helpers)
    {
        if (!TryGetFunction(entryFunction, out ElfFunction entry))
        {
            throw new ElfLoadException(ElfLoadError.UndefinedSymbol, $"the object defines no function '{entryFunction}'");
        }
        return VmProgram.Load(Code.Span, ReadOnlyData.Span, WritableData.Span, BssSize, entry.InstructionIndex, helpers);
    }

    /// <summary>Finds a function by name, a global one before a static one of the same name.</summary>
    public bool TryGetFunction(string name, out ElfFunction function)
    {
        bool found = false;
        function = default;
        foreach (ElfFunction candidate in _functions)
        {
            if (candidate.Name != name) continue;
            if (candidate.IsGlobal)
            {
                function = candidate;
                return true;
            }
            if (!found)
            {
                function = candidate;
                found = true;
            }
        }
        return found;
    }
}
