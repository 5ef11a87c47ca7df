using NexusFast.Engine.Crypto;
using NexusFast.Engine.Execution;
using NexusFast.Engine.Execution.Contracts;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.Tests.Mempool;
using NexusFast.Engine.Tests.Vm.Toolchain;

namespace NexusFast.Engine.Tests.Execution.Contracts;

/// <summary>
/// A real state store (in memory) and the real executor, one committed block per transaction, with a funded sender:
/// what the contract tests deploy into and call. Contract sources are compiled with clang-14 when a test starts.
/// </summary>
internal sealed class ContractTestChain : IDisposable
{
    public static readonly Address Alice = TxPoolTests.Sender(11);
    public static readonly Address Proposer = TxPoolTests.Sender(12);
    public static readonly UInt256 Price = new(100);
    public const ulong Timestamp = 1_700_000_000;

    private readonly StateStore _store = StateStore.OpenInMemory();
    private TransactionExecutor _executor = new(new ContractCache());
    private ulong _blockNumber;

    public ContractTestChain()
    {
        using StateOverlay overlay = _store.BeginBlock();
        overlay.SetAccount(Alice, new Account(0, UInt256.Parse("1000000000000000000000")));
        overlay.Commit();
    }

    /// <summary>Gives <paramref name="address"/> 1,000 ether in a block of its own (more senders for a test).</summary>
    public void Fund(Address address)
    {
        using StateOverlay overlay = _store.BeginBlock();
        overlay.SetAccount(address, overlay.GetAccount(address).WithBalance(UInt256.Parse("1000000000000000000000")));
        overlay.Commit();
    }

    public static string ProbeSource => RepositoryPaths.PathOf("tests", "Engine.Tests", "Execution", "Contracts", "Programs", "probe.c");

    public static byte[] Compile(string source) => File.ReadAllBytes(CCompiler.CompileBpf(source));

    public byte[] LastOutput { get; private set; } = [];

    public string? LastFailure { get; private set; }

    public Account Account(Address address) => _store.GetAccount(address);

    public UInt256 Balance(Address address) => _store.GetAccount(address).Balance;

    public Hash256 Storage(Address address, ulong slot) => _store.GetStorage(address, Word(slot));

    public byte[]? Code(Address address) => _store.GetCode(_store.GetAccount(address).CodeHash);

    /// <summary>Deploys and returns the receipt; the address is the receipt's.</summary>
    public Receipt Deploy(byte[] elf, byte[] constructorInput, ulong gas = 10_000_000, ulong value = 0) =>
        Send(null, DeploymentData.Build(elf, constructorInput), gas, value);

    public Receipt Call(Address to, byte[] input, ulong gas = 2_000_000, ulong value = 0) => Send(to, input, gas, value);

    /// <summary>Runs one signed-as-Alice transaction in its own block and commits it.</summary>
    public Receipt Send(Address? to, byte[] data, ulong gas, ulong value = 0, Address? sender = null)
    {
        Address from = sender ?? Alice;
        Transaction tx = TxPoolTests.Tx(from, _store.GetAccount(from).Nonce, 100, 0, gas, value);
        tx.To = to;
        tx.Data = data;
        var block = new BlockContext(++_blockNumber, Timestamp + _blockNumber, Proposer, Price, 30_000_000);
        using StateOverlay overlay = _store.BeginBlock();
        TxError error = _executor.Apply(new OverlayExecutionState(overlay), block, tx, 0, out Receipt receipt);
        if (error != TxError.None) throw new InvalidOperationException($"the transaction is invalid: {error}");
        LastOutput = _executor.LastOutput.ToArray();
        LastFailure = _executor.LastFailure;
        overlay.Commit();
        return receipt;
    }

    public ulong BlockNumber => _blockNumber;

    /// <summary>A new executor with an empty program cache: the next call must load the code from the state store.</summary>
    public void DropProgramCache() => _executor = new TransactionExecutor(new ContractCache());

    /// <summary>Call data: a 4-byte selector, then 32-byte words.</summary>
    public static byte[] Input(uint selector, params Hash256[] words)
    {
        byte[] data = new byte[4 + 32 * words.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data, selector);
        for (int i = 0; i < words.Length; i++) words[i].CopyTo(data.AsSpan(4 + 32 * i));
        return data;
    }

    public static Hash256 Word(ulong value) => Hash256.FromUInt256(new UInt256(value));

    public static Hash256 Word(Address address)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        address.CopyTo(bytes[12..]);
        return new Hash256(bytes);
    }

    public static Hash256 WordAt(byte[] output, int index) => new(output.AsSpan(index * 32, 32));

    /// <summary>Error(string) revert data as Solidity and nexus_revert_error encode it.</summary>
    public static byte[] ErrorData(string message)
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(message);
        int padded = (text.Length + 31) / 32 * 32;
        byte[] data = new byte[4 + 64 + padded];
        Keccak256.Compute("Error(string)"u8).Bytes[..4].CopyTo(data);
        Word(32).CopyTo(data.AsSpan(4));
        Word((ulong)text.Length).CopyTo(data.AsSpan(36));
        text.CopyTo(data.AsSpan(68));
        return data;
    }

    public void Dispose() => _store.Dispose();
}
