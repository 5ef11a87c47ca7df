namespace NexusFast.Engine.Vm.Elf;

/// <summary>One section header, its fields already checked against the file (see <see cref="ElfFile"/>).</summary>
internal readonly record struct ElfSection(
    int Index,
    string Name,
    uint Type,
    ulong Flags,
    int Offset,
    int Size,
    int Link,
    uint Info,
    int Alignment,
    ulong EntrySize)
{
    /// <summary>True when the section has bytes in the file (NOBITS and NULL sections have none).</summary>
    public bool HasFileBytes => Type != ElfConstants.SectionNoBits && Type != ElfConstants.SectionNull;

    public bool IsAllocated => (Flags & ElfConstants.FlagAlloc) != 0;

    public bool IsExecutable => (Flags & ElfConstants.FlagExecute) != 0;

    public bool IsWritable => (Flags & ElfConstants.FlagWrite) != 0;

    public string Describe() => $"section {Index} '{Name}'";
}
