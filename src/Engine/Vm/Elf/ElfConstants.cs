namespace NexusFast.Engine.Vm.Elf;

/// <summary>
/// The numbers of the ELF format that the loader reads (System V gABI, "ELF-64 Object File Format" 1.5) and of the BPF
/// processor supplement (Linux Documentation/bpf/llvm_reloc.rst). Only what a relocatable object from
/// <c>clang -target bpf -O2 -c</c> uses is named here.
/// </summary>
internal static class ElfConstants
{
    public const int HeaderSize = 64;
    public const int SectionHeaderSize = 64;
    public const int SymbolSize = 24;
    public const int RelocationSize = 16;
    public const int InstructionSize = 8;

    public const byte ClassElf64 = 2;
    public const byte DataLittleEndian = 1;
    public const byte VersionCurrent = 1;
    public const ushort TypeRelocatable = 1;
    public const ushort MachineBpf = 247;

    public const ushort SectionIndexUndefined = 0;
    public const ushort SectionIndexReserveLow = 0xff00;
    public const ushort SectionIndexAbsolute = 0xfff1;
    public const ushort SectionIndexCommon = 0xfff2;
    public const ushort SectionIndexExtended = 0xffff;

    public const uint SectionNull = 0;
    public const uint SectionProgBits = 1;
    public const uint SectionSymbolTable = 2;
    public const uint SectionStringTable = 3;
    public const uint SectionRela = 4;
    public const uint SectionNoBits = 8;
    public const uint SectionRel = 9;

    public const ulong FlagWrite = 0x1;
    public const ulong FlagAlloc = 0x2;
    public const ulong FlagExecute = 0x4;
    public const ulong FlagTls = 0x400;

    public const byte SymbolTypeFunction = 2;
    public const byte SymbolTypeSection = 3;
    public const byte SymbolBindLocal = 0;

    /// <summary>No relocation: ignored.</summary>
    public const uint RelocationNone = 0;

    /// <summary><c>lddw</c>: the 64-bit immediate becomes S + A, A being the 32-bit immediate of the first slot.</summary>
    public const uint RelocationBpf64_64 = 1;

    /// <summary>64-bit data word (a pointer in .data or .rodata): S + A, A being the word in place.</summary>
    public const uint RelocationBpfAbs64 = 2;

    /// <summary>32-bit data word; only debug sections use it.</summary>
    public const uint RelocationBpfAbs32 = 3;

    /// <summary>32-bit data word in .BTF and .BTF.ext.</summary>
    public const uint RelocationBpfNoDyld32 = 4;

    /// <summary><c>call</c>: the immediate holds <c>(S + A) / 8 - 1</c> for a function in the object, or -1 for an extern.</summary>
    public const uint RelocationBpf64_32 = 10;

    public const byte OpcodeLoadDoubleWord = 0x18;
    public const byte OpcodeCall = 0x85;

    /// <summary>The call's source-register field: 0 calls a helper (host function) by id, 1 a local function by offset.</summary>
    public const byte CallSourceHelper = 0;
    public const byte CallSourceLocal = 1;
}
