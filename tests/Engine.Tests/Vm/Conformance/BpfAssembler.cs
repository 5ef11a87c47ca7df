using System.Buffers.Binary;
using System.Globalization;

namespace NexusFast.Engine.Tests.Vm.Conformance;

/// <summary>Thrown for source the assembler refuses; the message names the line.</summary>
public sealed class BpfAssemblyException(string message) : Exception(message);

/// <summary>
/// Assembles the uBPF-style dialect of the bpf_conformance and uBPF suites (described in
/// ../shared/conformance/ebpf/README.md) into 8-byte RFC 9669 instructions. One instruction or label per line;
/// <c>#</c> starts a comment; <c>exit</c> is an implicit label for the first exit instruction.
/// </summary>
public static class BpfAssembler
{
    private static readonly Dictionary<string, int> s_aluCodes = new(StringComparer.Ordinal)
    {
        ["add"] = 0x0, ["sub"] = 0x1, ["mul"] = 0x2, ["div"] = 0x3, ["or"] = 0x4, ["and"] = 0x5, ["lsh"] = 0x6,
        ["rsh"] = 0x7, ["neg"] = 0x8, ["mod"] = 0x9, ["xor"] = 0xa, ["mov"] = 0xb, ["arsh"] = 0xc,
        ["sdiv"] = 0x3, ["smod"] = 0x9,
    };

    private static readonly Dictionary<string, int> s_jumpCodes = new(StringComparer.Ordinal)
    {
        ["jeq"] = 0x1, ["jgt"] = 0x2, ["jge"] = 0x3, ["jset"] = 0x4, ["jne"] = 0x5, ["jsgt"] = 0x6, ["jsge"] = 0x7,
        ["jlt"] = 0xa, ["jle"] = 0xb, ["jslt"] = 0xc, ["jsle"] = 0xd,
    };

    private static readonly Dictionary<string, int> s_sizes = new(StringComparer.Ordinal)
    {
        ["w"] = 0x00, ["h"] = 0x08, ["b"] = 0x10, ["dw"] = 0x18,
    };

    private static readonly Dictionary<string, int> s_atomicOps = new(StringComparer.Ordinal)
    {
        ["add"] = 0x00, ["or"] = 0x40, ["and"] = 0x50, ["xor"] = 0xa0, ["xchg"] = 0xe1, ["cmpxchg"] = 0xf1,
    };

    public static byte[] Assemble(string source)
    {
        var lines = new List<(int LineNumber, string Text)>();
        string[] raw = source.Split('\n');
        for (int n = 0; n < raw.Length; n++)
        {
            string text = raw[n];
            int hash = text.IndexOf('#');
            if (hash >= 0) text = text[..hash];
            text = text.Trim();
            if (text.Length > 0) lines.Add((n + 1, text));
        }

        // Pass 1: where each label points (an lddw takes two slots).
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        int slot = 0;
        int firstExit = -1;
        foreach ((int number, string text) in lines)
        {
            if (text.EndsWith(':'))
            {
                string name = text[..^1].Trim();
                if (name.Length == 0 || !labels.TryAdd(name, slot)) throw Error(number, $"bad or repeated label '{name}'");
                continue;
            }
            string mnemonic = MnemonicOf(text);
            if (mnemonic == "exit" && firstExit < 0) firstExit = slot;
            slot += mnemonic == "lddw" ? 2 : 1;
        }
        if (firstExit >= 0) labels.TryAdd("exit", firstExit);

        // Pass 2: encode.
        var output = new List<ulong>(slot);
        foreach ((int number, string text) in lines)
        {
            if (text.EndsWith(':')) continue;
            try
            {
                Encode(text, output, labels);
            }
            catch (BpfAssemblyException e)
            {
                throw Error(number, e.Message);
            }
        }

        var bytes = new byte[output.Count * 8];
        for (int i = 0; i < output.Count; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), output[i]);
        return bytes;
    }

    private static string MnemonicOf(string text)
    {
        int space = text.IndexOfAny([' ', '\t']);
        return space < 0 ? text : text[..space];
    }

    private static void Encode(string text, List<ulong> output, Dictionary<string, int> labels)
    {
        string mnemonic = MnemonicOf(text);
        string rest = text[mnemonic.Length..].Trim();
        string[] operands = rest.Length == 0 ? [] : rest.Split(',', StringSplitOptions.TrimEntries);
        int pc = output.Count;

        switch (mnemonic)
        {
            case "exit":
                Count(operands, 0, mnemonic);
                output.Add(Insn(0x95, 0, 0, 0, 0));
                return;
            case "ja":
                Count(operands, 1, mnemonic);
                output.Add(Insn(0x05, 0, 0, Offset16(Target(operands[0], pc, labels)), 0));
                return;
            case "ja32":
                Count(operands, 1, mnemonic);
                output.Add(Insn(0x06, 0, 0, 0, Target(operands[0], pc, labels)));
                return;
            case "lddw":
            {
                Count(operands, 2, mnemonic);
                ulong value = Imm64(operands[1]);
                output.Add(Insn(0x18, Register(operands[0]), 0, 0, (int)(uint)value));
                output.Add(Insn(0x00, 0, 0, 0, (int)(uint)(value >> 32)));
                return;
            }
            case "call":
                EncodeCall(rest, output, labels);
                return;
            case "lock":
                EncodeAtomic(rest, output);
                return;
        }

        if (mnemonic.StartsWith("movsx", StringComparison.Ordinal))
        {
            Count(operands, 2, mnemonic);
            (int opcode, int offset) = mnemonic switch
            {
                "movsx832" => (0xbc, 8),
                "movsx1632" => (0xbc, 16),
                "movsx864" => (0xbf, 8),
                "movsx1664" => (0xbf, 16),
                "movsx3264" => (0xbf, 32),
                _ => throw new BpfAssemblyException($"unknown mnemonic '{mnemonic}'"),
            };
            output.Add(Insn(opcode, Register(operands[0]), Register(operands[1]), offset, 0));
            return;
        }
        if (TryByteSwap(mnemonic, out int swapOpcode, out int width))
        {
            Count(operands, 1, mnemonic);
            output.Add(Insn(swapOpcode, Register(operands[0]), 0, 0, width));
            return;
        }
        if (mnemonic.StartsWith("ldx", StringComparison.Ordinal))
        {
            Count(operands, 2, mnemonic);
            bool signed = mnemonic.StartsWith("ldxs", StringComparison.Ordinal);
            string size = mnemonic[(signed ? 4 : 3)..];
            if (!s_sizes.TryGetValue(size, out int sizeBits) || (signed && size == "dw"))
                throw new BpfAssemblyException($"unknown mnemonic '{mnemonic}'");
            (int baseRegister, int offset) = Memory(operands[1]);
            output.Add(Insn((signed ? 0x80 : 0x60) | sizeBits | 0x01, Register(operands[0]), baseRegister, offset, 0));
            return;
        }
        if (mnemonic.StartsWith("stx", StringComparison.Ordinal) && s_sizes.TryGetValue(mnemonic[3..], out int stxSize))
        {
            Count(operands, 2, mnemonic);
            (int baseRegister, int offset) = Memory(operands[0]);
            output.Add(Insn(0x63 | stxSize, baseRegister, Register(operands[1]), offset, 0));
            return;
        }
        if (mnemonic.StartsWith("st", StringComparison.Ordinal) && s_sizes.TryGetValue(mnemonic[2..], out int stSize))
        {
            Count(operands, 2, mnemonic);
            (int baseRegister, int offset) = Memory(operands[0]);
            output.Add(Insn(0x62 | stSize, baseRegister, 0, offset, Imm32(operands[1])));
            return;
        }

        bool is32 = mnemonic.EndsWith("32", StringComparison.Ordinal);
        string name = is32 ? mnemonic[..^2] : mnemonic;
        if (s_jumpCodes.TryGetValue(name, out int jumpCode))
        {
            Count(operands, 3, mnemonic);
            int opcode = (jumpCode << 4) | (is32 ? 0x06 : 0x05);
            int offset = Offset16(Target(operands[2], pc, labels));
            if (IsRegister(operands[1]))
                output.Add(Insn(opcode | 0x08, Register(operands[0]), Register(operands[1]), offset, 0));
            else
                output.Add(Insn(opcode, Register(operands[0]), 0, offset, Imm32(operands[1])));
            return;
        }
        if (s_aluCodes.TryGetValue(name, out int aluCode))
        {
            int opcode = (aluCode << 4) | (is32 ? 0x04 : 0x07);
            int offset = name is "sdiv" or "smod" ? 1 : 0;
            if (name == "neg")
            {
                Count(operands, 1, mnemonic);
                output.Add(Insn(opcode, Register(operands[0]), 0, 0, 0));
                return;
            }
            Count(operands, 2, mnemonic);
            if (IsRegister(operands[1]))
                output.Add(Insn(opcode | 0x08, Register(operands[0]), Register(operands[1]), offset, 0));
            else
                output.Add(Insn(opcode, Register(operands[0]), 0, offset, Imm32(operands[1])));
            return;
        }
        throw new BpfAssemblyException($"unknown mnemonic '{mnemonic}'");
    }

    private static bool TryByteSwap(string mnemonic, out int opcode, out int width)
    {
        opcode = 0;
        width = 0;
        string prefix;
        if (mnemonic.StartsWith("le", StringComparison.Ordinal)) (prefix, opcode) = ("le", 0xd4);
        else if (mnemonic.StartsWith("be", StringComparison.Ordinal)) (prefix, opcode) = ("be", 0xdc);
        else if (mnemonic.StartsWith("bswap", StringComparison.Ordinal)) (prefix, opcode) = ("bswap", 0xd7);
        else if (mnemonic.StartsWith("swap", StringComparison.Ordinal)) (prefix, opcode) = ("swap", 0xd7);
        else return false;
        width = mnemonic[prefix.Length..] switch { "16" => 16, "32" => 32, "64" => 64, _ => 0 };
        return width != 0;
    }

    private static void EncodeCall(string rest, List<ulong> output, Dictionary<string, int> labels)
    {
        string[] words = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 2 && words[0] == "local")
        {
            output.Add(Insn(0x85, 0, 1, 0, Target(words[1], output.Count, labels)));
            return;
        }
        if (words.Length != 1) throw new BpfAssemblyException("call takes a helper id, 'local label' or a register");
        if (IsRegister(words[0]))
            output.Add(Insn(0x8d, Register(words[0]), 0, 0, 0));  // uBPF's convention: the register in dst
        else
            output.Add(Insn(0x85, 0, 0, 0, Imm32(words[0])));
    }

    /// <summary><c>lock [fetch] op[32] [dst+off], src</c>.</summary>
    private static void EncodeAtomic(string rest, List<ulong> output)
    {
        string[] parts = rest.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 2) throw new BpfAssemblyException("invalid number of operands for lock");
        string[] words = parts[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        bool fetch = words.Length == 3 && words[0] == "fetch";
        if (words.Length != (fetch ? 3 : 2)) throw new BpfAssemblyException("invalid number of operands for lock");
        string op = words[fetch ? 1 : 0];
        bool is32 = op.EndsWith("32", StringComparison.Ordinal);
        if (is32) op = op[..^2];
        if (!s_atomicOps.TryGetValue(op, out int imm)) throw new BpfAssemblyException($"unknown atomic operation '{op}'");
        if (fetch) imm |= 0x01;
        (int baseRegister, int offset) = Memory(words[^1]);
        output.Add(Insn(is32 ? 0xc3 : 0xdb, baseRegister, Register(parts[1]), offset, imm));
    }

    private static void Count(string[] operands, int expected, string mnemonic)
    {
        if (operands.Length != expected)
            throw new BpfAssemblyException($"{mnemonic} takes {expected} operands, not {operands.Length}");
    }

    private static bool IsRegister(string operand) => operand.StartsWith('%');

    private static int Register(string operand)
    {
        if (operand.StartsWith("%r", StringComparison.Ordinal)
            && int.TryParse(operand.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 10)
        {
            return n;
        }
        throw new BpfAssemblyException($"invalid register '{operand}'");
    }

    private static (int Register, int Offset) Memory(string operand)
    {
        if (!operand.StartsWith('[') || !operand.EndsWith(']')) throw new BpfAssemblyException($"invalid memory operand '{operand}'");
        string inner = operand[1..^1];
        int sign = inner.IndexOfAny(['+', '-']);
        if (sign < 0) return (Register(inner), 0);
        int offset = Offset16(ParseInteger(inner[(sign + 1)..], 0xffff));
        return (Register(inner[..sign]), inner[sign] == '-' ? -offset : offset);
    }

    private static int Target(string operand, int pc, Dictionary<string, int> labels)
    {
        if (operand.StartsWith('+') || operand.StartsWith('-') || char.IsAsciiDigit(operand[0]))
            return (int)ParseSigned(operand, int.MinValue, int.MaxValue);
        if (!labels.TryGetValue(operand, out int slot)) throw new BpfAssemblyException($"unknown label '{operand}'");
        return slot - (pc + 1);
    }

    private static int Offset16(long value)
    {
        if (value is < short.MinValue or > ushort.MaxValue) throw new BpfAssemblyException($"offset {value} does not fit in 16 bits");
        return (short)(ushort)value;
    }

    /// <summary>A 32-bit immediate: hex up to 0xffffffff (read as signed) or decimal within int32.</summary>
    private static int Imm32(string operand)
    {
        bool hex = operand.TrimStart('-', '+').StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        return hex ? (int)(uint)ParseSigned(operand, -0xffffffffL, 0xffffffffL) : (int)ParseSigned(operand, int.MinValue, int.MaxValue);
    }

    /// <summary>A 64-bit immediate: hex is unsigned 64-bit, decimal may be negative.</summary>
    private static ulong Imm64(string operand)
    {
        if (operand.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            if (ulong.TryParse(operand.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex)) return hex;
        }
        else if (long.TryParse(operand, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long dec))
        {
            return (ulong)dec;
        }
        else if (ulong.TryParse(operand, NumberStyles.None, CultureInfo.InvariantCulture, out ulong big))
        {
            return big;
        }
        throw new BpfAssemblyException($"invalid 64-bit immediate '{operand}'");
    }

    private static long ParseSigned(string operand, long min, long max)
    {
        bool negative = operand.StartsWith('-');
        string digits = operand.TrimStart('-', '+');
        long value = ParseInteger(digits, long.MaxValue);
        if (negative) value = -value;
        if (value < min || value > max) throw new BpfAssemblyException($"value {operand} is out of range");
        return value;
    }

    private static long ParseInteger(string digits, long max)
    {
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long value) && value >= 0
            : long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || value > max) throw new BpfAssemblyException($"invalid or out-of-range number '{digits}'");
        return value;
    }

    private static ulong Insn(int opcode, int dst, int src, int offset, int imm) =>
        (uint)opcode | ((ulong)(uint)dst << 8) | ((ulong)(uint)src << 12) | ((ulong)(ushort)(short)offset << 16) | ((ulong)(uint)imm << 32);

    private static BpfAssemblyException Error(int line, string message) => new($"line {line}: {message}");
}
