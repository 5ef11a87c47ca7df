using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Tests.Vm.Elf;

/// <summary>
/// One field of a real clang object corrupted at a time: each must be rejected with the matching
/// <see cref="ElfLoadError"/> and a message that says where.
/// </summary>
public sealed class ElfMalformedTests
{
    private static ElfObjectEditor Layout() => new(File.ReadAllBytes(CCompiler.CompileBpf(ElfLoaderTests.LayoutSource)));

    private static ElfLoadException Rejects(ElfObjectEditor editor, ElfLoadError error, ElfLoadLimits? limits = null) =>
        Rejects(editor.Bytes, error, limits);

    private static ElfLoadException Rejects(byte[] bytes, ElfLoadError error, ElfLoadLimits? limits = null)
    {
        ElfLoadException e = Assert.Throws<ElfLoadException>(() => ElfLoader.Load(bytes, ElfLoaderTests.TestHosts, limits));
        Assert.True(error == e.Error, $"expected {error}, got {e.Error}: {e.Message}");
        return e;
    }

    [Fact]
    public void Files_that_are_not_elf_objects_are_rejected()
    {
        Rejects([], ElfLoadError.NotElf);
        Rejects(new byte[63], ElfLoadError.NotElf);
        Rejects("#!/bin/sh\necho this is not an object file, but it is long enough for a header....\n"u8.ToArray(), ElfLoadError.NotElf);
    }

    [ClangFact]
    public void Wrong_class_encoding_version_machine_or_type_are_rejected()
    {
        ElfObjectEditor e = Layout();
        e.Bytes[4] = 1;
        Assert.Contains("ELF64", Rejects(e, ElfLoadError.UnsupportedFormat).Message);

        e = Layout();
        e.Bytes[5] = 2;
        Assert.Contains("little-endian", Rejects(e, ElfLoadError.UnsupportedFormat).Message);

        e = Layout();
        e.WriteUInt16(18, 62); // EM_X86_64
        Assert.Contains("machine 62", Rejects(e, ElfLoadError.WrongMachine).Message);

        e = Layout();
        e.WriteUInt16(16, 2); // ET_EXEC
        Rejects(e, ElfLoadError.NotRelocatable);

        e = Layout();
        e.WriteUInt32(20, 7);
        Rejects(e, ElfLoadError.BadHeader);
    }

    [ClangFact]
    public void A_section_table_outside_the_file_or_with_bad_counts_is_rejected()
    {
        ElfObjectEditor e = Layout();
        e.WriteUInt64(40, (ulong)e.Bytes.Length - 10);
        Assert.Contains("does not fit", Rejects(e, ElfLoadError.BadHeader).Message);

        e = Layout();
        e.WriteUInt64(40, ulong.MaxValue - 63); // offset + size wraps around
        Rejects(e, ElfLoadError.BadHeader);

        e = Layout();
        e.WriteUInt16(60, 0);
        Rejects(e, ElfLoadError.BadHeader);

        e = Layout();
        e.WriteUInt16(62, (ushort)e.SectionCount);
        Rejects(e, ElfLoadError.BadHeader);

        e = Layout();
        e.WriteUInt16(58, 40);
        Rejects(e, ElfLoadError.BadHeader);
    }

    [ClangFact]
    public void Sections_outside_the_file_or_overlapping_each_other_are_rejected()
    {
        ElfObjectEditor e = Layout();
        int text = e.SectionIndex(".text");
        e.WriteUInt64(e.SectionHeaderAt(text) + 24, (ulong)e.Bytes.Length - 8);
        Assert.Contains($"section {text}", Rejects(e, ElfLoadError.SectionOutOfFile).Message);

        e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(text) + 32, ulong.MaxValue);
        Rejects(e, ElfLoadError.SectionOutOfFile);

        e = Layout();
        int data = e.SectionIndex(".data");
        e.WriteUInt64(e.SectionHeaderAt(data) + 24, (ulong)e.SectionOffset(text) + 8);
        Assert.Contains("overlaps", Rejects(e, ElfLoadError.SectionsOverlap).Message);

        e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(data) + 24, 16); // inside the ELF header
        Assert.Contains("ELF header", Rejects(e, ElfLoadError.SectionsOverlap).Message);

        e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(data) + 24, (ulong)e.SectionTableOffset);
        Assert.Contains("section header table", Rejects(e, ElfLoadError.SectionsOverlap).Message);
    }

    [ClangFact]
    public void Bad_alignment_code_size_and_unloadable_section_kinds_are_rejected()
    {
        ElfObjectEditor e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(e.SectionIndex(".data")) + 48, 24);
        Assert.Contains("alignment 24", Rejects(e, ElfLoadError.BadSectionHeader).Message);

        e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(e.SectionIndex(".data")) + 48, 1UL << 40);
        Rejects(e, ElfLoadError.BadSectionHeader);

        e = Layout();
        int text = e.SectionIndex(".text");
        e.WriteUInt64(e.SectionHeaderAt(text) + 32, (ulong)e.SectionSize(text) - 4);
        Assert.Contains("multiple of 8", Rejects(e, ElfLoadError.BadSectionHeader).Message);

        e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(e.SectionIndex(".data")) + 8, 0x403); // SHF_WRITE | SHF_ALLOC | SHF_TLS
        Assert.Contains("thread-local", Rejects(e, ElfLoadError.UnsupportedSection).Message);

        e = Layout();
        e.WriteUInt32(e.SectionHeaderAt(e.SectionIndex(".data")) + 4, 14); // SHT_INIT_ARRAY
        Rejects(e, ElfLoadError.UnsupportedSection);

        e = Layout();
        e.WriteUInt32(e.SectionHeaderAt(text) + 4, 8); // executable NOBITS
        Rejects(e, ElfLoadError.UnsupportedSection);
    }

    [ClangFact]
    public void A_huge_bss_is_refused_by_the_limit_without_being_allocated()
    {
        ElfObjectEditor e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(e.SectionIndex(".bss")) + 32, 1UL << 40);
        Rejects(e, ElfLoadError.LimitExceeded);

        e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(e.SectionIndex(".bss")) + 32, int.MaxValue);
        Assert.Contains("writable data", Rejects(e, ElfLoadError.LimitExceeded).Message);
    }

    [ClangFact]
    public void Names_outside_or_unterminated_in_their_string_table_are_rejected()
    {
        ElfObjectEditor e = Layout();
        e.WriteUInt32(e.SectionHeaderAt(e.SectionIndex(".data")), 0x00ff_ffff);
        Assert.Contains("name offset", Rejects(e, ElfLoadError.BadStringTable).Message);

        e = Layout();
        int names = BitConverter.ToUInt16(e.Bytes, 62);
        e.Bytes[e.SectionOffset(names) + e.SectionSize(names) - 1] = (byte)'x';
        int lastNameStart = Array.LastIndexOf(e.Bytes, (byte)0, e.SectionOffset(names) + e.SectionSize(names) - 2) + 1;
        e.WriteUInt32(e.SectionHeaderAt(e.SectionIndex(".data")), (uint)(lastNameStart - e.SectionOffset(names)));
        Assert.Contains("no terminating NUL", Rejects(e, ElfLoadError.BadStringTable).Message);

        e = Layout();
        e.WriteUInt32(e.SectionHeaderAt(names) + 4, 1); // the section-name table is PROGBITS
        Rejects(e, ElfLoadError.BadStringTable);
    }

    [ClangFact]
    public void Bad_symbol_tables_and_symbols_are_rejected()
    {
        ElfObjectEditor e = Layout();
        int symtab = e.SymbolTableIndex;
        e.WriteUInt64(e.SectionHeaderAt(symtab) + 56, 16);
        Rejects(e, ElfLoadError.BadSymbolTable);

        e = Layout();
        e.WriteUInt32(e.SectionHeaderAt(symtab) + 40, (uint)e.SectionIndex(".text"));
        Assert.Contains("not a string table", Rejects(e, ElfLoadError.BadSymbolTable).Message);

        e = Layout();
        e.WriteUInt16(e.SymbolAt("counter") + 6, 0xfff2); // SHN_COMMON
        Assert.Contains("COMMON", Rejects(e, ElfLoadError.BadSymbol).Message);

        e = Layout();
        e.WriteUInt16(e.SymbolAt("counter") + 6, 999);
        Rejects(e, ElfLoadError.BadSymbol);

        e = Layout();
        e.WriteUInt64(e.SymbolAt("static_helper") + 8, 3); // a function that does not start on an instruction
        Assert.Contains("not whole instructions", Rejects(e, ElfLoadError.BadSymbol).Message);

        e = Layout();
        e.WriteUInt64(e.SymbolAt("entry") + 16, 1UL << 62); // a function longer than its section
        Rejects(e, ElfLoadError.BadSymbol);
    }

    [ClangFact]
    public void Unknown_or_misplaced_relocation_types_are_rejected()
    {
        ElfObjectEditor e = Layout();
        int at = e.RelocationAt(".rel.text", 0);
        e.WriteUInt32(at + 8, 7);
        Assert.Contains("unknown relocation type 7", Rejects(e, ElfLoadError.UnknownRelocationType).Message);

        e = Layout();
        e.WriteUInt32(at + 8, 3); // R_BPF_64_ABS32 in code
        Assert.Contains("not supported", Rejects(e, ElfLoadError.UnknownRelocationType).Message);

        e = Layout();
        e.WriteUInt32(e.RelocationAt(".rel.rodata", 0) + 8, 1); // an lddw relocation in .rodata
        Rejects(e, ElfLoadError.UnknownRelocationType);
    }

    [ClangFact]
    public void Relocations_outside_their_section_or_on_the_wrong_instruction_are_rejected()
    {
        ElfObjectEditor e = Layout();
        int at = e.RelocationAt(".rel.text", 0);
        e.WriteUInt64(at, 1UL << 33);
        Assert.Contains("no 16-byte instruction", Rejects(e, ElfLoadError.RelocationOutOfRange).Message);

        e = Layout();
        e.WriteUInt64(at, e.ReadUInt64(at) + 4); // not on an instruction boundary
        Rejects(e, ElfLoadError.RelocationOutOfRange);

        e = Layout();
        e.WriteUInt64(at, e.ReadUInt64(at) + 8); // the second slot of the lddw
        Assert.Contains("not a two-slot lddw", Rejects(e, ElfLoadError.BadRelocationSite).Message);

        e = Layout();
        int call = e.RelocationAt(".relentry_section", 1); // host_one
        e.WriteUInt64(call, e.ReadUInt64(call) + 8);
        Assert.Contains("not call", Rejects(e, ElfLoadError.BadRelocationSite).Message);

        e = Layout();
        int pointer = e.RelocationAt(".rel.rodata", 0);
        e.WriteUInt64(pointer, (ulong)e.SectionSize(e.SectionIndex(".rodata")) - 4);
        Assert.Contains("8-byte word", Rejects(e, ElfLoadError.RelocationOutOfRange).Message);
    }

    [ClangFact]
    public void Relocations_to_missing_undefined_or_wrong_kinds_of_symbols_are_rejected()
    {
        ElfObjectEditor e = Layout();
        int at = e.RelocationAt(".rel.text", 0); // lddw of greeting
        e.WriteUInt32(at + 12, 100_000);
        Assert.Contains("symbol index 100000", Rejects(e, ElfLoadError.BadSymbol).Message);

        e = Layout();
        e.WriteUInt16(e.SymbolAt("greeting") + 6, 0);
        Assert.Contains("undefined data symbol 'greeting'", Rejects(e, ElfLoadError.UndefinedSymbol).Message);

        e = Layout();
        e.WriteUInt32(at + 12, (uint)e.SymbolIndex("static_helper"));
        Assert.Contains("function address", Rejects(e, ElfLoadError.BadRelocationTarget).Message);

        e = Layout();
        e.WriteUInt64(e.SymbolAt("greeting") + 8, 1000); // past the end of .rodata
        Rejects(e, ElfLoadError.RelocationOutOfRange);

        e = Layout();
        int call = e.RelocationAt(".relentry_section", 1);
        e.WriteUInt32(call + 12, (uint)e.SymbolIndex("counter"));
        Assert.Contains("not executable", Rejects(e, ElfLoadError.BadRelocationTarget).Message);
    }

    [ClangFact]
    public void A_local_call_whose_target_leaves_its_section_is_rejected()
    {
        ElfObjectEditor e = Layout();
        // The call to static_helper goes through the .text section symbol; point its stored immediate past .text.
        int relocation = Enumerable.Range(0, 8)
            .Select(i => e.RelocationAt(".relentry_section", i))
            .First(r => (uint)(e.ReadUInt64(r + 8) >> 32) == (uint)e.SectionSymbolIndex(".text"));
        int site = e.SectionOffset(e.SectionIndex("entry_section")) + (int)e.ReadUInt64(relocation);
        e.WriteUInt32(site + 4, 100_000);
        Assert.Contains("outside section", Rejects(e, ElfLoadError.RelocationOutOfRange).Message);

        e.WriteUInt32(site + 4, unchecked((uint)-1000));
        Rejects(e, ElfLoadError.RelocationOutOfRange);
    }

    [ClangFact]
    public void Bad_relocation_sections_are_rejected()
    {
        ElfObjectEditor e = Layout();
        int rel = e.SectionIndex(".rel.text");
        e.WriteUInt32(e.SectionHeaderAt(rel) + 4, 4); // RELA
        Assert.Contains("RELA", Rejects(e, ElfLoadError.BadRelocationSection).Message);

        e = Layout();
        e.WriteUInt64(e.SectionHeaderAt(rel) + 56, 24);
        Rejects(e, ElfLoadError.BadRelocationSection);

        e = Layout();
        e.WriteUInt32(e.SectionHeaderAt(rel) + 40, (uint)e.SectionIndex(".text"));
        Assert.Contains("not the symbol table", Rejects(e, ElfLoadError.BadRelocationSection).Message);

        e = Layout();
        e.WriteUInt32(e.SectionHeaderAt(rel) + 44, 5000);
        Rejects(e, ElfLoadError.BadRelocationSection);

        e = Layout();
        e.WriteUInt32(e.SectionHeaderAt(rel) + 44, (uint)e.SectionIndex(".bss"));
        Assert.Contains("no bytes", Rejects(e, ElfLoadError.BadRelocationSection).Message);
    }

    [ClangFact]
    public void Every_limit_is_enforced()
    {
        byte[] bytes = File.ReadAllBytes(CCompiler.CompileBpf(ElfLoaderTests.LayoutSource));
        Rejects(bytes, ElfLoadError.LimitExceeded, new ElfLoadLimits { FileSizeMax = bytes.Length - 1 });
        Rejects(bytes, ElfLoadError.LimitExceeded, new ElfLoadLimits { SectionCountMax = 4 });
        Rejects(bytes, ElfLoadError.LimitExceeded, new ElfLoadLimits { InstructionCountMax = 20 });
        Rejects(bytes, ElfLoadError.LimitExceeded, new ElfLoadLimits { ReadOnlyDataSizeMax = 16 });
        Rejects(bytes, ElfLoadError.LimitExceeded, new ElfLoadLimits { WritableDataSizeMax = 64 });
        Rejects(bytes, ElfLoadError.BadSectionHeader, new ElfLoadLimits { SectionAlignmentMax = 32 });
    }

    [ClangFact]
    public void Tentative_definitions_compiled_with_fcommon_are_rejected_with_the_fix()
    {
        byte[] bytes = File.ReadAllBytes(CCompiler.CompileBpf(ElfLoaderTests.LayoutSource, "-fcommon"));
        Assert.Contains("-fno-common", Rejects(bytes, ElfLoadError.BadSymbol).Message);
    }

    [ClangFact]
    public void An_object_without_code_is_rejected()
    {
        string source = Path.Combine(Path.GetDirectoryName(ElfLoaderTests.LayoutSource)!, "data_only.c");
        byte[] bytes = File.ReadAllBytes(CCompiler.CompileBpf(source));
        Rejects(bytes, ElfLoadError.NoCode);
    }
}
