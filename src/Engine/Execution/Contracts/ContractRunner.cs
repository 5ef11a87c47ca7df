using NexusFast.Engine.Crypto;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.Vm;

namespace NexusFast.Engine.Execution.Contracts;

/// <summary>
/// Runs contract code for one transaction at a time: creations, calls, and the calls contracts make to each other.
/// It owns one <see cref="VmMachine"/> per call depth (a machine is busy until its run returns, and a nested call runs
/// while its caller's machine waits inside a host function), the return data of every frame and the transaction's logs,
/// and reuses all of them from one transaction to the next. One thread uses a runner.
/// </summary>
/// <remarks>
/// Each call takes a state snapshot before it moves value, and reverts to it (dropping its logs too) when it fails, so a
/// callee's revert undoes exactly the callee's writes and the caller goes on. Contracts are limited to
/// <see cref="MaxCallDepth"/> nested frames; a call beyond that fails in the caller (result 1) without running.
/// </remarks>
public sealed class ContractRunner(ContractCache cache)
{
    /// <summary>Contract frames on the stack at most, the transaction's own included (each holds a machine with a 256 KiB stack).</summary>
    public const int MaxCallDepth = 64;

    /// <summary>Heap every run gets (charged per KiB by the VM, <see cref="VmGas.HeapPerKiB"/>).</summary>
    public const int HeapSize = 32 * 1024;

    private readonly VmMachine?[] _machines = new VmMachine?[MaxCallDepth];
    private readonly Frame[] _frames = new Frame[MaxCallDepth];
    private readonly List<LogEntry> _logs = new();
    private BlockContext _block;
    private Address _origin;

    public ContractRunner() : this(ContractCache.Shared)
    {
    }

    /// <summary>The return data (or revert data) of the transaction's own frame.</summary>
    public ReadOnlySpan<byte> Output => _frames[0].Output.AsSpan(0, _frames[0].OutputLength);

    /// <summary>Logs of the transaction so far, oldest first (those of failed frames removed).</summary>
    public IReadOnlyList<LogEntry> Logs => _logs;

    internal BlockContext Block => _block;

    internal Address Origin => _origin;

    internal ref Frame FrameAt(int depth) => ref _frames[depth];

    internal List<LogEntry> LogList => _logs;

    /// <summary>Resets the logs and output for a new transaction signed by <paramref name="origin"/>.</summary>
    public void BeginTransaction(in BlockContext block, in Address origin)
    {
        _block = block;
        _origin = origin;
        _logs.Clear();
        _frames[0].OutputLength = 0;
    }

    /// <summary>
    /// A creation: splits <paramref name="data"/> (<see cref="DeploymentData"/>), charges the code deposit, loads and
    /// verifies the object, moves <paramref name="value"/> to the new account at <paramref name="address"/>, runs the
    /// constructor if there is one and stores the code. Any failure leaves the state as it found it.
    /// </summary>
    public ContractCallResult Create<TState>(TState state, in Address sender, in Address address, in UInt256 value,
        ReadOnlySpan<byte> data, long gas) where TState : IExecutionState
    {
        _frames[0].OutputLength = 0;
        if (!DeploymentData.TrySplit(data, out Range elfRange, out Range inputRange, out string? error)) return new(false, gas, error);
        ReadOnlySpan<byte> elf = data[elfRange];
        long deposit = (long)elf.Length * ContractGas.CodeDepositPerByte;
        if (deposit > gas) return new(false, gas, $"out of gas: storing a {elf.Length}-byte object costs {deposit}");

        Hash256 codeHash = Keccak256.Compute(elf);
        if (!cache.TryGet(codeHash, out ContractProgram? program))
        {
            if (!ContractProgram.TryLoad(elf, out program, out error)) return new(false, gas, error);
            cache.Add(codeHash, program);
        }
        Account existing = state.GetAccount(address);
        if (existing.HasCode || existing.Nonce != 0) return new(false, gas, $"contract address collision at {address}");

        int snapshot = state.Snapshot();
        // The executor checked the sender's balance against value plus all gas, so this move cannot fail.
        Invariant.Check(TryMove(state, sender, address, value));
        Account created = state.GetAccount(address);
        state.SetAccount(address, created.WithNonce(1)); // EIP-161: a contract starts at nonce 1
        long used = deposit;
        if (program.Deploy is { } constructor)
        {
            ContractCallResult run = Run(state, 0, sender, address, value, constructor, data[inputRange], gas - deposit, isStatic: false);
            used += run.GasUsed;
            if (!run.Success)
            {
                state.Revert(snapshot);
                return new(false, used, run.Failure);
            }
        }
        Hash256 storedHash = state.SetCode(elf.ToArray());
        Invariant.Check(storedHash == codeHash);
        state.SetAccount(address, state.GetAccount(address).WithCodeHash(codeHash));
        return new(true, used);
    }

    /// <summary>
    /// A call at <paramref name="depth"/> (0 for the transaction's own): moves <paramref name="value"/> from
    /// <paramref name="caller"/>, then runs <paramref name="to"/>'s code if it has any. A value the caller cannot cover
    /// fails the call at no gas cost; a failure reverts the call's writes and logs.
    /// </summary>
    public ContractCallResult Invoke<TState>(TState state, int depth, in Address caller, in Address to, in UInt256 value,
        ReadOnlySpan<byte> input, long gas) where TState : IExecutionState =>
        Invoke(state, depth, caller, to, value, input, gas, isStatic: false);

    /// <summary>As the public Invoke; <paramref name="isStatic"/> runs the callee read-only (nexus_static_call): a
    /// storage write, log, transfer or call with value in it, or in any call it makes, fails its frame.</summary>
    internal ContractCallResult Invoke<TState>(TState state, int depth, in Address caller, in Address to, in UInt256 value,
        ReadOnlySpan<byte> input, long gas, bool isStatic) where TState : IExecutionState
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)depth, (uint)MaxCallDepth, nameof(depth));
        _frames[depth].OutputLength = 0;
        int snapshot = state.Snapshot();
        int logCount = _logs.Count;
        if (!TryMove(state, caller, to, value)) return new(false, 0, "insufficient balance for transfer");

        Account target = state.GetAccount(to);
        if (!target.HasCode) return new(true, 0);
        ContractCallResult result;
        if (!TryGetProgram(state, target.CodeHash, out ContractProgram? program, out string? error))
        {
            result = new(false, gas, error);
        }
        else
        {
            result = Run(state, depth, caller, to, value, program.Call, input, gas, isStatic);
        }
        if (!result.Success)
        {
            state.Revert(snapshot);
            _logs.RemoveRange(logCount, _logs.Count - logCount);
        }
        return result;
    }

    private ContractCallResult Run<TState>(TState state, int depth, in Address caller, in Address self, in UInt256 value,
        VmProgram program, ReadOnlySpan<byte> input, long gas, bool isStatic) where TState : IExecutionState
    {
        ref Frame frame = ref _frames[depth];
        frame.IsStatic = isStatic;
        frame.Failure = null;
        frame.Caller = caller;
        frame.Self = self;
        frame.Value = value;
        frame.OutputLength = 0;
        frame.ReturnDataLength = 0;
        VmMachine machine = _machines[depth] ??= new VmMachine();
        machine.Start(program, input, HeapSize);
        var host = new ContractHost<TState>(this, state, depth);
        VmResult result = machine.Run(ref host, gas);
        return result.Kind switch
        {
            // exit with r0 = 0 is success with no return data; any other r0 reverts with none (nexus.h).
            VmExitKind.Returned => new(result.ReturnValue == 0, result.GasUsed),
            VmExitKind.Stopped => new(true, result.GasUsed),
            VmExitKind.Reverted => new(false, result.GasUsed),
            VmExitKind.OutOfGas => new(false, gas, "out of gas"),
            _ => new(false, gas, frame.Failure ?? Describe(result)),
        };
    }

    private bool TryGetProgram<TState>(TState state, in Hash256 codeHash, [NotNullWhen(true)] out ContractProgram? program,
        [NotNullWhen(false)] out string? error) where TState : IExecutionState
    {
        error = null;
        if (cache.TryGet(codeHash, out program)) return true;
        byte[]? code = state.GetCode(codeHash);
        if (code is null)
        {
            error = $"the state has no code for hash {codeHash}";
            return false;
        }
        if (!ContractProgram.TryLoad(code, out program, out error)) return false;
        cache.Add(codeHash, program);
        return true;
    }

    /// <summary>Moves wei between accounts; false (nothing changed) when <paramref name="from"/> cannot cover it.</summary>
    internal static bool TryMove<TState>(TState state, in Address from, in Address to, in UInt256 amount) where TState : IExecutionState
    {
        if (amount.IsZero) return true;
        Account source = state.GetAccount(from);
        if (UInt256.SubtractUnderflow(source.Balance, amount, out UInt256 remaining)) return false;
        state.SetAccount(from, source.WithBalance(remaining));
        // Read after the write: a transfer to oneself must see the debit.
        Account destination = state.GetAccount(to);
        Invariant.Check(!UInt256.AddOverflow(destination.Balance, amount, out UInt256 credited));
        state.SetAccount(to, destination.WithBalance(credited));
        return true;
    }

    internal void SetOutput(int depth, ReadOnlySpan<byte> data)
    {
        ref Frame frame = ref _frames[depth];
        if (frame.Output is null || frame.Output.Length < data.Length) frame.Output = new byte[Math.Max(data.Length, 256)];
        data.CopyTo(frame.Output);
        frame.OutputLength = data.Length;
    }

    private static string Describe(in VmResult result) => result.Kind switch
    {
        VmExitKind.MemoryFault => $"memory fault at 0x{result.FaultAddress:x} (instruction {result.InstructionIndex})",
        VmExitKind.HelperFault => $"invalid host function arguments (instruction {result.InstructionIndex}, address 0x{result.FaultAddress:x})",
        VmExitKind.CallDepthExceeded => $"local call depth above {VmLimits.MaxCallDepth} (instruction {result.InstructionIndex})",
        _ => result.Kind.ToString(),
    };

    /// <summary>One contract frame: who runs, for whom, with what value, and what it returned.</summary>
    internal struct Frame
    {
        public Address Caller;
        public Address Self;
        public UInt256 Value;
        public byte[] Output;
        public int OutputLength;
        /// <summary>Size of the return data of this frame's last call (mapped in its machine).</summary>
        public int ReturnDataLength;
        /// <summary>Read-only: run by nexus_static_call, or called from a frame that was.</summary>
        public bool IsStatic;
        /// <summary>Why a host function failed the frame, when it knows better than "invalid arguments".</summary>
        public string? Failure;
    }
}
