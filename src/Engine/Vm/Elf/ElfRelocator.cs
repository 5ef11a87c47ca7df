using System.Buffers.Binary;

namespace NexusFast.Engine.Vm.Elf;

/// <summary>
/// Applies the REL relocations of loaded sections to the output images (Linux Documentation/bpf/llvm_reloc.rst):
/// <list type="bullet">
/// <item>R_BPF_64_64 on <c>lddw</c>: the 64-bit immediate becomes the VM address S + A, A being the 32-bit immediate
/// of the first slot (a section offset for static variables, 0 for globals).</item>
/// <item>R_BPF_64_32 on <c>call</c>: the stored immediate is <c>(S + A) / 8 - 1</c>, so the callee is instruction
/// <c>S / 8 + imm + 1</c> of its section; it becomes a pc-relative local call (source 1). An undefined symbol is an
/// <c>extern</c> host function: the immediate becomes the resolver's id (source 0).</item>
/// <item>R_BPF_64_ABS64 in .data or .rodata: the 64-bit word in place (A) becomes the address S + A.</item>
/// </list>
/// Addends are read from the file's bytes and results written to the images, so a relocation never reads another's
/// result. Relocations of sections that are not loaded (debug info, BTF) are skipped.
/// </summary>
internal sealed class ElfRelocator(ElfFile file, ElfLayout layout, ElfSymbolTable symbols, IHostFunctionResolver resolver)
{
    public void Apply(byte[] code, byte[] readOnlyData, byte[] data)
    {
        foreach (ElfSection section in file.Sections)
        {
            if (section.Type != ElfConstants.SectionRel && section.Type != ElfConstants.SectionRela) continue;
            if (section.Info >= (uint)file.Sections.Length)
            {
                throw new ElfLoadException(ElfLoadError.BadRelocationSection,
                    $"{section.Describe()} applies to section {section.Info}, which does not exist");
            }
            ElfSection target = file.Sections[section.Info];
            SectionRole role = layout.Roles[target.Index];
            if (role == SectionRole.Ignored) continue;
            if (section.Type == ElfConstants.SectionRela)
            {
                throw new ElfLoadException(ElfLoadError.BadRelocationSection,
                    $"{section.Describe()} holds RELA relocations for loaded {target.Describe()}; BPF objects use REL");
            }
            if (role == SectionRole.Bss)
            {
                throw new ElfLoadException(ElfLoadError.BadRelocationSection, $"{section.Describe()} relocates {target.Describe()}, which has no bytes");
            }
            CheckRelocationSection(section);
            byte[] image = role switch
            {
                SectionRole.Code => code,
                SectionRole.ReadOnlyData => readOnlyData,
                _ => data,
            };
            ApplySection(section, target, role, image);
        }
    }

    private void CheckRelocationSection(in ElfSection section)
    {
        if (section.EntrySize != ElfConstants.RelocationSize || section.Size % ElfConstants.RelocationSize != 0)
        {
            throw new ElfLoadException(ElfLoadError.BadRelocationSection,
                $"{section.Describe()}: entry size {section.EntrySize} and size {section.Size}, want entries of {ElfConstants.RelocationSize} bytes");
        }
        if (symbols.Symbols.Length == 0 || section.Link != symbols.Section.Index)
        {
            throw new ElfLoadException(ElfLoadError.BadRelocationSection, $"{section.Describe()}: link {section.Link} is not the symbol table");
        }
    }

    private void ApplySection(in ElfSection relocations, in ElfSection target, SectionRole role, byte[] image)
    {
        ReadOnlySpan<byte> entries = file.ContentOf(relocations);
        ReadOnlySpan<byte> original = file.ContentOf(target);
        int placed = layout.Offsets[target.Index];
        for (int i = 0; i < entries.Length / ElfConstants.RelocationSize; i++)
        {
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(entries[(i * ElfConstants.RelocationSize)..]);
            ulong info = BinaryPrimitives.ReadUInt64LittleEndian(entries[(i * ElfConstants.RelocationSize + 8)..]);
            uint type = (uint)info;
            var site = new Site(relocations, i, target, offset);
            if (type == ElfConstants.RelocationNone) continue;
            if (!symbols.TryGet((uint)(info >> 32), out ElfSymbol symbol))
            {
                throw new ElfLoadException(ElfLoadError.BadSymbol,
                    $"{site.What}: symbol index {info >> 32} is outside the symbol table of {symbols.Symbols.Length} entries");
            }

            switch (type)
            {
                case ElfConstants.RelocationBpf64_64 when role == SectionRole.Code:
                    RelocateLoadDoubleWord(site, symbol, original, image.AsSpan(placed));
                    break;
                case ElfConstants.RelocationBpf64_32 when role == SectionRole.Code:
                    RelocateCall(site, symbol, original, image, placed);
                    break;
                case ElfConstants.RelocationBpfAbs64 when role != SectionRole.Code:
                    RelocateDataWord(site, symbol, original, image.AsSpan(placed));
                    break;
                case ElfConstants.RelocationBpf64_64 or ElfConstants.RelocationBpf64_32 or ElfConstants.RelocationBpfAbs64
                    or ElfConstants.RelocationBpfAbs32 or ElfConstants.RelocationBpfNoDyld32:
                    throw new ElfLoadException(ElfLoadError.UnknownRelocationType,
                        $"{site.What}: relocation type {type} is not supported in {target.Describe()}");
                default:
                    throw new ElfLoadException(ElfLoadError.UnknownRelocationType, $"{site.What}: unknown relocation type {type}");
            }
        }
    }

    private void RelocateLoadDoubleWord(in Site site, in ElfSymbol symbol, ReadOnlySpan<byte> original, Span<byte> placed)
    {
        int at = site.InstructionOffset(2);
        if (original[at] != ElfConstants.OpcodeLoadDoubleWord || original[at + 8] != 0)
        {
            throw new ElfLoadException(ElfLoadError.BadRelocationSite,
                $"{site.What}: R_BPF_64_64 applies to opcode 0x{original[at]:x2}, not a two-slot lddw (0x18)");
        }
        uint addend = BinaryPrimitives.ReadUInt32LittleEndian(original[(at + 4)..]);
        ulong address = DataAddress(site, symbol, addend);
        BinaryPrimitives.WriteUInt32LittleEndian(placed[(at + 4)..], (uint)address);
        BinaryPrimitives.WriteUInt32LittleEndian(placed[(at + 12)..], (uint)(address >> 32));
    }

    private void RelocateDataWord(in Site site, in ElfSymbol symbol, ReadOnlySpan<byte> original, Span<byte> placed)
    {
        if (site.Offset > (ulong)site.Section.Size || (ulong)site.Section.Size - site.Offset < 8)
        {
            throw new ElfLoadException(ElfLoadError.RelocationOutOfRange,
                $"{site.What}: the 8-byte word is outside {site.Section.Describe()} of {site.Section.Size} bytes");
        }
        int at = (int)site.Offset;
        ulong addend = BinaryPrimitives.ReadUInt64LittleEndian(original[at..]);
        ulong address = DataAddress(site, symbol, addend);
        BinaryPrimitives.WriteUInt64LittleEndian(placed[at..], address);
    }

    private void RelocateCall(in Site site, in ElfSymbol symbol, ReadOnlySpan<byte> original, byte[] code, int placed)
    {
        int at = site.InstructionOffset(1);
        if (original[at] != ElfConstants.OpcodeCall)
        {
            throw new ElfLoadException(ElfLoadError.BadRelocationSite, $"{site.What}: R_BPF_64_32 applies to opcode 0x{original[at]:x2}, not call (0x85)");
        }
        int callIndex = (placed + at) / ElfConstants.InstructionSize;
        Span<byte> call = code.AsSpan(placed + at, ElfConstants.InstructionSize);
        if (!symbol.IsDefined)
        {
            string name = symbols.NameOf(symbol);
            if (!resolver.TryResolve(name, out int id))
            {
                throw new ElfLoadException(ElfLoadError.UnknownHostFunction, $"{site.What}: call to unknown host function '{name}'");
            }
            SetCall(call, ElfConstants.CallSourceHelper, id);
            return;
        }

        ElfSection callee = SectionOf(site, symbol);
        if (layout.Roles[callee.Index] != SectionRole.Code)
        {
            throw new ElfLoadException(ElfLoadError.BadRelocationTarget,
                $"{site.What}: call target symbol {symbol.Index} is in {callee.Describe()}, which is not executable");
        }
        int stored = BinaryPrimitives.ReadInt32LittleEndian(original[(at + 4)..]);
        // llvm_reloc.rst: imm = (S + A) / 8 - 1, so the callee's byte offset in its section is S + (imm + 1) * 8.
        long target = symbol.Value % ElfConstants.InstructionSize == 0 && symbol.Value <= (ulong)callee.Size
            ? (long)symbol.Value + ((long)stored + 1) * ElfConstants.InstructionSize
            : -1;
        if (target < 0 || target >= callee.Size)
        {
            throw new ElfLoadException(ElfLoadError.RelocationOutOfRange,
                $"{site.What}: call target (symbol value {symbol.Value}, immediate {stored}) is outside {callee.Describe()} of {callee.Size} bytes");
        }
        int targetIndex = (layout.Offsets[callee.Index] + (int)target) / ElfConstants.InstructionSize;
        SetCall(call, ElfConstants.CallSourceLocal, targetIndex - (callIndex + 1));
    }

    private static void SetCall(Span<byte> call, byte source, int immediate)
    {
        call[1] = (byte)((source << 4) | (call[1] & 0x0f));
        BinaryPrimitives.WriteInt32LittleEndian(call[4..], immediate);
    }

    /// <summary>S + A as a VM address, for a symbol in a loaded data section; the result may point one past its end.</summary>
    private ulong DataAddress(in Site site, in ElfSymbol symbol, ulong addend)
    {
        if (!symbol.IsDefined)
        {
            throw new ElfLoadException(ElfLoadError.UndefinedSymbol,
                $"{site.What}: undefined data symbol '{symbols.NameOf(symbol)}' (extern variables are not supported)");
        }
        ElfSection section = SectionOf(site, symbol);
        SectionRole role = layout.Roles[section.Index];
        if (role is not (SectionRole.ReadOnlyData or SectionRole.Data or SectionRole.Bss))
        {
            string why = role == SectionRole.Code ? "a function address (the VM has no indirect calls)" : "not in a loaded data section";
            throw new ElfLoadException(ElfLoadError.BadRelocationTarget, $"{site.What}: symbol {symbol.Index} in {section.Describe()} is {why}");
        }
        ulong size = (ulong)section.Size;
        if (symbol.Value > size || addend > size - symbol.Value)
        {
            throw new ElfLoadException(ElfLoadError.RelocationOutOfRange,
                $"{site.What}: symbol value {symbol.Value} plus addend {addend} is outside {section.Describe()} of {size} bytes");
        }
        return layout.AddressOf(section.Index, symbol.Value + addend);
    }

    private ElfSection SectionOf(in Site site, in ElfSymbol symbol)
    {
        if (symbol.SectionIndex >= file.Sections.Length)
        {
            throw new ElfLoadException(ElfLoadError.BadRelocationTarget,
                $"{site.What}: symbol {symbol.Index} has special section index 0x{symbol.SectionIndex:x}");
        }
        return file.Sections[symbol.SectionIndex];
    }

    /// <summary>Where relocation <paramref name="Number"/> of <paramref name="Relocations"/> applies: a byte offset inside the target section.</summary>
    private readonly record struct Site(ElfSection Relocations, int Number, ElfSection Section, ulong Offset)
    {
        public string What => $"{Relocations.Describe()}, relocation {Number} at offset 0x{Offset:x}";

        /// <summary>Checks that the site starts an instruction with <paramref name="slots"/> slots inside the section.</summary>
        public int InstructionOffset(int slots)
        {
            int length = slots * ElfConstants.InstructionSize;
            if (Offset % ElfConstants.InstructionSize != 0 || Offset > (ulong)Section.Size || (ulong)Section.Size - Offset < (ulong)length)
            {
                throw new ElfLoadException(ElfLoadError.RelocationOutOfRange,
                    $"{What}: no {length}-byte instruction at that offset of {Section.Describe()} ({Section.Size} bytes)");
            }
            return (int)Offset;
        }
    }
}
