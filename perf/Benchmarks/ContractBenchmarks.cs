using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Execution;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;

namespace NexusFast.Benchmarks;

/// <summary>
/// The contract target: an ERC-20 transfer call (contracts/token.c, compiled with clang-14 in setup, deployed
/// once) run many times through <see cref="ContractRunner"/>, twice over:
/// <list type="bullet">
/// <item><see cref="TokenTransfer"/>: the state in dictionaries with an undo journal (<see cref="MemoryState"/>), the
/// shape of a block's overlay: the VM, the host functions (two Keccak-256 slot hashes per balance, a log), the runner
/// and dictionary storage.</item>
/// <item><see cref="TokenTransferPreallocatedStorage"/>: the same call over <see cref="PreallocatedState"/>, whose
/// storage is a preallocated open-addressing table (a probe and a compare per access): what is left is the VM time
/// excluding storage I/O, i.e. the interpreter, the ABI decoding in the contract, the host-call dispatch, the slot
/// hashes and the log. The target (under 5 us) is read from this row.</item>
/// </list>
/// Neither touches FASTER. The baseline is balanceOf: one slot hash and one read.
/// </summary>
[MemoryDiagnoser]
public class ContractBenchmarks
{
    private static readonly Address Holder = Address.Parse("0x00000000000000000000000000000000000000a1");
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000000b2");
    private static readonly Address Token = ContractAddress.ForCreation(Holder, 0);

    private readonly ContractRunner _runner = new(new ContractCache());
    private readonly MemoryState _state = new();
    private readonly ContractRunner _preallocatedRunner = new(new ContractCache());
    private readonly PreallocatedState _preallocated = new();
    private readonly BlockContext _block = new(1, 1_700_000_000, Address.Zero, UInt256.Zero, 30_000_000);
    private byte[] _transfer = [];
    private byte[] _balanceOf = [];

    [GlobalSetup]
    public void Setup()
    {
        byte[] elf = File.ReadAllBytes(CompileToken());
        byte[] supply = Hash256.FromUInt256(UInt256.Parse("1000000000000000000000000000")).ToArray();
        _runner.BeginTransaction(_block, Holder);
        ContractCallResult created = _runner.Create(new MemoryStateView(_state), Holder, Token, UInt256.Zero,
            DeploymentData.Build(elf, supply), 10_000_000);
        if (!created.Success) throw new InvalidOperationException($"token deployment failed: {created.Failure}");
        _preallocatedRunner.BeginTransaction(_block, Holder);
        created = _preallocatedRunner.Create(_preallocated.AsState(), Holder, Token, UInt256.Zero, DeploymentData.Build(elf, supply), 10_000_000);
        if (!created.Success) throw new InvalidOperationException($"token deployment over preallocated storage failed: {created.Failure}");
        _preallocated.Commit();
        _transfer = Call(0xa9059cbb, Recipient, 1);
        _balanceOf = Call(0x70a08231, Holder, null);
        if (!TokenTransfer() || !BalanceOf() || !TokenTransferPreallocatedStorage())
            throw new InvalidOperationException("the token calls failed in setup");
    }

    [Benchmark(Baseline = true)]
    public bool BalanceOf() => Invoke(_balanceOf);

    [Benchmark]
    public bool TokenTransfer() => Invoke(_transfer);

    [Benchmark]
    public bool TokenTransferPreallocatedStorage()
    {
        _preallocated.Commit();
        _preallocatedRunner.BeginTransaction(_block, Holder);
        return _preallocatedRunner.Invoke(_preallocated.AsState(), 0, Holder, Token, UInt256.Zero, _transfer, 1_000_000).Success;
    }

    private bool Invoke(byte[] input)
    {
        _state.Clear();
        _runner.BeginTransaction(_block, Holder);
        return _runner.Invoke(new MemoryStateView(_state), 0, Holder, Token, UInt256.Zero, input, 1_000_000).Success;
    }

    private static byte[] Call(uint selector, Address address, ulong? amount)
    {
        byte[] data = new byte[amount is null ? 36 : 68];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data, selector);
        address.CopyTo(data.AsSpan(16));
        if (amount is { } value) Hash256.FromUInt256(new UInt256(value)).CopyTo(data.AsSpan(36));
        return data;
    }

    private static string CompileToken()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "NexusFast.sln"))) root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("no NexusFast.sln above the benchmark");
        string output = Path.Combine(Path.GetTempPath(), $"nexusfast-bench-token-{Environment.ProcessId}.o");
        var start = new ProcessStartInfo("clang-14", ["-target", "bpf", "-O2", "-I", Path.Combine(root, "contracts"), "-c",
            Path.Combine(root, "contracts", "token.c"), "-o", output]);
        using Process clang = Process.Start(start) ?? throw new InvalidOperationException("clang-14 did not start");
        clang.WaitForExit();
        if (clang.ExitCode != 0) throw new InvalidOperationException($"clang-14 failed with {clang.ExitCode}");
        return output;
    }

    /// <summary>
    /// Accounts, storage and code in dictionaries with an undo journal; <see cref="Clear"/> forgets the journal between
    /// calls, so every transfer starts from the state the previous ones left (balances keep moving by 1).
    /// </summary>
    private sealed class MemoryState
    {
        public readonly Dictionary<Address, Account> Accounts = new();
        public readonly Dictionary<(Address, Hash256), Hash256> Storage = new();
        public readonly Dictionary<Hash256, byte[]> Code = new();
        public readonly List<(Address Address, Hash256? Slot, Account Account, Hash256 Value)> Journal = new();

        public void Clear() => Journal.Clear();
    }

    private readonly struct MemoryStateView(MemoryState state) : IExecutionState
    {
        public Account GetAccount(in Address address) => state.Accounts.TryGetValue(address, out Account a) ? a : Account.Empty;

        public void SetAccount(in Address address, in Account account)
        {
            state.Journal.Add((address, null, GetAccount(address), default));
            state.Accounts[address] = account;
        }

        public Hash256 GetStorage(in Address address, in Hash256 slot) => state.Storage.TryGetValue((address, slot), out Hash256 v) ? v : default;

        public void SetStorage(in Address address, in Hash256 slot, in Hash256 value)
        {
            state.Journal.Add((address, slot, default, GetStorage(address, slot)));
            state.Storage[(address, slot)] = value;
        }

        public byte[]? GetCode(in Hash256 codeHash) => state.Code.TryGetValue(codeHash, out byte[]? code) ? code : null;

        public Hash256 SetCode(byte[] code)
        {
            Hash256 hash = Keccak256.Compute(code);
            state.Code[hash] = code;
            return hash;
        }

        public int Snapshot() => state.Journal.Count;

        public void Revert(int snapshot)
        {
            for (int i = state.Journal.Count - 1; i >= snapshot; i--)
            {
                var entry = state.Journal[i];
                if (entry.Slot is { } slot) state.Storage[(entry.Address, slot)] = entry.Value;
                else state.Accounts[entry.Address] = entry.Account;
            }
            state.Journal.RemoveRange(snapshot, state.Journal.Count - snapshot);
        }
    }
}
