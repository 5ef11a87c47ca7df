using System.Security.Cryptography;
using NexusFast.Engine.Diagnostics;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Vm;
using NexusFast.Engine.Vm.Elf;
using NexusFast.Interop.Secp256k1;

namespace NexusFast.Engine.Execution.Contracts;

/// <summary>
/// The chain's host functions (<see cref="HostFunctionNames"/>, signatures in contracts/nexus.h) for one running frame.
/// A struct generic over the state, so the interpreter calls it directly and the state calls are not virtual.
/// </summary>
/// <remarks>
/// Every pointer argument goes through <see cref="VmMachine.TryRead"/> / <see cref="VmMachine.TryWrite"/>: a range the
/// program may not access ends the run with a fault at that address, before anything changed. Size-dependent gas
/// (<see cref="ContractGas"/>) is charged before the work it pays for.
/// </remarks>
internal readonly struct ContractHost<TState>(ContractRunner runner, TState state, int depth) : IVmHost
    where TState : IExecutionState
{
    private const int WordSize = 32;

    public VmHelperOutcome Invoke(uint helperId, VmMachine machine)
    {
        Span<ulong> r = machine.Registers;
        ref ContractRunner.Frame frame = ref runner.FrameAt(depth);
        switch ((int)helperId)
        {
            case HostFunctionNames.StorageLoad: return StorageLoad(machine, r[1], r[2], frame.Self);
            case HostFunctionNames.StorageStore: return StorageStore(machine, r[1], r[2], frame.Self);
            case HostFunctionNames.Caller: return WriteAddress(machine, r[1], frame.Caller);
            case HostFunctionNames.Origin: return WriteAddress(machine, r[1], runner.Origin);
            case HostFunctionNames.SelfAddress: return WriteAddress(machine, r[1], frame.Self);
            case HostFunctionNames.CallValue: return WriteWord(machine, r[1], frame.Value);
            case HostFunctionNames.Balance: return Balance(machine, r[1], r[2]);
            case HostFunctionNames.Transfer: return Transfer(machine, r[1], r[2], frame.Self);
            case HostFunctionNames.EmitLog: return EmitLog(machine, r[1], r[2], r[3], r[4], frame.Self);
            case HostFunctionNames.Keccak256: return Hash(machine, r[1], r[2], r[3], sha256: false);
            case HostFunctionNames.Sha256: return Hash(machine, r[1], r[2], r[3], sha256: true);
            case HostFunctionNames.EcRecover: return EcRecover(machine, r[1], r[2], r[3]);
            case HostFunctionNames.BlockNumber: return Result(machine, runner.Block.Number);
            case HostFunctionNames.BlockTimestamp: return Result(machine, runner.Block.Timestamp);
            case HostFunctionNames.Return: return End(machine, r[1], r[2], VmHelperOutcome.Stop);
            case HostFunctionNames.Revert: return End(machine, r[1], r[2], VmHelperOutcome.Revert);
            case HostFunctionNames.Call: return Call(machine, r[1], r[2], r[3], r[4], r[5], frame.Self, frame.IsStatic);
            case HostFunctionNames.StaticCall: return StaticCall(machine, r[1], r[2], r[3], r[4], frame.Self);
            case HostFunctionNames.ReturnDataSize: return Result(machine, (ulong)frame.ReturnDataLength);
            case HostFunctionNames.ReturnDataCopy: return ReturnDataCopy(machine, r[1], r[2], r[3], frame.ReturnDataLength);
            case HostFunctionNames.GasLeft: return Result(machine, (ulong)machine.GasRemaining);
            default: return VmHelperOutcome.Fault; // unreachable: the verifier accepts only ids of the catalog
        }
    }

    private VmHelperOutcome StorageLoad(VmMachine machine, ulong keyAddress, ulong outAddress, in Address self)
    {
        if (!machine.TryRead(keyAddress, WordSize, out ReadOnlySpan<byte> key)) return VmHelperOutcome.Fault;
        Hash256 value = state.GetStorage(self, new Hash256(key));
        if (!machine.TryWrite(outAddress, WordSize, out Span<byte> destination)) return VmHelperOutcome.Fault;
        value.CopyTo(destination);
        return Result(machine, 0);
    }

    private VmHelperOutcome StorageStore(VmMachine machine, ulong keyAddress, ulong valueAddress, in Address self)
    {
        if (!machine.TryRead(keyAddress, WordSize, out ReadOnlySpan<byte> keyBytes)) return VmHelperOutcome.Fault;
        if (!machine.TryRead(valueAddress, WordSize, out ReadOnlySpan<byte> valueBytes)) return VmHelperOutcome.Fault;
        if (runner.FrameAt(depth).IsStatic) return ReadOnlyViolation("nexus_storage_store");
        var key = new Hash256(keyBytes);
        var value = new Hash256(valueBytes);
        if (state.GetStorage(self, key).IsZero && !value.IsZero && !machine.TryChargeGas(ContractGas.StorageStoreSetExtra))
            return VmHelperOutcome.OutOfGas;
        state.SetStorage(self, key, value);
        return Result(machine, 0);
    }

    private VmHelperOutcome Balance(VmMachine machine, ulong accountAddress, ulong outAddress)
    {
        if (!machine.TryRead(accountAddress, Address.Size, out ReadOnlySpan<byte> account)) return VmHelperOutcome.Fault;
        return WriteWord(machine, outAddress, state.GetAccount(new Address(account)).Balance);
    }

    private VmHelperOutcome Transfer(VmMachine machine, ulong toAddress, ulong amountAddress, in Address self)
    {
        if (!machine.TryRead(toAddress, Address.Size, out ReadOnlySpan<byte> to)) return VmHelperOutcome.Fault;
        if (!machine.TryRead(amountAddress, WordSize, out ReadOnlySpan<byte> amount)) return VmHelperOutcome.Fault;
        // Any transfer, even of zero: the function exists only to move value, which a read-only frame may not.
        if (runner.FrameAt(depth).IsStatic) return ReadOnlyViolation("nexus_transfer");
        bool moved = ContractRunner.TryMove(state, self, new Address(to), UInt256.FromBigEndian32(amount));
        return Result(machine, moved ? 0UL : 1UL);
    }

    private VmHelperOutcome EmitLog(VmMachine machine, ulong topicsAddress, ulong topicCount, ulong dataAddress, ulong dataLength, in Address self)
    {
        if (topicCount > 4 || dataLength > VmLimits.MaxHeapSize) return VmHelperOutcome.Fault;
        if (runner.FrameAt(depth).IsStatic) return ReadOnlyViolation("nexus_emit_log");
        long gas = (long)topicCount * ContractGas.LogPerTopic + (long)dataLength * ContractGas.LogPerByte;
        if (!machine.TryChargeGas(gas)) return VmHelperOutcome.OutOfGas;
        if (!machine.TryRead(topicsAddress, (int)topicCount * WordSize, out ReadOnlySpan<byte> topicBytes)) return VmHelperOutcome.Fault;
        if (!machine.TryRead(dataAddress, (int)dataLength, out ReadOnlySpan<byte> data)) return VmHelperOutcome.Fault;
        var topics = topicCount == 0 ? [] : new Hash256[topicCount];
        for (int i = 0; i < topics.Length; i++) topics[i] = new Hash256(topicBytes.Slice(i * WordSize, WordSize));
        runner.LogList.Add(new LogEntry(self, topics, data.ToArray()));
        return Result(machine, 0);
    }

    private static VmHelperOutcome Hash(VmMachine machine, ulong dataAddress, ulong length, ulong outAddress, bool sha256)
    {
        if (length > int.MaxValue) return VmHelperOutcome.Fault;
        if (!machine.TryChargeGas(ContractGas.PerWord((long)length, sha256 ? ContractGas.Sha256PerWord : ContractGas.Keccak256PerWord)))
            return VmHelperOutcome.OutOfGas;
        if (!machine.TryRead(dataAddress, (int)length, out ReadOnlySpan<byte> data)) return VmHelperOutcome.Fault;
        Span<byte> digest = stackalloc byte[WordSize];
        if (sha256) SHA256.HashData(data, digest);
        else Crypto.Keccak256.Hash(data, digest);
        if (!machine.TryWrite(outAddress, WordSize, out Span<byte> destination)) return VmHelperOutcome.Fault;
        digest.CopyTo(destination);
        return Result(machine, 0);
    }

    /// <remarks>
    /// Unlike Ethereum's ecrecover precompile, a high-s signature (s &gt; n/2) is refused (result 1), by choice: the
    /// precompile's acceptance is what makes Solidity contracts that key on signatures replayable with the malleated
    /// twin (r, n - s, v ^ 1), which is why EIP-2 refuses it for transactions and OpenZeppelin's ECDSA.recover refuses it
    /// in contract code. Honest signers (libsecp256k1, every wallet) produce low s, so nothing valid is lost, and a
    /// contract cannot forget the check. Documented in nexus.h; tested by
    /// ContractExecutionTests.Ecrecover_refuses_the_high_s_twin_of_a_signature_it_accepts.
    /// </remarks>
    private static VmHelperOutcome EcRecover(VmMachine machine, ulong hashAddress, ulong signatureAddress, ulong outAddress)
    {
        if (!machine.TryRead(hashAddress, WordSize, out ReadOnlySpan<byte> hash)) return VmHelperOutcome.Fault;
        if (!machine.TryRead(signatureAddress, 65, out ReadOnlySpan<byte> signature)) return VmHelperOutcome.Fault;
        if (!machine.TryWrite(outAddress, Address.Size, out Span<byte> destination)) return VmHelperOutcome.Fault;
        byte v = signature[64];
        Span<byte> publicKey = stackalloc byte[64];
        if ((v != 27 && v != 28) || !Secp256k1.IsCanonicalSignature(signature[..64])
            || !Secp256k1.TryRecoverXY(hash, signature[..64], (byte)(v - 27), publicKey))
        {
            return Result(machine, 1);
        }
        Span<byte> digest = stackalloc byte[WordSize];
        Crypto.Keccak256.Hash(publicKey, digest);
        digest[12..].CopyTo(destination);
        return Result(machine, 0);
    }

    /// <summary>Return and revert: the data becomes the frame's output, and the run ends.</summary>
    private VmHelperOutcome End(VmMachine machine, ulong dataAddress, ulong length, VmHelperOutcome outcome)
    {
        if (length > VmLimits.MaxHeapSize) return VmHelperOutcome.Fault;
        if (!machine.TryChargeGas(ContractGas.PerWord((long)length, ContractGas.CopyPerWord))) return VmHelperOutcome.OutOfGas;
        if (!machine.TryRead(dataAddress, (int)length, out ReadOnlySpan<byte> data)) return VmHelperOutcome.Fault;
        runner.SetOutput(depth, data);
        return outcome;
    }

    private VmHelperOutcome Call(VmMachine machine, ulong toAddress, ulong valueAddress, ulong inputAddress, ulong inputLength,
        ulong gasRequested, in Address self, bool isStatic)
    {
        if (inputLength > VmLimits.MaxHeapSize) return VmHelperOutcome.Fault;
        if (!machine.TryRead(toAddress, Address.Size, out ReadOnlySpan<byte> toBytes)) return VmHelperOutcome.Fault;
        if (!machine.TryRead(valueAddress, WordSize, out ReadOnlySpan<byte> valueBytes)) return VmHelperOutcome.Fault;
        if (!machine.TryRead(inputAddress, (int)inputLength, out ReadOnlySpan<byte> input)) return VmHelperOutcome.Fault;
        UInt256 value = UInt256.FromBigEndian32(valueBytes);
        if (!value.IsZero && isStatic) return ReadOnlyViolation("nexus_call_contract with value");
        if (!value.IsZero && !machine.TryChargeGas(ContractGas.CallValueExtra)) return VmHelperOutcome.OutOfGas;
        // A call made by a read-only frame is read-only too (EIP-214).
        return Forward(machine, new Address(toBytes), value, input, gasRequested, self, isStatic);
    }

    private VmHelperOutcome StaticCall(VmMachine machine, ulong toAddress, ulong inputAddress, ulong inputLength, ulong gasRequested,
        in Address self)
    {
        if (inputLength > VmLimits.MaxHeapSize) return VmHelperOutcome.Fault;
        if (!machine.TryRead(toAddress, Address.Size, out ReadOnlySpan<byte> toBytes)) return VmHelperOutcome.Fault;
        if (!machine.TryRead(inputAddress, (int)inputLength, out ReadOnlySpan<byte> input)) return VmHelperOutcome.Fault;
        return Forward(machine, new Address(toBytes), UInt256.Zero, input, gasRequested, self, isStatic: true);
    }

    /// <summary>The common part of both calls, once their own checks and prices are settled: the input's copy, the
    /// depth limit, the 63/64 rule, the callee's run and its return data.</summary>
    private VmHelperOutcome Forward(VmMachine machine, in Address to, in UInt256 value, ReadOnlySpan<byte> input,
        ulong gasRequested, in Address self, bool isStatic)
    {
        if (!machine.TryChargeGas(ContractGas.PerWord(input.Length, ContractGas.CopyPerWord))) return VmHelperOutcome.OutOfGas;

        ref ContractRunner.Frame frame = ref runner.FrameAt(depth);
        if (depth + 1 >= ContractRunner.MaxCallDepth)
        {
            frame.ReturnDataLength = 0;
            machine.SetReturnData([]);
            return Result(machine, 1);
        }
        // EIP-150: a callee gets at most 63/64 of what is left, so every level keeps something to finish with.
        long available = machine.GasRemaining;
        long gas = (long)Math.Min(gasRequested, (ulong)(available - available / 64));
        ContractCallResult result = runner.Invoke(state, depth + 1, self, to, value, input, gas, isStatic);
        Invariant.Check(machine.TryChargeGas(result.GasUsed));
        ref ContractRunner.Frame callee = ref runner.FrameAt(depth + 1);
        ReadOnlySpan<byte> returned = callee.Output.AsSpan(0, callee.OutputLength);
        machine.SetReturnData(returned);
        frame.ReturnDataLength = returned.Length;
        return Result(machine, result.Success ? 0UL : 1UL);
    }

    /// <summary>A state change attempted in a read-only frame: the frame fails with the reason, like any fault, and
    /// its caller's static call returns 1.</summary>
    private VmHelperOutcome ReadOnlyViolation(string what)
    {
        runner.FrameAt(depth).Failure = $"{what} in a read-only call (nexus_static_call)";
        return VmHelperOutcome.Fault;
    }

    private static VmHelperOutcome ReturnDataCopy(VmMachine machine, ulong destinationAddress, ulong offset, ulong length, int returnDataLength)
    {
        if (length > VmLimits.MaxHeapSize) return VmHelperOutcome.Fault;
        if (!machine.TryChargeGas(ContractGas.PerWord((long)length, ContractGas.CopyPerWord))) return VmHelperOutcome.OutOfGas;
        if (offset > (ulong)returnDataLength || length > (ulong)returnDataLength - offset) return Result(machine, 1);
        if (!machine.TryRead(VmMemoryMap.ReturnData + offset, (int)length, out ReadOnlySpan<byte> source)) return VmHelperOutcome.Fault;
        if (!machine.TryWrite(destinationAddress, (int)length, out Span<byte> destination)) return VmHelperOutcome.Fault;
        source.CopyTo(destination);
        return Result(machine, 0);
    }

    private static VmHelperOutcome WriteAddress(VmMachine machine, ulong outAddress, in Address value)
    {
        if (!machine.TryWrite(outAddress, Address.Size, out Span<byte> destination)) return VmHelperOutcome.Fault;
        value.CopyTo(destination);
        return Result(machine, 0);
    }

    private static VmHelperOutcome WriteWord(VmMachine machine, ulong outAddress, in UInt256 value)
    {
        if (!machine.TryWrite(outAddress, WordSize, out Span<byte> destination)) return VmHelperOutcome.Fault;
        value.WriteBigEndian(destination);
        return Result(machine, 0);
    }

    private static VmHelperOutcome Result(VmMachine machine, ulong value)
    {
        machine.Registers[0] = value;
        return VmHelperOutcome.Continue;
    }
}
