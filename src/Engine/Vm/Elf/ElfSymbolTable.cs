using System.Buffers.Binary;

namespace NexusFast.Engine.Vm.Elf;

/// <summary>One entry of .symtab, as stored; names are read on demand.</summary>
internal readonly record struct ElfSymbol(int Index, uint NameOffset, byte Info, ushort SectionIndex, ulong Value, ulong Size)
{
    public byte Type => (byte)(Info & 0xf);

    public byte Binding => (byte)(Info >> 4);

    public bool IsDefined => SectionIndex != ElfConstants.SectionIndexUndefined;
}

/// <summary>
/// The object's single symbol table and its string table. Symbols that name a section are checked to name an existing
/// one; the values are checked later against the section they belong to, where their unit (bytes) matters.
/// </summary>
internal sealed class ElfSymbolTable
{
    private readonly ElfFile _file;
    private readonly ElfSection _strings;

    public ElfSection Section { get; }

    public ElfSymbol[] Symbols { get; }

    private ElfSymbolTable(ElfFile file, ElfSection section, ElfSection strings, ElfSymbol[] symbols)
    {
        _file = file;
        Section = section;
        _strings = strings;
        Symbols = symbols;
    }

    public string NameOf(in ElfSymbol symbol) =>
        _file.ReadName(_strings, symbol.NameOffset, $"symbol {symbol.Index}");

    public bool TryGet(uint index, out ElfSymbol symbol)
    {
        bool found = index < (uint)Symbols.Length;
        symbol = found ? Symbols[index] : default;
        return found;
    }

    /// <summary>Reads the one SHT_SYMTAB section; an object without one gets an empty table.</summary>
    public static ElfSymbolTable Read(ElfFile file)
    {
        ElfSection? found = null;
        foreach (ElfSection section in file.Sections)
        {
            if (section.Type != ElfConstants.SectionSymbolTable) continue;
            if (found is not null)
            {
                throw new ElfLoadException(ElfLoadError.BadSymbolTable, $"two symbol tables: {found.Value.Describe()} and {section.Describe()}");
            }
            found = section;
        }
        if (found is not { } table) return new ElfSymbolTable(file, default, default, []);

        if (table.EntrySize != ElfConstants.SymbolSize || table.Size % ElfConstants.SymbolSize != 0)
        {
            throw new ElfLoadException(ElfLoadError.BadSymbolTable,
                $"{table.Describe()}: entry size {table.EntrySize} and size {table.Size}, want entries of {ElfConstants.SymbolSize} bytes");
        }
        if (table.Link <= 0 || table.Link >= file.Sections.Length || file.Sections[table.Link].Type != ElfConstants.SectionStringTable)
        {
            throw new ElfLoadException(ElfLoadError.BadSymbolTable, $"{table.Describe()}: link {table.Link} is not a string table");
        }

        ReadOnlySpan<byte> content = file.ContentOf(table);
        var symbols = new ElfSymbol[content.Length / ElfConstants.SymbolSize];
        for (int i = 0; i < symbols.Length; i++)
        {
            ReadOnlySpan<byte> entry = content.Slice(i * ElfConstants.SymbolSize, ElfConstants.SymbolSize);
            var symbol = new ElfSymbol(
                i,
                BinaryPrimitives.ReadUInt32LittleEndian(entry),
                entry[4],
                BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]));
            CheckSectionIndex(symbol, file.Sections.Length);
            symbols[i] = symbol;
        }
        return new ElfSymbolTable(file, table, file.Sections[table.Link], symbols);
    }

    private static void CheckSectionIndex(in ElfSymbol symbol, int sectionCount)
    {
        ushort index = symbol.SectionIndex;
        if (index == ElfConstants.SectionIndexUndefined || index == ElfConstants.SectionIndexAbsolute) return;
        if (index == ElfConstants.SectionIndexCommon)
        {
            // Tentative definitions ("int x;" under -fcommon) have no section yet; a linker would place them.
            throw new ElfLoadException(ElfLoadError.BadSymbol, $"symbol {symbol.Index} is a COMMON symbol; compile with -fno-common (clang's default)");
        }
        if (index >= sectionCount)
        {
            throw new ElfLoadException(ElfLoadError.BadSymbol, $"symbol {symbol.Index} names section {index}, which does not exist");
        }
    }
}
