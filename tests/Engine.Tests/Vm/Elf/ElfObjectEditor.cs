using System.Buffers.Binary;
using System.Text;

namespace NexusFast.Engine.Tests.Vm.Elf;

/// <summary>
/// Finds the fields of a well-formed object compiled by clang (section headers, symbols, relocations) so that tests
/// can corrupt exactly one of them. It trusts its input: it only ever reads objects straight from the compiler.
/// </summary>
public sealed class ElfObjectEditor(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    public int SectionTableOffset => (int)BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(40));

    public int SectionCount => BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(60));

    public int SectionHeaderAt(int index) => SectionTableOffset + index * 64;

    public int SectionIndex(string name)
    {
        for (int i = 0; i < SectionCount; i++)
        {
            if (SectionName(i) == name) return i;
        }
        throw new ArgumentException($"no section '{name}'");
    }

    public string SectionName(int index)
    {
        int names = BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(62));
        int nameOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(SectionHeaderAt(index)));
        return ReadString(SectionOffset(names) + nameOffset);
    }

    public uint SectionType(int index) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(SectionHeaderAt(index) + 4));

    public int SectionOffset(int index) => (int)BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(SectionHeaderAt(index) + 24));

    public int SectionSize(int index) => (int)BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(SectionHeaderAt(index) + 32));

    public int SymbolTableIndex => Enumerable.Range(0, SectionCount).Single(i => SectionType(i) == 2);

    /// <summary>File offset of the 24-byte symbol entry named <paramref name="name"/>.</summary>
    public int SymbolAt(string name)
    {
        int table = SymbolTableIndex;
        int strings = SectionOffset((int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(SectionHeaderAt(table) + 40)));
        for (int at = SectionOffset(table); at < SectionOffset(table) + SectionSize(table); at += 24)
        {
            int nameOffset = (int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(at));
            if (ReadString(strings + nameOffset) == name) return at;
        }
        throw new ArgumentException($"no symbol '{name}'");
    }

    public int SymbolIndex(string name) => (SymbolAt(name) - SectionOffset(SymbolTableIndex)) / 24;

    /// <summary>Index of the STT_SECTION symbol of a section (clang leaves such symbols unnamed).</summary>
    public int SectionSymbolIndex(string sectionName)
    {
        int table = SymbolTableIndex, section = SectionIndex(sectionName);
        for (int i = 0; i < SectionSize(table) / 24; i++)
        {
            int at = SectionOffset(table) + i * 24;
            if ((Bytes[at + 4] & 0xf) == 3 && BinaryPrimitives.ReadUInt16LittleEndian(Bytes.AsSpan(at + 6)) == section) return i;
        }
        throw new ArgumentException($"no section symbol for '{sectionName}'");
    }

    /// <summary>File offset of relocation <paramref name="number"/> in the REL section <paramref name="relocationSection"/>.</summary>
    public int RelocationAt(string relocationSection, int number) => SectionOffset(SectionIndex(relocationSection)) + number * 16;

    public void WriteUInt16(int at, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Bytes.AsSpan(at), value);

    public void WriteUInt32(int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan(at), value);

    public void WriteUInt64(int at, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Bytes.AsSpan(at), value);

    public ulong ReadUInt64(int at) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes.AsSpan(at));

    private string ReadString(int at)
    {
        int end = Array.IndexOf(Bytes, (byte)0, at);
        return Encoding.UTF8.GetString(Bytes, at, end - at);
    }
}
