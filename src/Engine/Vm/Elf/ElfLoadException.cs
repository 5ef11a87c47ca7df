namespace NexusFast.Engine.Vm.Elf;

/// <summary>What is wrong with an object file; the message of <see cref="ElfLoadException"/> says where.</summary>
public enum ElfLoadError
{
    /// <summary>Larger than <see cref="ElfLoadLimits.FileSizeMax"/> or one of the other limits.</summary>
    LimitExceeded,
    NotElf,
    UnsupportedFormat,
    WrongMachine,
    NotRelocatable,
    BadHeader,
    BadSectionHeader,
    SectionOutOfFile,
    SectionsOverlap,
    UnsupportedSection,
    BadStringTable,
    BadSymbolTable,
    BadSymbol,
    BadRelocationSection,
    UnknownRelocationType,
    RelocationOutOfRange,
    BadRelocationSite,
    BadRelocationTarget,
    UndefinedSymbol,
    UnknownHostFunction,
    NoCode,
}

/// <summary>
/// The object file cannot be loaded. Thrown only by <see cref="ElfLoader"/>, before anything it returns exists, so a
/// rejected file changes nothing.
/// </summary>
public sealed class ElfLoadException(ElfLoadError error, string message) : Exception(message)
{
    public ElfLoadError Error { get; } = error;
}
