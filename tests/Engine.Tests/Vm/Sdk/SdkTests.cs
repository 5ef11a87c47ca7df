using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Tests.Vm.Toolchain;
using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;

namespace NexusFast.Engine.Tests.Vm.Sdk;

/// <summary>
/// contracts/nexus.h compiled by clang-14 and run in the VM: its 256-bit arithmetic against BigInteger, its ABI decoding
/// and encoding against the Solidity ABI rules, its host function names against <see cref="HostFunctionNames"/>, and
/// the sample counter contract through its selectors.
/// </summary>
public sealed partial class SdkTests
{
    private const uint Add = 1, Sub = 2, Mul = 3, DivMod = 4, Cmp = 5, EchoBytes = 6, Address = 7, Bool = 8, MappingSlot = 9, U64 = 10, CallerStorage = 11;
    private static readonly BigInteger Modulus = BigInteger.One << 256;

    private static VmProgram Compile(params string[] path)
    {
        byte[] bytes = File.ReadAllBytes(CCompiler.CompileBpf(RepositoryPaths.PathOf(path)));
        ElfProgram elf = ElfLoader.Load(bytes, new HelperCatalogResolver(SdkHost.Catalog));
        return elf.CreateVmProgram(HostFunctionNames.CallEntry, SdkHost.Catalog);
    }

    private static VmProgram Probe() => Compile("tests", "Engine.Tests", "Vm", "Sdk", "Programs", "sdk_probe.c");

    [Fact]
    public void The_header_declares_exactly_the_host_functions_of_the_id_table()
    {
        string header = File.ReadAllText(RepositoryPaths.PathOf("contracts", "nexus.h"));
        string[] declared = ExternDeclaration().Matches(header).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();
        string[] table = HostFunctionNames.All.Select(e => e.Key).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(table, declared);
        Assert.Equal(HostFunctionNames.All.Count, HostFunctionNames.All.Select(e => e.Value).Distinct().Count());
    }

    [ClangFact]
    public void U256_arithmetic_matches_BigInteger_on_seeded_random_operands()
    {
        VmProgram program = Probe();
        var machine = new VmMachine();
        var host = new SdkHost();
        var random = new Random(256);
        for (int i = 0; i < 150; i++)
        {
            BigInteger a = RandomU256(random), b = RandomU256(random);
            if (i % 10 == 0) b = a; // equal operands: cmp 0, sub to zero, divmod 1 rem 0

            (BigInteger sum, BigInteger carry) = Pair(host.Call(program, machine, Encode(Add, a, b)), host);
            Assert.Equal(((a + b) % Modulus, a + b >= Modulus ? 1 : 0), (sum, carry));

            (BigInteger difference, BigInteger borrow) = Pair(host.Call(program, machine, Encode(Sub, a, b)), host);
            Assert.Equal((((a - b) % Modulus + Modulus) % Modulus, a < b ? 1 : 0), (difference, borrow));

            (BigInteger product, BigInteger overflow) = Pair(host.Call(program, machine, Encode(Mul, a, b)), host);
            Assert.True((a * b % Modulus, a * b >= Modulus ? 1 : 0) == (product, overflow), $"{a} * {b}");

            Succeeds(host.Call(program, machine, Encode(DivMod, a, b)));
            BigInteger[] words = Words(host.Output);
            Assert.Equal(b.IsZero ? [0, 0, 1] : new[] { a / b, a % b, BigInteger.Zero }, words);

            (BigInteger order, BigInteger flags) = Pair(host.Call(program, machine, Encode(Cmp, a, b)), host);
            Assert.Equal((a.CompareTo(b) + 1, (a == b ? 1 : 0) | (a.IsZero ? 2 : 0)), ((int)order, (int)flags));
        }
    }

    [ClangFact]
    public void Dynamic_bytes_decode_and_re_encode_as_the_Solidity_ABI_lays_them_out()
    {
        VmProgram program = Probe();
        var machine = new VmMachine();
        var host = new SdkHost();
        var random = new Random(7);
        foreach (int length in new[] { 0, 1, 31, 32, 33, 64, 100, 255 })
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            // Input: (bytes data) -> head word = offset 0x20, then length, then the data padded to whole words.
            byte[] input = [.. Selector(EchoBytes), .. Word(32), .. Word(length), .. Padded(data)];
            Succeeds(host.Call(program, machine, input));
            // Output: (bytes data, uint256 length) -> offset 0x40, the length word, then the tail.
            byte[] expected = [.. Word(64), .. Word(length), .. Word(length), .. Padded(data)];
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(host.Output));
        }
    }

    [ClangFact]
    public void Malformed_arguments_revert_with_an_Error_string()
    {
        VmProgram program = Probe();
        var machine = new VmMachine();
        var host = new SdkHost();
        byte[] error = ErrorString("bad input");
        byte[][] inputs =
        [
            [.. Selector(Add), .. Word(1)],                                         // the second word is missing
            [.. Selector(EchoBytes), .. Word(1000), .. Word(0)],                    // offset past the end
            [.. Selector(EchoBytes), .. Word(32), .. Word(5), .. Word(0)[..3]],     // length past the end
            [.. Selector(Address), .. Enumerable.Repeat((byte)0xff, 32)],            // upper 12 bytes not zero
            [.. Selector(Bool), .. Word(2)],                                        // a bool must be 0 or 1
            [.. Selector(U64), .. Word(BigInteger.One << 64)],                      // does not fit in 64 bits
        ];
        foreach (byte[] input in inputs)
        {
            VmResult result = host.Call(program, machine, input);
            Assert.Equal(VmExitKind.Reverted, result.Kind);
            Assert.Equal(Convert.ToHexString(error), Convert.ToHexString(host.Output));
        }

        // Fewer than 4 bytes call no function: the default case returns 2, a revert with empty data.
        VmResult empty = host.Call(program, machine, [1, 2]);
        Assert.Equal((VmExitKind.Returned, 2UL), (empty.Kind, empty.ReturnValue));
        Assert.Empty(host.Output);
    }

    [ClangFact]
    public void Addresses_bools_u64_storage_and_mapping_slots_round_trip()
    {
        VmProgram program = Probe();
        var machine = new VmMachine();
        var host = new SdkHost();

        byte[] address = Convert.FromHexString("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        Succeeds(host.Call(program, machine, [.. Selector(Address), .. new byte[12], .. address]));
        Assert.Equal([.. new byte[12], .. address], host.Output);

        Succeeds(host.Call(program, machine, [.. Selector(Bool), .. Word(1)]));
        Assert.Equal(Word(0), host.Output);

        Succeeds(host.Call(program, machine, [.. Selector(U64), .. Word(ulong.MaxValue)]));
        Assert.Equal(Word(ulong.MaxValue), host.Output);

        byte[] key = Word(0x1234), slot = Word(3);
        Succeeds(host.Call(program, machine, [.. Selector(MappingSlot), .. key, .. slot]));
        Assert.Equal(Keccak256.Compute([.. key, .. slot]).ToString(), "0x" + Convert.ToHexStringLower(host.Output));

        Succeeds(host.Call(program, machine, [.. Selector(CallerStorage)]));
        Assert.Equal([.. new byte[12], .. host.Caller], host.Output);
        Assert.Equal([.. new byte[12], .. host.Caller], host.Storage[Convert.ToHexString(Word(7))]);
    }

    [ClangFact]
    public void The_counter_contract_counts_through_its_Solidity_selectors_and_reverts_on_unknown_ones()
    {
        VmProgram program = Compile("contracts", "counter.c");
        var machine = new VmMachine();
        var host = new SdkHost();
        byte[] increment = SoliditySelector("increment()"), get = SoliditySelector("get()");

        Succeeds(host.Call(program, machine, get));
        Assert.Equal(Word(0), host.Output);
        for (int i = 0; i < 3; i++) Assert.Equal(VmExitKind.Returned, host.Call(program, machine, increment).Kind);
        Succeeds(host.Call(program, machine, get));
        Assert.Equal(Word(3), host.Output);

        VmResult unknown = host.Call(program, machine, SoliditySelector("decrement()"));
        Assert.Equal(VmExitKind.Reverted, unknown.Kind);
        Assert.Equal(Convert.ToHexString(ErrorString("unknown selector")), Convert.ToHexString(host.Output));
    }

    private static void Succeeds(VmResult result) =>
        Assert.True(result.Kind is VmExitKind.Stopped or VmExitKind.Returned, result.ToString());

    private static (BigInteger First, BigInteger Second) Pair(VmResult result, SdkHost host)
    {
        Succeeds(result);
        BigInteger[] words = Words(host.Output);
        Assert.Equal(2, words.Length);
        return (words[0], words[1]);
    }

    private static BigInteger[] Words(byte[] output) =>
        output.Chunk(32).Select(w => new BigInteger(w, isUnsigned: true, isBigEndian: true)).ToArray();

    private static byte[] Encode(uint op, BigInteger a, BigInteger b) => [.. Selector(op), .. Word(a), .. Word(b)];

    private static byte[] Selector(uint op) => [(byte)(op >> 24), (byte)(op >> 16), (byte)(op >> 8), (byte)op];

    private static byte[] SoliditySelector(string signature) => Keccak256.Compute(Encoding.ASCII.GetBytes(signature)).ToArray()[..4];

    private static byte[] Word(BigInteger value)
    {
        byte[] bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    private static byte[] Padded(byte[] data) => [.. data, .. new byte[(32 - data.Length % 32) % 32]];

    /// <summary>Error(string) revert data as Solidity and ethers encode it.</summary>
    private static byte[] ErrorString(string message)
    {
        byte[] text = Encoding.UTF8.GetBytes(message);
        return [0x08, 0xc3, 0x79, 0xa0, .. Word(32), .. Word(text.Length), .. Padded(text)];
    }

    private static BigInteger RandomU256(Random random)
    {
        byte[] bytes = new byte[32];
        random.NextBytes(bytes);
        int bits = random.Next(5) switch { 0 => 256, 1 => 64, 2 => 128, 3 => 1 + random.Next(256), _ => random.Next(8) };
        return new BigInteger(bytes, isUnsigned: true) & ((BigInteger.One << bits) - 1) | (random.Next(6) == 0 ? Modulus - 1 : 0);
    }

    [GeneratedRegex(@"extern\s+[^;()]*?\b(nexus_\w+)\s*\(")]
    private static partial Regex ExternDeclaration();
}
