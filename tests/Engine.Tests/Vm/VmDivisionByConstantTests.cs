using System.Buffers.Binary;
using System.Numerics;
using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

/// <summary>
/// Division and modulo by an immediate are rewritten at load time into multiplications (VmPeephole); these tests hold
/// the rewritten forms to the RFC 9669 results of the plain division (VmArithmetic) on edge values of every width and
/// sign, and on seeded random values, both in the arithmetic itself and through whole programs.
/// </summary>
public sealed class VmDivisionByConstantTests
{
    /// <summary>Immediates as a program would carry them (32-bit, sign-extended for ALU64): small, powers of two and
    /// their neighbours, the extremes, and the divisors compilers produce (3, 5, 7, 10, 24, 25, 1000, ...).</summary>
    private static readonly int[] s_immediates =
    [
        0, 1, -1, 2, -2, 3, -3, 5, -5, 6, 7, -7, 9, 10, -10, 11, 12, 13, 24, 25, 60, 100, 641, 1000, 1024, 1025, 3600,
        10_000, 65_535, 65_536, 65_537, 1_000_000_007, 0x3fff_ffff, 0x4000_0000, 0x4000_0001, int.MaxValue - 1,
        int.MaxValue, int.MinValue, int.MinValue + 1, -1_000_000_007, -65_537, -0x4000_0000,
    ];

    private static ulong[] Dividends(ulong divisor, int seed)
    {
        var values = new List<ulong>
        {
            0, 1, 2, 3, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, 0x8000_0000, 0x8000_0001, 0xffff_fffe, 0xffff_ffff,
            0x1_0000_0000, 0x1_0000_0001, long.MaxValue, 1UL << 63, (1UL << 63) + 1, ulong.MaxValue - 1, ulong.MaxValue,
        };
        // Around multiples of the divisor, where a reciprocal that is off by one shows.
        foreach (ulong k in new ulong[] { 1, 2, 3, 1000, 0xffff_ffff / Math.Max(divisor, 1), ulong.MaxValue / Math.Max(divisor, 1) })
        {
            ulong m = unchecked(k * divisor);
            values.AddRange([m - 1, m, m + 1]);
        }
        var random = new Random(seed);
        for (int i = 0; i < 400; i++) values.Add(((ulong)random.NextInt64() | (ulong)random.Next(2) << 63) >> random.Next(0, 63));
        return values.ToArray();
    }

    [Fact]
    public void The_64_bit_reciprocal_gives_the_exact_quotient_for_every_tested_dividend()
    {
        var divisors = new List<ulong>();
        foreach (int imm in s_immediates) divisors.Add((ulong)(long)imm);
        var random = new Random(641);
        for (int i = 0; i < 200; i++) divisors.Add((ulong)random.NextInt64() >> random.Next(0, 62));
        int checkedDivisors = 0;
        foreach (ulong divisor in divisors)
        {
            if (divisor == 0 || BitOperations.IsPow2(divisor)) continue;
            (ulong magic, byte shift) = VmDivisionByConstant.Reciprocal64(divisor);
            foreach (ulong n in Dividends(divisor, (int)divisor))
                Assert.True(n / divisor == VmDivisionByConstant.Divide64(n, magic, shift), $"{n} / {divisor}");
            checkedDivisors++;
        }
        Assert.True(checkedDivisors > 200);
    }

    [Fact]
    public void Both_64_bit_reciprocal_forms_occur_so_both_are_tested()
    {
        // 7 needs the 65-bit (add) form, 5 does not.
        Assert.NotEqual(0, VmDivisionByConstant.Reciprocal64(7).ShiftAndFlag & VmDivisionByConstant.AddFlag);
        Assert.Equal(0, VmDivisionByConstant.Reciprocal64(5).ShiftAndFlag & VmDivisionByConstant.AddFlag);
    }

    [Fact]
    public void The_32_bit_reciprocal_gives_the_exact_quotient_and_remainder()
    {
        var random = new Random(32);
        var divisors = new List<uint>();
        foreach (int imm in s_immediates) divisors.Add((uint)imm);
        for (int i = 0; i < 200; i++) divisors.Add((uint)random.Next() >> random.Next(0, 30));
        foreach (uint divisor in divisors)
        {
            if (divisor < 2) continue;
            ulong magic = VmDivisionByConstant.Reciprocal32(divisor);
            foreach (ulong wide in Dividends(divisor, (int)divisor))
            {
                uint n = (uint)wide;
                Assert.True(n / divisor == VmDivisionByConstant.Divide32(n, magic), $"{n} / {divisor}");
                Assert.True(n % divisor == VmDivisionByConstant.Remainder32(n, magic, divisor), $"{n} % {divisor}");
            }
        }
    }

    public static TheoryData<string> Operations => ["div", "mod", "sdiv", "smod", "div32", "mod32", "sdiv32", "smod32"];

    /// <summary>
    /// <c>r0 = n; r0 OP= imm; exit</c> for every immediate and many dividends: the rewritten program returns what the
    /// RFC's division returns, uses the same gas as the program kept as decoded, and is in fact rewritten wherever a
    /// rewrite applies (so the comparison is not between two copies of the plain division).
    /// </summary>
    [Theory]
    [MemberData(nameof(Operations))]
    public void A_program_dividing_by_an_immediate_returns_the_RFC_result_for_edge_and_random_dividends(string operation)
    {
        var machine = new VmMachine();
        var host = new NoHost();
        int rewritten = 0;
        foreach (int imm in s_immediates)
        {
            byte[] code = DivideProgram(operation, imm);
            VmProgram fast = VmProgram.Load(code, [], [], 0, 0, VmTestKit.NoHelpers);
            VmProgram plain = VmProgram.Load(code, [], [], 0, 0, VmTestKit.NoHelpers, rewrite: false);
            VmOp decodedAs = fast.Code[1].Op;
            if (decodedAs != plain.Code[1].Op) rewritten++;
            foreach (ulong n in Dividends((ulong)(long)imm, imm ^ operation.Length))
            {
                ulong expected = Reference(operation, n, imm);
                machine.Start(fast, [], heapSize: 0);
                machine.Registers[1] = n;
                VmResult result = machine.Run(ref host, 100);
                machine.Start(plain, [], heapSize: 0);
                machine.Registers[1] = n;
                VmResult plainResult = machine.Run(ref host, 100);
                Assert.True(expected == result.ReturnValue, $"{operation} {n:x} by {imm} ({decodedAs}): expected {expected:x}, got {result}");
                Assert.Equal(plainResult, result);
            }
        }
        // 0 never is; 1, -1 and (for 64-bit signed) powers of two keep the plain form too.
        Assert.True(rewritten > s_immediates.Length * 3 / 4, $"only {rewritten} of {s_immediates.Length} immediates were rewritten");
    }

    /// <summary>mov r0, r1 (the dividend arrives in r1); OP r0, imm; exit.</summary>
    private static byte[] DivideProgram(string operation, int imm)
    {
        bool is32 = operation.EndsWith("32", StringComparison.Ordinal);
        string name = is32 ? operation[..^2] : operation;
        int code = name is "div" or "sdiv" ? 0x30 : 0x90;
        var program = new byte[3 * 8];
        program[0] = 0xbf;
        program[1] = 0x10;
        program[8] = (byte)(code | (is32 ? 0x04 : 0x07));
        BinaryPrimitives.WriteInt16LittleEndian(program.AsSpan(10), (short)(name.StartsWith('s') ? 1 : 0));
        BinaryPrimitives.WriteInt32LittleEndian(program.AsSpan(12), imm);
        program[16] = 0x95;
        return program;
    }

    private static ulong Reference(string operation, ulong n, int imm)
    {
        ulong wide = (ulong)(long)imm;
        return operation switch
        {
            "div" => VmArithmetic.Div64(n, wide),
            "mod" => VmArithmetic.Mod64(n, wide),
            "sdiv" => VmArithmetic.SDiv64(n, wide),
            "smod" => VmArithmetic.SMod64(n, wide),
            "div32" => VmArithmetic.Div32((uint)n, (uint)imm),
            "mod32" => VmArithmetic.Mod32((uint)n, (uint)imm),
            "sdiv32" => VmArithmetic.SDiv32((uint)n, (uint)imm),
            _ => VmArithmetic.SMod32((uint)n, (uint)imm),
        };
    }

    private struct NoHost : IVmHost
    {
        public readonly VmHelperOutcome Invoke(uint helperId, VmMachine machine) => VmHelperOutcome.Fault;
    }
}
