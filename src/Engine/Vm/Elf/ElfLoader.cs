namespace NexusFast.Engine.Vm.Elf;

/// <summary>
/// Loads a relocatable BPF object as <c>clang -target bpf -O2 -c</c> writes it (ELF64, little-endian, EM_BPF,
/// ET_REL) into an <see cref="ElfProgram"/>. Linking is deliberately skipped: clang 14's lld mangles <c>lddw</c>, and
/// a single object needs no linker beyond the relocations done here.
/// </summary>
/// <remarks>
/// Every size and offset comes from the file and is checked before use; anything the loader cannot load exactly is
/// rejected with an <see cref="ElfLoadException"/> that names the section, relocation or symbol. Allocations are bounded
/// by the file size and <see cref="ElfLoadLimits"/>. No other exception escapes for any input.
/// </remarks>
public static class ElfLoader
{
    public static ElfProgram Load(ReadOnlySpan<byte> file, IHostFunctionResolver resolver, ElfLoadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        limits ??= ElfLoadLimits.Default;

        ElfFile elf = ElfFile.Parse(file, limits);
        ElfSymbolTable symbols = ElfSymbolTable.Read(elf);
        ElfLayout layout = ElfLayout.Plan(elf, limits);

        byte[] code = new byte[layout.CodeSize];
        byte[] readOnlyData = new byte[layout.ReadOnlyDataSize];
        byte[] data = new byte[layout.DataSize];
        var codeSections = new List<ElfCodeSection>();
        foreach (ElfSection section in elf.Sections)
        {
            SectionRole role = layout.Roles[section.Index];
            int offset = layout.Offsets[section.Index];
            switch (role)
            {
                case SectionRole.Code:
                    elf.ContentOf(section).CopyTo(code.AsSpan(offset));
                    // An empty .text (clang leaves one under -ffunction-sections) contributes nothing worth listing.
                    if (section.Size > 0)
                    {
                        codeSections.Add(new ElfCodeSection(section.Name, offset / ElfConstants.InstructionSize, section.Size / ElfConstants.InstructionSize));
                    }
                    break;
                case SectionRole.ReadOnlyData:
                    elf.ContentOf(section).CopyTo(readOnlyData.AsSpan(offset));
                    break;
                case SectionRole.Data:
                    elf.ContentOf(section).CopyTo(data.AsSpan(offset));
                    break;
            }
        }

        new ElfRelocator(elf, layout, symbols, resolver).Apply(code, readOnlyData, data);
        ElfFunction[] functions = CollectFunctions(elf, layout, symbols);
        return new ElfProgram(code, readOnlyData, data, layout.BssSize, functions, [.. codeSections]);
    }

    /// <summary>Function symbols of executable sections, with their place in the concatenated instruction stream.</summary>
    private static ElfFunction[] CollectFunctions(ElfFile elf, ElfLayout layout, ElfSymbolTable symbols)
    {
        var functions = new List<ElfFunction>();
        foreach (ElfSymbol symbol in symbols.Symbols)
        {
            if (symbol.Type != ElfConstants.SymbolTypeFunction || !symbol.IsDefined) continue;
            string what = $"function symbol {symbol.Index}";
            if (symbol.SectionIndex >= elf.Sections.Length || layout.Roles[symbol.SectionIndex] != SectionRole.Code)
            {
                throw new ElfLoadException(ElfLoadError.BadSymbol, $"{what} is not in an executable section");
            }
            ElfSection section = elf.Sections[symbol.SectionIndex];
            ulong size = (ulong)section.Size;
            if (symbol.Value % ElfConstants.InstructionSize != 0 || symbol.Size % ElfConstants.InstructionSize != 0
                || symbol.Value >= size || symbol.Size > size - symbol.Value)
            {
                throw new ElfLoadException(ElfLoadError.BadSymbol,
                    $"{what}: {symbol.Size} bytes at offset {symbol.Value} are not whole instructions inside {section.Describe()} of {size} bytes");
            }
            string name = symbols.NameOf(symbol);
            int index = (layout.Offsets[section.Index] + (int)symbol.Value) / ElfConstants.InstructionSize;
            functions.Add(new ElfFunction(name, index, (int)(symbol.Size / ElfConstants.InstructionSize),
                symbol.Binding != ElfConstants.SymbolBindLocal, section.Name));
        }
        return [.. functions];
    }
}
