namespace NexusFast.Engine.Vm.Elf;

/// <summary>Where a section's bytes go when the object is loaded.</summary>
internal enum SectionRole : byte
{
    /// <summary>Not loaded: debug info, BTF, string and symbol tables, relocation sections, address-significance tables.</summary>
    Ignored,
    Code,
    ReadOnlyData,
    Data,
    Bss,
}

/// <summary>
/// Decides the role of every section and its place: executable sections one after another in section-header order
/// (so local calls inside a section keep their relative offsets), .rodata* in the read-only region, .data and then
/// .bss in the writable region, each at its alignment. Sizes are summed and checked against the limits here, before
/// any image is allocated.
/// </summary>
internal sealed class ElfLayout
{
    public SectionRole[] Roles { get; }

    /// <summary>Byte offset of each loaded section inside its region (for code: inside the instruction stream).</summary>
    public int[] Offsets { get; }

    public int CodeSize { get; }

    public int ReadOnlyDataSize { get; }

    /// <summary>Size of the .data image, padded so that .bss starts at its end.</summary>
    public int DataSize { get; }

    public int BssSize { get; }

    private ElfLayout(SectionRole[] roles, int[] offsets, int codeSize, int readOnlyDataSize, int dataSize, int bssSize)
    {
        Roles = roles;
        Offsets = offsets;
        CodeSize = codeSize;
        ReadOnlyDataSize = readOnlyDataSize;
        DataSize = dataSize;
        BssSize = bssSize;
    }

    /// <summary>The VM address of byte <paramref name="offset"/> of a loaded data section.</summary>
    public ulong AddressOf(int sectionIndex, ulong offset) => Roles[sectionIndex] switch
    {
        SectionRole.ReadOnlyData => VmMemoryMap.ReadOnlyData + (ulong)Offsets[sectionIndex] + offset,
        SectionRole.Data => VmMemoryMap.Data + (ulong)Offsets[sectionIndex] + offset,
        SectionRole.Bss => VmMemoryMap.Data + (ulong)(DataSize + Offsets[sectionIndex]) + offset,
        _ => throw new InvalidOperationException($"section {sectionIndex} has no data address"),
    };

    public static ElfLayout Plan(ElfFile file, ElfLoadLimits limits)
    {
        ElfSection[] sections = file.Sections;
        var roles = new SectionRole[sections.Length];
        var offsets = new int[sections.Length];
        long code = 0, readOnly = 0, data = 0, bss = 0;
        int bssAlignment = 1;

        foreach (ElfSection section in sections)
        {
            SectionRole role = Classify(section);
            roles[section.Index] = role;
            switch (role)
            {
                case SectionRole.Code:
                    offsets[section.Index] = (int)code;
                    code += section.Size;
                    if (code / ElfConstants.InstructionSize > limits.InstructionCountMax)
                    {
                        throw new ElfLoadException(ElfLoadError.LimitExceeded,
                            $"more than {limits.InstructionCountMax} instructions (at {section.Describe()})");
                    }
                    break;
                case SectionRole.ReadOnlyData:
                    readOnly = Place(section, readOnly, offsets, limits.ReadOnlyDataSizeMax, "read-only data");
                    break;
                case SectionRole.Data:
                    data = Place(section, data, offsets, limits.WritableDataSizeMax, "writable data");
                    break;
                case SectionRole.Bss:
                    bss = Place(section, bss, offsets, limits.WritableDataSizeMax, "writable data");
                    bssAlignment = Math.Max(bssAlignment, section.Alignment);
                    break;
            }
        }
        if (code == 0)
        {
            throw new ElfLoadException(ElfLoadError.NoCode, "the object has no executable section with instructions");
        }

        // .bss follows .data at the strictest .bss alignment, so every .bss offset planned from 0 stays aligned.
        long dataPadded = AlignUp(data, bssAlignment);
        if (dataPadded + bss > limits.WritableDataSizeMax)
        {
            throw new ElfLoadException(ElfLoadError.LimitExceeded,
                $".data ({data} bytes) and .bss ({bss} bytes) exceed the writable data limit of {limits.WritableDataSizeMax} bytes");
        }
        return new ElfLayout(roles, offsets, (int)code, (int)readOnly, (int)dataPadded, (int)bss);
    }

    private static SectionRole Classify(in ElfSection section)
    {
        if (!section.IsAllocated) return SectionRole.Ignored;
        if ((section.Flags & ElfConstants.FlagTls) != 0)
        {
            throw new ElfLoadException(ElfLoadError.UnsupportedSection, $"{section.Describe()} is thread-local storage, which the VM does not have");
        }
        if (section.IsExecutable)
        {
            if (section.Type != ElfConstants.SectionProgBits)
            {
                throw new ElfLoadException(ElfLoadError.UnsupportedSection, $"{section.Describe()} is executable but of type {section.Type}, not PROGBITS");
            }
            if (section.Size % ElfConstants.InstructionSize != 0)
            {
                throw new ElfLoadException(ElfLoadError.BadSectionHeader,
                    $"{section.Describe()} is executable but its size {section.Size} is not a multiple of 8 bytes");
            }
            return SectionRole.Code;
        }
        return section.Type switch
        {
            ElfConstants.SectionProgBits => section.IsWritable ? SectionRole.Data : SectionRole.ReadOnlyData,
            ElfConstants.SectionNoBits when section.IsWritable => SectionRole.Bss,
            _ => throw new ElfLoadException(ElfLoadError.UnsupportedSection,
                $"{section.Describe()} of type {section.Type} with flags 0x{section.Flags:x} cannot be loaded"),
        };
    }

    private static long Place(in ElfSection section, long cursor, int[] offsets, int limit, string what)
    {
        long start = AlignUp(cursor, section.Alignment);
        long end = start + section.Size;
        if (end > limit)
        {
            throw new ElfLoadException(ElfLoadError.LimitExceeded, $"{what} exceeds the limit of {limit} bytes at {section.Describe()}");
        }
        offsets[section.Index] = (int)start;
        return end;
    }

    private static long AlignUp(long value, int alignment) => (value + alignment - 1) & ~(long)(alignment - 1);
}
