using System.Globalization;
using System.Text.RegularExpressions;

namespace NexusFast.Engine.Tests.Vm.Toolchain;

/// <summary>One instruction slot as llvm-objdump prints it: its index in the section, its bytes, and a relocation.</summary>
public sealed record ObjdumpInstruction(int Index, byte[] Bytes, string? RelocationType, string? RelocationSymbol);

/// <summary>
/// <c>llvm-objdump-14 -dr</c> of an object, parsed: the executable sections in file order with their instructions and
/// relocations. This is LLVM's own view of the unrelocated object, the reference the loader's output is checked against.
/// </summary>
public sealed partial class ObjdumpListing
{
    public List<(string Section, List<ObjdumpInstruction> Instructions)> Sections { get; } = [];

    public static ObjdumpListing Of(string objectPath)
    {
        var listing = new ObjdumpListing();
        List<ObjdumpInstruction>? current = null;
        foreach (string line in CCompiler.Run(CCompiler.Objdump, $"-dr \"{objectPath}\"").Split('\n'))
        {
            Match section = SectionLine().Match(line);
            if (section.Success)
            {
                current = [];
                listing.Sections.Add((section.Groups[1].Value, current));
                continue;
            }
            if (current is null) continue;
            Match instruction = InstructionLine().Match(line);
            if (instruction.Success)
            {
                byte[] bytes = Convert.FromHexString(instruction.Groups[2].Value.Replace(" ", ""));
                int index = int.Parse(instruction.Groups[1].Value, CultureInfo.InvariantCulture);
                // lddw is printed as one 16-byte line; the loader counts it as two slots.
                for (int slot = 0; slot < bytes.Length / 8; slot++)
                {
                    current.Add(new ObjdumpInstruction(index + slot, bytes[(slot * 8)..(slot * 8 + 8)], null, null));
                }
                continue;
            }
            Match relocation = RelocationLine().Match(line);
            if (relocation.Success)
            {
                int offset = int.Parse(relocation.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                int at = current.FindIndex(i => i.Index == offset / 8);
                current[at] = current[at] with { RelocationType = relocation.Groups[2].Value, RelocationSymbol = relocation.Groups[3].Value };
            }
        }
        return listing;
    }

    [GeneratedRegex(@"^Disassembly of section (.+):$")]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^\s*(\d+):\t([0-9a-f]{2}(?: [0-9a-f]{2})*)\t")]
    private static partial Regex InstructionLine();

    [GeneratedRegex(@"^\s+([0-9a-f]+):\s+(R_BPF_\w+)\s+(\S+)")]
    private static partial Regex RelocationLine();
}
