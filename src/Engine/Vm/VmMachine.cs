using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NexusFast.Engine.Vm;

/// <summary>
/// Runs <see cref="VmProgram"/>s: the registers, the memory regions and the interpreter. A machine owns its buffers
/// (stack, heap, data, input, return data) and reuses them run after run, so keep one per thread and reuse it.
/// <para>Public API, in the order a caller uses it:</para>
/// <code>
/// var helpers = new VmHelperCatalog().Add(1, "storage_load", 200);     // once, at start-up
/// VmProgram program = VmProgram.Load(code, rodata, data, bssSize, entrySlot, helpers);  // at deployment; throws VmVerificationException
/// var machine = new VmMachine();                                        // once per thread
/// machine.Start(program, input, heapSize);   // maps the regions; r1 = VmMemoryMap.Input, r2 = input length, r10 = frame top
/// machine.Registers[3] = ...;                // optional: r1..r5 are the entry function's arguments
/// VmResult result = machine.Run(ref host, gasLimit);                    // r0, gas used, or where and why it stopped
/// </code>
/// Memory map (addresses from <see cref="VmMemoryMap"/>; anything else faults): read-only data (the program's
/// .rodata), stack (frames of <see cref="VmLimits.StackFrameSize"/> bytes; a call's frame sits above its caller's and
/// only frames of active calls are mapped), heap (zeroed, <c>heapSize</c> bytes), input (read-only), writable data
/// (.data then zeroed .bss, fresh every run) and return data (read-only, set by the host).
/// Host functions (<see cref="IVmHost"/>) use <see cref="Registers"/>, <see cref="TryRead"/>, <see cref="TryWrite"/>,
/// <see cref="TryChargeGas"/> and <see cref="SetReturnData"/> while a run is in progress. A host function that calls
/// another contract runs it on a different machine (a machine runs one program at a time) and hands the callee's
/// output back with <see cref="SetReturnData"/>. A warmed machine allocates nothing per run or per host call.
/// </summary>
public sealed unsafe partial class VmMachine
{
    // Six regions at 1..6 (VmMemoryMap), nothing at 0, and 7 standing for every address above them.
    private const int RegionCount = 8;
    private const ulong UnmappedRegion = RegionCount - 1;
    private const int StackSize = VmLimits.MaxCallDepth * VmLimits.StackFrameSize;

    // SAFETY: every array below that the interpreter addresses by pointer is allocated pinned (pinned object heap), so
    // its address never changes while the machine holds it; a pointer is refreshed whenever its array is replaced.
    private readonly VmRegion[] _regions = GC.AllocateArray<VmRegion>(RegionCount, pinned: true);
    private readonly ulong[] _registers = GC.AllocateArray<ulong>(11, pinned: true);
    private readonly VmFrame[] _frames = GC.AllocateArray<VmFrame>(VmLimits.MaxCallDepth, pinned: true);
    private readonly byte[] _stack = GC.AllocateArray<byte>(StackSize, pinned: true);
    private byte[] _heap = [];
    private byte[] _data = [];
    private byte[] _input = [];
    private byte[] _returnData = [];

    private VmProgram? _program;
    private int _heapSize;
    private int _heapDirtyBytes;
    private int _stackDirtyBytes;
    private long _gasRemaining;
    private ulong _faultAddress;
    private int _callDepth;
    private bool _running;

    /// <summary>r0..r10. Set r1..r5 between <see cref="Start"/> and <see cref="Run{THost}"/>; host functions read their
    /// arguments in r1..r5 and put their result in r0. r10 belongs to the VM.</summary>
    public Span<ulong> Registers => _registers;

    /// <summary>The heap of the started run: a harness may fill it before running (tests use it as a writable input).</summary>
    public Span<byte> Heap => _heap.AsSpan(0, _heapSize);

    /// <summary>Gas left; during a host call, what remains after the helper's base price.</summary>
    public long GasRemaining => _gasRemaining;

    /// <summary>Frames of local calls active now, 0 in the entry function.</summary>
    public int CallDepth => _callDepth;

    /// <summary>Prepares a run of <paramref name="program"/>: maps its data, copies <paramref name="input"/>, zeroes
    /// the stack and a heap of <paramref name="heapSize"/> bytes, sets r1 = <see cref="VmMemoryMap.Input"/>,
    /// r2 = input length, r10 = the top of the first frame and every other register to 0.</summary>
    public void Start(VmProgram program, ReadOnlySpan<byte> input, int heapSize = 32 * 1024)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentOutOfRangeException.ThrowIfNegative(heapSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(heapSize, VmLimits.MaxHeapSize);
        if (_running) throw new InvalidOperationException("the machine is running a program");

        // Only bytes a previous run could reach can be dirty, so only those are zeroed.
        _stack.AsSpan(0, _stackDirtyBytes).Clear();
        _stackDirtyBytes = VmLimits.StackFrameSize;
        EnsureCapacity(ref _heap, heapSize);
        _heap.AsSpan(0, Math.Min(_heapDirtyBytes, _heap.Length)).Clear();
        _heapSize = heapSize;
        _heapDirtyBytes = heapSize;

        int dataSize = program.WritableDataSize;
        EnsureCapacity(ref _data, dataSize);
        program.DataImage.CopyTo(_data);
        _data.AsSpan(program.DataImage.Length, program.BssSize).Clear();
        EnsureCapacity(ref _input, input.Length);
        input.CopyTo(_input);

        Map(0, null, 0, 0);
        Map(VmMemoryMap.ReadOnlyData, program.ReadOnlyDataPointer, program.ReadOnlyDataSize, 0);
        Map(VmMemoryMap.Stack, PointerTo(_stack), VmLimits.StackFrameSize, VmLimits.StackFrameSize);
        Map(VmMemoryMap.Heap, PointerTo(_heap), heapSize, heapSize);
        Map(VmMemoryMap.Input, PointerTo(_input), input.Length, 0);
        Map(VmMemoryMap.Data, PointerTo(_data), dataSize, dataSize);
        Map(VmMemoryMap.ReturnData, PointerTo(_returnData), 0, 0);

        Array.Clear(_registers);
        _registers[1] = VmMemoryMap.Input;
        _registers[2] = (ulong)input.Length;
        _registers[10] = VmMemoryMap.Stack + VmLimits.StackFrameSize;
        _callDepth = 0;
        _faultAddress = 0;
        _program = program;
    }

    /// <summary>Charges <paramref name="amount"/> gas for a host function's work; false (and nothing charged) if it
    /// cannot be paid, in which case the helper returns <see cref="VmHelperOutcome.OutOfGas"/>.</summary>
    public bool TryChargeGas(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (amount > _gasRemaining) return false;
        _gasRemaining -= amount;
        return true;
    }

    /// <summary>The <paramref name="length"/> bytes at <paramref name="address"/> if they are mapped readable; otherwise
    /// false, and the address becomes the fault address of the run.</summary>
    public bool TryRead(ulong address, int length, out ReadOnlySpan<byte> bytes)
    {
        byte* p = length < 0 ? null : Translate(address, (ulong)length, write: false);
        if (p == null && length != 0)
        {
            _faultAddress = address;
            bytes = default;
            return false;
        }
        bytes = new ReadOnlySpan<byte>(p, length);
        return true;
    }

    /// <summary>The <paramref name="length"/> bytes at <paramref name="address"/> if they are mapped writable; otherwise
    /// false, and the address becomes the fault address of the run.</summary>
    public bool TryWrite(ulong address, int length, out Span<byte> bytes)
    {
        byte* p = length < 0 ? null : Translate(address, (ulong)length, write: true);
        if (p == null && length != 0)
        {
            _faultAddress = address;
            bytes = default;
            return false;
        }
        bytes = new Span<byte>(p, length);
        return true;
    }

    /// <summary>Replaces what the program sees at <see cref="VmMemoryMap.ReturnData"/> (the last call's return data).</summary>
    public void SetReturnData(ReadOnlySpan<byte> data)
    {
        EnsureCapacity(ref _returnData, data.Length);
        data.CopyTo(_returnData);
        Map(VmMemoryMap.ReturnData, PointerTo(_returnData), data.Length, 0);
    }

    private byte* Translate(ulong address, ulong length, bool write)
    {
        ulong index = address >> VmMemoryMap.RegionShift;
        if (index >= RegionCount) return null;
        ref VmRegion region = ref _regions[index];
        ulong offset = (uint)address;
        if (offset + length > (write ? region.WriteLength : region.ReadLength)) return null;
        return region.Base + offset;
    }

    private void Map(ulong address, byte* start, int readLength, int writeLength)
    {
        ref VmRegion region = ref _regions[address >> VmMemoryMap.RegionShift];
        region.Base = start;
        region.ReadLength = (ulong)readLength;
        region.WriteLength = (ulong)writeLength;
    }

    private static void EnsureCapacity(ref byte[] buffer, int length)
    {
        if (buffer.Length < length) buffer = GC.AllocateArray<byte>(Math.Max(length, buffer.Length * 2), pinned: true);
    }

    private static byte* PointerTo(byte[] pinnedArray) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinnedArray));
}
