using System.Buffers.Binary;
using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Tests.Vm;

public sealed class VmVerifierTests
{
    public static TheoryData<string, int, string> RefusedPrograms => new()
    {
        { "mov %r0, 1", 0, "fall off the end" },
        { "mov %r0, 1\njeq %r0, 1, -1", 1, "fall off the end" },
        { "ja +5\nexit", 0, "outside the program" },
        { "ja -2\nexit", 0, "outside the program" },
        { "ja +1\nlddw %r0, 1\nexit", 0, "second slot of an lddw" },
        { "mov %r10, 1\nexit", 0, "r10" },
        { "mov %r0, 1\nadd %r10, 8\nexit", 1, "r10" },
        { "ldxdw %r10, [%r1]\nexit", 0, "r10" },
        { "lddw %r10, 5\nexit", 0, "r10" },
        { "lock fetch add [%r1], %r10\nexit", 0, "r10" },
        { "mov %r0, 0\ncall 99\nexit", 1, "unknown helper 99" },
        { "call %r1\nexit", 0, "callx" },
        { "call local f\nexit\nf:\nja -3\nexit", 2, "outside the function" },
        { "mov %r0, 1\ncall local f\nf:\nexit", 1, "run on into the function" },
        { "call local +5\nexit", 0, "call target 6 is outside the program" },
    };

    [Theory]
    [MemberData(nameof(RefusedPrograms))]
    public void A_bad_program_is_refused_with_the_instruction_and_the_reason(string asm, int index, string reason)
    {
        VmVerificationException refusal = VmTestKit.Refusal(asm);
        Assert.Equal(index, refusal.Index);
        Assert.Contains(reason, refusal.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, refusal.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string> RefusedEncodings => new()
    {
        // opcode, regs, offset, imm as one little-endian u64 per slot, then where and why.
        { "00000000000000ff 0000000000000095", 0, "not a valid instruction" },
        { "0000000000000006 0000000000000095 00000000000000f5", 2, "not a valid instruction" },
        { "00000000000001b7 000000000000008d 0000000000000095", 1, "callx" },
        { "0000000000001118 0000000000000000 0000000000000095", 0, "src=1" },
        { "0000000000000018 0000000000000100 0000000000000095", 1, "second slot" },
        { "0000000000000018", 0, "missing its second slot" },
        { "00000018000001dc 0000000000000095", 0, "byte swap width 24" },
        { "00000010000000df 0000000000000095", 0, "not a valid instruction" },
        { "0000000000000030 0000000000000095", 0, "legacy packet access" },
        { "0000000000020037 0000000000000095", 0, "offset 2 of div/mod" },
        { "00000000002001bc 0000000000000095", 0, "offset 32 of mov" },
        { "00000002000010db 0000000000000095", 0, "atomic operation 0x2" },
        { "0000000000000bb7 0000000000000095", 0, "register r11 does not exist" },
        { "0000000000000087 0000000000000195", 1, "unused field dst" },
        { "0000000000000085 0000000000000095", 0, "unknown helper 0" },
        { "0000000000002085 0000000000000095", 0, "src=2" },
        { "0000000000000096 0000000000000095", 0, "not a valid instruction" },
        { "00000000000000e5 0000000000000095", 0, "not a valid instruction" },
        { "000000000000008c 0000000000000095", 0, "not a valid instruction" },
    };

    [Theory]
    [MemberData(nameof(RefusedEncodings))]
    public void A_bad_encoding_is_refused_with_the_instruction_and_the_reason(string slots, int index, string reason)
    {
        VmVerificationException refusal = VmTestKit.Refusal(Encode(slots));
        Assert.Equal(index, refusal.Index);
        Assert.Contains(reason, refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Programs_that_are_empty_ragged_or_too_long_are_refused_as_a_whole()
    {
        Assert.Equal(-1, VmTestKit.Refusal([]).Index);
        Assert.Contains("8-byte", VmTestKit.Refusal(new byte[12]).Reason, StringComparison.Ordinal);

        byte[] tooLong = new byte[(VmLimits.MaxInstructionSlots + 1) * 8];
        for (int i = 0; i < VmLimits.MaxInstructionSlots + 1; i++) tooLong[i * 8] = 0xb7;
        tooLong[^8] = 0x95;
        VmVerificationException refusal = VmTestKit.Refusal(tooLong);
        Assert.Contains("at most 65536", refusal.Reason, StringComparison.Ordinal);

        byte[] longest = tooLong[8..];
        Assert.Equal(VmLimits.MaxInstructionSlots, VmProgram.Load(longest, [], [], 0, 0, VmTestKit.NoHelpers).InstructionSlots);
    }

    [Fact]
    public void The_entry_point_must_be_an_instruction_inside_the_program()
    {
        byte[] code = Encode("0000000000000095 0000000000000018 0000000000000000 0000000000000095");
        Assert.Contains("outside the program", VmTestKit.Refusal(code, entry: 4).Reason, StringComparison.Ordinal);
        Assert.Equal(2, VmTestKit.Refusal(code, entry: 2).Index);
        VmProgram program = VmProgram.Load(code, [], [], 0, 1, VmTestKit.NoHelpers);
        Assert.Equal(VmExitKind.Returned, VmTestKit.Run(program).Kind);
    }

    [Fact]
    public void A_self_loop_is_accepted_because_gas_bounds_it()
    {
        VmResult result = VmTestKit.Run(VmTestKit.Load("ja -1\nexit"), gas: 1000);
        Assert.Equal(VmExitKind.OutOfGas, result.Kind);
        Assert.Equal(0, result.InstructionIndex);
    }

    [Fact]
    public void Ja32_takes_its_displacement_from_the_immediate()
    {
        VmResult result = VmTestKit.Run(VmTestKit.Load("mov %r0, 1\nja32 +1\nmov %r0, 2\nexit"));
        Assert.Equal(1UL, result.ReturnValue);
    }

    private static byte[] Encode(string slots)
    {
        string[] words = slots.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var code = new byte[words.Length * 8];
        for (int i = 0; i < words.Length; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(i * 8), Convert.ToUInt64(words[i], 16));
        return code;
    }
}
