using System.Buffers.Binary;
using System.Numerics;
using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

/// <summary>
/// Every ALU and conditional-jump operation, on seeded random and edge-case operands, against a reference model that
/// computes with unbounded integers and then reduces modulo 2^width, as RFC 9669 section 4 is written. The model never
/// special-cases overflow: INT_MIN / -1 comes out right because truncating division of the exact values wraps to it.
/// </summary>
public sealed class VmReferenceTests
{
    private const int Seed = 9669;

    private static readonly ulong[] s_edges =
    [
        0, 1, 2, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0x1_0000_0000,
        0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 1, 0xffff_ffff_8000_0000,
    ];

    // code (opcode >> 4) and name; sdiv/smod are div/mod with offset 1.
    private static readonly (int Code, int Offset, string Name)[] s_aluOps =
    [
        (0x0, 0, "add"), (0x1, 0, "sub"), (0x2, 0, "mul"), (0x3, 0, "div"), (0x3, 1, "sdiv"), (0x4, 0, "or"),
        (0x5, 0, "and"), (0x6, 0, "lsh"), (0x7, 0, "rsh"), (0x9, 0, "mod"), (0x9, 1, "smod"), (0xa, 0, "xor"),
        (0xb, 0, "mov"), (0xc, 0, "arsh"), (0x8, 0, "neg"),
    ];

    private static readonly (int Code, string Name)[] s_jumpOps =
    [
        (0x1, "jeq"), (0x2, "jgt"), (0x3, "jge"), (0x4, "jset"), (0x5, "jne"), (0x6, "jsgt"), (0x7, "jsge"),
        (0xa, "jlt"), (0xb, "jle"), (0xc, "jslt"), (0xd, "jsle"),
    ];

    [Fact]
    public void Alu_operations_match_the_reference_model()
    {
        var random = new Random(Seed);
        var machine = new VmMachine();
        int checkedCount = 0;
        foreach ((int code, int offset, string name) in s_aluOps)
        {
            foreach (bool is64 in new[] { true, false })
            {
                foreach (bool fromReg in new[] { true, false })
                {
                    if (name == "neg" && fromReg) continue;
                    for (int n = 0; n < 150; n++)
                    {
                        ulong a = Operand(random);
                        ulong b = Operand(random);
                        int imm = (int)b;
                        // An immediate operand is the 32-bit imm, sign-extended to 64 bits for ALU64.
                        ulong operand = fromReg ? b : is64 ? (ulong)(long)imm : (uint)imm;
                        int opcode = (code << 4) | (fromReg ? 0x08 : 0) | (is64 ? 0x07 : 0x04);
                        byte[] program = Program(a, b, Insn(opcode, 1, fromReg ? 2 : 0, offset, fromReg || name == "neg" ? 0 : imm));
                        ulong expected = ReferenceAlu(name, is64, a, operand);
                        ulong actual = Run(machine, program);
                        Assert.True(expected == actual,
                            $"{name}{(is64 ? "" : "32")} {(fromReg ? "reg" : "imm")}: a=0x{a:x} b=0x{operand:x}: expected 0x{expected:x}, VM 0x{actual:x}");
                        checkedCount++;
                    }
                }
            }
        }
        Assert.True(checkedCount > 8_000);
    }

    [Fact]
    public void Conditional_jumps_match_the_reference_model()
    {
        var random = new Random(Seed + 1);
        var machine = new VmMachine();
        foreach ((int code, string name) in s_jumpOps)
        {
            foreach (bool is32 in new[] { false, true })
            {
                foreach (bool fromReg in new[] { true, false })
                {
                    for (int n = 0; n < 150; n++)
                    {
                        ulong a = Operand(random);
                        ulong b = random.Next(4) == 0 ? a : Operand(random);
                        int imm = (int)b;
                        // JMP compares with imm sign-extended to 64 bits; JMP32 compares the low 32 bits.
                        ulong operand = fromReg ? b : (ulong)(long)imm;
                        int opcode = (code << 4) | (fromReg ? 0x08 : 0) | (is32 ? 0x06 : 0x05);
                        byte[] program = Program(a, b,
                            Insn(0xb7, 0, 0, 0, 0),
                            Insn(opcode, 1, fromReg ? 2 : 0, 1, fromReg ? 0 : imm),
                            Insn(0x95, 0, 0, 0, 0),
                            Insn(0xb7, 0, 0, 0, 1));
                        bool expected = ReferenceJump(name, is32, a, operand);
                        Assert.True((expected ? 1UL : 0UL) == Run(machine, program),
                            $"{name}{(is32 ? "32" : "")} {(fromReg ? "reg" : "imm")}: a=0x{a:x} b=0x{operand:x}: expected {expected}");
                    }
                }
            }
        }
    }

    private static ulong ReferenceAlu(string name, bool is64, ulong a, ulong b)
    {
        int width = is64 ? 64 : 32;
        BigInteger modulus = BigInteger.One << width;
        BigInteger ua = is64 ? a : (uint)a, ub = is64 ? b : (uint)b;
        BigInteger sa = is64 ? (long)a : (int)a, sb = is64 ? (long)b : (int)b;
        int shift = (int)(ub % width);
        BigInteger result = name switch
        {
            "add" => ua + ub,
            "sub" => ua - ub,
            "mul" => ua * ub,
            "div" => ub.IsZero ? 0 : BigInteger.Divide(ua, ub),
            "sdiv" => sb.IsZero ? 0 : BigInteger.Divide(sa, sb),
            "mod" => ub.IsZero ? ua : BigInteger.Remainder(ua, ub),
            "smod" => sb.IsZero ? sa : BigInteger.Remainder(sa, sb),
            "or" => ua | ub,
            "and" => ua & ub,
            "xor" => ua ^ ub,
            "lsh" => ua << shift,
            "rsh" => ua >> shift,
            "arsh" => sa >> shift,
            "neg" => -sa,
            _ => ub,  // mov
        };
        result %= modulus;
        if (result.Sign < 0) result += modulus;
        return (ulong)result;
    }

    private static bool ReferenceJump(string name, bool is32, ulong a, ulong b)
    {
        BigInteger ua = is32 ? (uint)a : a, ub = is32 ? (uint)b : b;
        BigInteger sa = is32 ? (int)a : (long)a, sb = is32 ? (int)b : (long)b;
        return name switch
        {
            "jeq" => ua == ub,
            "jne" => ua != ub,
            "jgt" => ua > ub,
            "jge" => ua >= ub,
            "jlt" => ua < ub,
            "jle" => ua <= ub,
            "jset" => !(ua & ub).IsZero,
            "jsgt" => sa > sb,
            "jsge" => sa >= sb,
            "jslt" => sa < sb,
            _ => sa <= sb,  // jsle
        };
    }

    private static ulong Operand(Random random) => random.Next(3) switch
    {
        0 => s_edges[random.Next(s_edges.Length)],
        1 => (ulong)random.Next(-70, 70),
        _ => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63),
    };

    /// <summary>lddw r1, a; lddw r2, b; then the body; then mov r0, r1 (for ALU bodies) and exit.</summary>
    private static byte[] Program(ulong a, ulong b, params ulong[] body)
    {
        var slots = new List<ulong>
        {
            Insn(0x18, 1, 0, 0, (int)(uint)a), Insn(0, 0, 0, 0, (int)(a >> 32)),
            Insn(0x18, 2, 0, 0, (int)(uint)b), Insn(0, 0, 0, 0, (int)(b >> 32)),
        };
        slots.AddRange(body);
        if (body.Length == 1) slots.Add(Insn(0xbf, 0, 1, 0, 0));
        slots.Add(Insn(0x95, 0, 0, 0, 0));
        var code = new byte[slots.Count * 8];
        for (int i = 0; i < slots.Count; i++) BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(i * 8), slots[i]);
        return code;
    }

    private static ulong Run(VmMachine machine, byte[] code)
    {
        VmProgram program = VmProgram.Load(code, [], [], 0, 0, VmTestKit.NoHelpers);
        machine.Start(program, [], heapSize: 0);
        var host = new Conformance.UbpfTestHelpers();
        VmResult result = machine.Run(ref host, 100);
        Assert.Equal(VmExitKind.Returned, result.Kind);
        return result.ReturnValue;
    }

    private static ulong Insn(int opcode, int dst, int src, int offset, int imm) =>
        (uint)opcode | ((ulong)(uint)(dst | (src << 4)) << 8) | ((ulong)(ushort)(short)offset << 16) | ((ulong)(uint)imm << 32);
}
