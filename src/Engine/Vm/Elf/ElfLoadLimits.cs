namespace NexusFast.Engine.Vm.Elf;

/// <summary>
/// Upper bounds the loader checks before it allocates anything whose size comes from the file, so that a hostile
/// object cannot make the node allocate or loop more than these. Every bound is in bytes or items, as its name says.
/// </summary>
public sealed record ElfLoadLimits
{
    /// <summary>Limits for contracts on the chain: a contract object of up to 1 MiB, 64 Ki instructions.</summary>
    public static ElfLoadLimits Default { get; } = new();

    public int FileSizeMax { get; init; } = 1 << 20;

    public int SectionCountMax { get; init; } = 1024;

    public int InstructionCountMax { get; init; } = 1 << 16;

    public int ReadOnlyDataSizeMax { get; init; } = 256 << 10;

    /// <summary>.data and .bss together, alignment padding included.</summary>
    public int WritableDataSizeMax { get; init; } = 256 << 10;

    /// <summary>Largest section alignment accepted; a larger one would only add padding a contract never needs.</summary>
    public int SectionAlignmentMax { get; init; } = 4096;
}
