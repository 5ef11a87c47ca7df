using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;
using NexusFast.Engine.Tests.Vm.Conformance;
using NexusFast.Engine.Vm;
using Xunit.Abstractions;

namespace NexusFast.Engine.Tests.Vm;

/// <summary>
/// Seeded random instruction streams through the verifier and the interpreter: the verifier either accepts or throws
/// <see cref="VmVerificationException"/>; an accepted program ends (gas bounds it) with a <see cref="VmResult"/>.
/// Nothing else may escape. A failure prints the seed and the program, which replays it.
/// </summary>
public sealed class VmRobustnessTests(ITestOutputHelper output)
{
    private const int Seed = 20_261_121;

    // Every opcode RFC 9669 defines (and a few it does not), so that most generated slots decode.
    private static readonly byte[] s_opcodes =
    [
        0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84, 0x94, 0x9c,
        0xa4, 0xac, 0xb4, 0xbc, 0xc4, 0xcc, 0xd4, 0xdc,
        0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f, 0x67, 0x6f, 0x77, 0x7f, 0x87, 0x97, 0x9f,
        0xa7, 0xaf, 0xb7, 0xbf, 0xc7, 0xcf, 0xd7,
        0x18, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72, 0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb,
        0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75, 0x7d, 0xa5, 0xad, 0xb5, 0xbd,
        0xc5, 0xcd, 0xd5, 0xdd, 0x06, 0x16, 0x1e, 0x56, 0x5e, 0xa6, 0xde, 0x85, 0x95, 0x8d, 0xff, 0x00,
    ];

    [Fact]
    public void Random_bytes_never_crash_the_verifier()
    {
        var random = new Random(Seed);
        int accepted = 0;
        for (int n = 0; n < 5_000; n++)
        {
            var code = new byte[8 * random.Next(0, 12)];
            random.NextBytes(code);
            if (TryLoad(code, n, out VmProgram? program))
            {
                accepted++;
                RunBounded(program, random, code, n);
            }
        }
        output.WriteLine($"seed {Seed}: {accepted} of 5000 random byte strings verified");
    }

    [Fact]
    public void Random_plausible_programs_verify_or_are_refused_and_always_end_within_their_gas()
    {
        var random = new Random(Seed);
        int accepted = 0;
        var kinds = new Dictionary<VmExitKind, int>();
        for (int n = 0; n < 20_000; n++)
        {
            byte[] code = PlausibleProgram(random);
            if (!TryLoad(code, n, out VmProgram? program)) continue;
            accepted++;
            VmExitKind kind = RunBounded(program, random, code, n);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }
        output.WriteLine($"seed {Seed}: {accepted} of 20000 programs verified; outcomes: " +
            string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        Assert.True(accepted > 2_000, $"the generator should produce many valid programs, got {accepted}");
        Assert.True(kinds.Count >= 3, "runs should end in several different ways");
    }

    [Fact]
    public void Mutated_conformance_programs_verify_or_are_refused_and_always_end_within_their_gas()
    {
        var random = new Random(Seed);
        byte[][] originals = [.. ConformanceSuite.Cases(ConformanceSuite.Positive)
            .Select(file => ConformanceCase.Load(Path.Combine(ConformanceSuite.Root, file)).Code())];
        int accepted = 0, mutants = 0;
        foreach (byte[] original in originals)
        {
            for (int m = 0; m < 20; m++)
            {
                byte[] code = (byte[])original.Clone();
                // One to three changes: a random byte, a flipped bit, or a copied slot.
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    int at = random.Next(code.Length);
                    switch (random.Next(3))
                    {
                        case 0: code[at] = (byte)random.Next(256); break;
                        case 1: code[at] ^= (byte)(1 << random.Next(8)); break;
                        default:
                            int from = random.Next(code.Length / 8) * 8, to = random.Next(code.Length / 8) * 8;
                            Array.Copy(original, from, code, to, 8);
                            break;
                    }
                }
                mutants++;
                if (!TryLoad(code, mutants, out VmProgram? program)) continue;
                accepted++;
                RunBounded(program, random, code, mutants);
            }
        }
        output.WriteLine($"seed {Seed}: {accepted} of {mutants} mutated conformance programs verified and ran");
        Assert.True(accepted > mutants / 10, $"expected many mutants to stay valid, got {accepted} of {mutants}");
    }

    /// <summary>
    /// Mostly well-formed instructions (unused fields zero, jumps inside the program), with a few fields left random so
    /// that refusals are exercised too. The last slot is exit.
    /// </summary>
    private static byte[] PlausibleProgram(Random random)
    {
        int slots = random.Next(2, 40);
        var code = new byte[slots * 8];
        for (int i = 0; i < slots - 1; i++)
        {
            byte opcode = s_opcodes[random.Next(s_opcodes.Length)];
            int cls = opcode & 0x07;
            bool fromReg = (opcode & 0x08) != 0;
            int dst = random.Next(10);
            int src = random.Next(11);
            int offset = 0;
            int imm = random.Next(4) switch
            {
                0 => 0,
                1 => random.Next(-4, 64),
                2 => random.Next(3) switch { 0 => (int)(VmMemoryMap.Input >> 32), 1 => 16, _ => 32 },
                _ => random.Next(int.MinValue, int.MaxValue),
            };
            switch (cls)
            {
                case 0x04 or 0x07:
                    if (fromReg) imm = 0; else src = 0;
                    if ((opcode & 0xf0) is 0x30 or 0x90) offset = random.Next(2);
                    if ((opcode & 0xf0) == 0xd0) { src = 0; imm = 16 << random.Next(3); }
                    if ((opcode & 0xf0) == 0x80) imm = 0;
                    if ((opcode & 0xf7) == 0xb7 && fromReg) offset = new[] { 0, 8, 16, 32 }[random.Next(4)];
                    break;
                case 0x01:
                    imm = 0;
                    offset = random.Next(-16, 64);
                    break;
                case 0x02:
                    src = 0;
                    offset = random.Next(-16, 64);
                    dst = random.Next(11);
                    break;
                case 0x03:
                    offset = random.Next(-16, 64);
                    dst = random.Next(11);
                    imm = (opcode & 0xe0) == 0xc0 ? new[] { 0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1 }[random.Next(10)] : 0;
                    break;
                case 0x00:
                    src = 0;
                    break;
                default:
                    int jump = random.Next(-i - 1, slots - i - 1);
                    if (opcode is 0x85) { dst = 0; src = random.Next(3) == 0 ? 1 : 0; imm = src == 1 ? jump : random.Next(0, 8); }
                    else if (opcode is 0x95) { dst = src = imm = 0; }
                    else if (opcode is 0x05 || (opcode & 0xf0) == 0x00) { dst = src = 0; if (opcode == 0x06) imm = jump; else { imm = 0; offset = jump; } }
                    else { offset = jump; if (fromReg) imm = 0; else src = 0; }
                    break;
            }
            if (random.Next(40) == 0) offset = random.Next(short.MinValue, short.MaxValue);
            if (random.Next(40) == 0) { dst = random.Next(16); src = random.Next(16); }
            Span<byte> slot = code.AsSpan(i * 8, 8);
            slot[0] = opcode;
            slot[1] = (byte)(dst | (src << 4));
            BinaryPrimitives.WriteInt16LittleEndian(slot[2..], (short)offset);
            BinaryPrimitives.WriteInt32LittleEndian(slot[4..], imm);
            if (opcode == 0x18 && i + 1 < slots - 1)
            {
                // The second slot carries the high half: usually a region number, so the value is an address.
                i++;
                BinaryPrimitives.WriteUInt64LittleEndian(code.AsSpan(i * 8), (ulong)(uint)random.Next(0, 8) << 32);
            }
        }
        code[^8] = 0x95;
        return code;
    }

    private static bool TryLoad(byte[] code, int n, [NotNullWhen(true)] out VmProgram? program)
    {
        try
        {
            program = VmProgram.Load(code, [1, 2, 3, 4], [5, 6, 7, 8], 8, 0, UbpfTestHelpers.Catalog());
            return true;
        }
        catch (VmVerificationException refusal)
        {
            Assert.True(refusal.Index >= -1 && refusal.Index <= code.Length / 8, $"case {n}: index {refusal.Index} out of range");
            Assert.False(string.IsNullOrEmpty(refusal.Reason));
            program = null;
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"seed {Seed}, case {n}: the verifier threw {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(code)}");
            throw;
        }
    }

    private readonly VmMachine _machine = new();
    private readonly VmMachine _twice = new();

    /// <summary>
    /// Runs the program on one machine, then twice on another: the second run there must match the first run here, so
    /// nothing a run leaves behind (heap, stack, data, registers) reaches the next one.
    /// </summary>
    private VmExitKind RunBounded(VmProgram program, Random random, byte[] code, int n)
    {
        const long Gas = 20_000;
        byte[] input = new byte[random.Next(0, 64)];
        random.NextBytes(input);
        var arguments = new ulong[3];
        for (int i = 0; i < arguments.Length; i++) arguments[i] = random.Next(4) == 0 ? VmMemoryMap.Heap : (ulong)random.NextInt64();
        try
        {
            VmResult result = RunOnce(_machine, program, input, arguments, Gas);
            Assert.InRange(result.GasUsed, 0, Gas);
            RunOnce(_twice, program, input, arguments, Gas);
            VmResult again = RunOnce(_twice, program, input, arguments, Gas);
            Assert.True(result == again, $"seed {Seed}, case {n}: {result} then {again}\n{Convert.ToHexString(code)}");
            return result.Kind;
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"seed {Seed}, case {n}: the interpreter threw {e.GetType().Name}: {e.Message}\n{Convert.ToHexString(code)}");
            throw;
        }
    }

    private static VmResult RunOnce(VmMachine machine, VmProgram program, byte[] input, ulong[] arguments, long gas)
    {
        machine.Start(program, input, heapSize: 256);
        arguments.CopyTo(machine.Registers[3..]);
        var host = new UbpfTestHelpers();
        return machine.Run(ref host, gas);
    }
}
