using System.Buffers.Binary;
using System.Text;

namespace NexusFast.Engine.Vm.Elf;

/// <summary>
/// The structure of an ELF64 little-endian relocatable BPF object: its header and section headers, each checked
/// against the file's bounds, with the sections that hold file bytes known not to overlap one another, the ELF header
/// or the section header table. It only reads; every offset and size it hands out lies inside the file.
/// </summary>
internal sealed class ElfFile
{
    /// <summary>Longest section or symbol name read; longer names are malformed for our purposes.</summary>
    public const int NameLengthMax = 256;

    private static ReadOnlySpan<byte> Magic => [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    public byte[] Bytes { get; }

    public ElfSection[] Sections { get; }

    private ElfFile(byte[] bytes, ElfSection[] sections)
    {
        Bytes = bytes;
        Sections = sections;
    }

    public ReadOnlySpan<byte> ContentOf(in ElfSection section) =>
        section.HasFileBytes ? Bytes.AsSpan(section.Offset, section.Size) : [];

    /// <summary>Reads a NUL-terminated name at <paramref name="offset"/> of the string table <paramref name="table"/>.</summary>
    public string ReadName(in ElfSection table, uint offset, string what)
    {
        ReadOnlySpan<byte> strings = ContentOf(table);
        if (offset >= (uint)strings.Length)
        {
            throw new ElfLoadException(ElfLoadError.BadStringTable,
                $"{what}: name offset {offset} is outside {table.Describe()} of {strings.Length} bytes");
        }
        ReadOnlySpan<byte> rest = strings[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
        {
            throw new ElfLoadException(ElfLoadError.BadStringTable, $"{what}: name at offset {offset} of {table.Describe()} has no terminating NUL");
        }
        if (end > NameLengthMax)
        {
            throw new ElfLoadException(ElfLoadError.BadStringTable, $"{what}: name at offset {offset} is {end} bytes, the limit is {NameLengthMax}");
        }
        return Encoding.UTF8.GetString(rest[..end]);
    }

    public static ElfFile Parse(ReadOnlySpan<byte> file, ElfLoadLimits limits)
    {
        if (file.Length > limits.FileSizeMax)
        {
            throw new ElfLoadException(ElfLoadError.LimitExceeded, $"file is {file.Length} bytes, the limit is {limits.FileSizeMax}");
        }
        if (file.Length < ElfConstants.HeaderSize || !file[..4].SequenceEqual(Magic))
        {
            throw new ElfLoadException(ElfLoadError.NotElf, $"not an ELF object: {file.Length} bytes without the 64-byte header that starts with \\x7fELF");
        }
        CheckIdentification(file);
        (ulong sectionTableOffset, int sectionCount, int namesIndex) = ReadHeader(file, limits);

        byte[] bytes = file.ToArray();
        var raw = new RawSection[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            raw[i] = ReadSectionHeader(bytes, i, (int)sectionTableOffset + i * ElfConstants.SectionHeaderSize, limits);
        }
        CheckNoOverlap(raw, (int)sectionTableOffset, sectionCount * ElfConstants.SectionHeaderSize);

        RawSection names = raw[namesIndex];
        if (names.Type != ElfConstants.SectionStringTable)
        {
            throw new ElfLoadException(ElfLoadError.BadStringTable, $"section-name table (section {namesIndex}) has type {names.Type}, not STRTAB");
        }
        var sections = new ElfSection[sectionCount];
        var elf = new ElfFile(bytes, sections);
        ElfSection namesSection = names.WithName(string.Empty);
        for (int i = 0; i < sectionCount; i++)
        {
            string name = i == 0 ? string.Empty : elf.ReadName(namesSection, raw[i].NameOffset, $"section {i}");
            sections[i] = raw[i].WithName(name);
        }
        return elf;
    }

    private static void CheckIdentification(ReadOnlySpan<byte> file)
    {
        if (file[4] != ElfConstants.ClassElf64)
        {
            throw new ElfLoadException(ElfLoadError.UnsupportedFormat, $"ELF class {file[4]}, want 2 (ELF64)");
        }
        if (file[5] != ElfConstants.DataLittleEndian)
        {
            throw new ElfLoadException(ElfLoadError.UnsupportedFormat, $"ELF data encoding {file[5]}, want 1 (little-endian)");
        }
        if (file[6] != ElfConstants.VersionCurrent)
        {
            throw new ElfLoadException(ElfLoadError.UnsupportedFormat, $"ELF identification version {file[6]}, want 1");
        }
    }

    private static (ulong SectionTableOffset, int SectionCount, int NamesIndex) ReadHeader(ReadOnlySpan<byte> file, ElfLoadLimits limits)
    {
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(file[16..]);
        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(file[18..]);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(file[20..]);
        ulong sectionTableOffset = BinaryPrimitives.ReadUInt64LittleEndian(file[40..]);
        ushort headerSize = BinaryPrimitives.ReadUInt16LittleEndian(file[52..]);
        ushort sectionHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(file[58..]);
        ushort sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(file[60..]);
        ushort namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(file[62..]);

        if (machine != ElfConstants.MachineBpf)
        {
            throw new ElfLoadException(ElfLoadError.WrongMachine, $"machine {machine}, want {ElfConstants.MachineBpf} (EM_BPF)");
        }
        if (type != ElfConstants.TypeRelocatable)
        {
            throw new ElfLoadException(ElfLoadError.NotRelocatable,
                $"object type {type}, want 1 (ET_REL, the output of clang -c; linked BPF executables are not loaded)");
        }
        if (version != ElfConstants.VersionCurrent)
        {
            throw new ElfLoadException(ElfLoadError.BadHeader, $"ELF version {version}, want 1");
        }
        if (headerSize != ElfConstants.HeaderSize || sectionHeaderSize != ElfConstants.SectionHeaderSize)
        {
            throw new ElfLoadException(ElfLoadError.BadHeader,
                $"header size {headerSize} and section header size {sectionHeaderSize}, want 64 and 64");
        }
        if (sectionCount == 0)
        {
            // Zero also marks extended numbering (the count in section 0's sh_size), which clang never needs.
            throw new ElfLoadException(ElfLoadError.BadHeader, "no section headers (or extended section numbering, which is not supported)");
        }
        if (sectionCount > limits.SectionCountMax)
        {
            throw new ElfLoadException(ElfLoadError.LimitExceeded, $"{sectionCount} sections, the limit is {limits.SectionCountMax}");
        }
        if (namesIndex >= sectionCount)
        {
            throw new ElfLoadException(ElfLoadError.BadHeader, $"section-name table index {namesIndex} is not below the section count {sectionCount}");
        }
        ulong tableSize = (ulong)sectionCount * ElfConstants.SectionHeaderSize;
        if (sectionTableOffset < ElfConstants.HeaderSize || sectionTableOffset > (ulong)file.Length || tableSize > (ulong)file.Length - sectionTableOffset)
        {
            throw new ElfLoadException(ElfLoadError.BadHeader,
                $"section header table at offset {sectionTableOffset} with {sectionCount} entries does not fit in the file of {file.Length} bytes");
        }
        return (sectionTableOffset, sectionCount, namesIndex);
    }

    private static RawSection ReadSectionHeader(byte[] bytes, int index, int at, ElfLoadLimits limits)
    {
        ReadOnlySpan<byte> header = bytes.AsSpan(at, ElfConstants.SectionHeaderSize);
        uint nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(header);
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        ulong flags = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
        ulong size = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        uint link = BinaryPrimitives.ReadUInt32LittleEndian(header[40..]);
        uint info = BinaryPrimitives.ReadUInt32LittleEndian(header[44..]);
        ulong alignment = BinaryPrimitives.ReadUInt64LittleEndian(header[48..]);
        ulong entrySize = BinaryPrimitives.ReadUInt64LittleEndian(header[56..]);

        if (alignment > (ulong)limits.SectionAlignmentMax || (alignment & (alignment - 1)) != 0)
        {
            throw new ElfLoadException(ElfLoadError.BadSectionHeader,
                $"section {index}: alignment {alignment} is not a power of two up to {limits.SectionAlignmentMax}");
        }
        bool hasFileBytes = type != ElfConstants.SectionNoBits && type != ElfConstants.SectionNull;
        if (hasFileBytes && (offset > (ulong)bytes.Length || size > (ulong)bytes.Length - offset))
        {
            throw new ElfLoadException(ElfLoadError.SectionOutOfFile,
                $"section {index}: {size} bytes at offset {offset} run past the end of the file ({bytes.Length} bytes)");
        }
        if (!hasFileBytes && size > int.MaxValue)
        {
            // NOBITS sizes are checked against the data limits at layout; this only keeps them representable.
            throw new ElfLoadException(ElfLoadError.LimitExceeded, $"section {index}: size {size} is too large");
        }
        if (link >= (uint)ushort.MaxValue)
        {
            throw new ElfLoadException(ElfLoadError.BadSectionHeader, $"section {index}: link {link} is not a section index");
        }
        return new RawSection(index, nameOffset, type, flags, hasFileBytes ? (int)offset : 0, (int)size, (int)link, info,
            (int)Math.Max(alignment, 1), entrySize);
    }

    /// <summary>Sections with file bytes must not share a byte with each other, the ELF header or the section table.</summary>
    private static void CheckNoOverlap(RawSection[] raw, int tableOffset, int tableSize)
    {
        var spans = new List<(int Start, int End, string What)>(raw.Length + 2)
        {
            (0, ElfConstants.HeaderSize, "the ELF header"),
            (tableOffset, tableOffset + tableSize, "the section header table"),
        };
        foreach (RawSection section in raw)
        {
            if (section.Type != ElfConstants.SectionNoBits && section.Type != ElfConstants.SectionNull && section.Size > 0)
            {
                spans.Add((section.Offset, section.Offset + section.Size, $"section {section.Index}"));
            }
        }
        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.End.CompareTo(b.End));
        for (int i = 1; i < spans.Count; i++)
        {
            if (spans[i].Start < spans[i - 1].End)
            {
                throw new ElfLoadException(ElfLoadError.SectionsOverlap,
                    $"{spans[i - 1].What} (bytes {spans[i - 1].Start}..{spans[i - 1].End}) overlaps {spans[i].What} (bytes {spans[i].Start}..{spans[i].End})");
            }
        }
    }

    private readonly record struct RawSection(
        int Index, uint NameOffset, uint Type, ulong Flags, int Offset, int Size, int Link, uint Info, int Alignment, ulong EntrySize)
    {
        public ElfSection WithName(string name) =>
            new(Index, name, Type, Flags, Offset, Size, Link, Info, Alignment, EntrySize);
    }
}
