using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NexusFast.Engine.Vm;

public sealed unsafe partial class VmMachine
{
    /// <summary>Why <see cref="Execute"/> handed control back to <see cref="Drive{THost}"/>.</summary>
    private enum VmEvent : byte { Exit, Helper, OutOfGas, MemoryFault, CallDepthExceeded }

    /// <summary>The interpreter's state between two <see cref="Execute"/> calls.</summary>
    private struct VmCursor
    {
        /// <summary>The next instruction; after <see cref="VmEvent.Helper"/>, the one after the call.</summary>
        public int Pc;
        public long Gas;
        public int Depth;
        public int MaxDepth;
        /// <summary>Where a fault happened, or the first instruction of the block that could not be paid.</summary>
        public int StopPc;
        public ulong FaultAddress;
    }

    /// <summary>
    /// Runs the started program until its entry function exits, a host function stops it, or it faults or runs out of
    /// gas. Nothing here throws for anything the program does: every outcome is in the <see cref="VmResult"/>.
    /// The heap's price (<see cref="VmGas.HeapPerKiB"/>) and the entry block are charged first.
    /// </summary>
    public VmResult Run<THost>(ref THost host, long gasLimit) where THost : IVmHost
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gasLimit);
        VmProgram program = _program ?? throw new InvalidOperationException("Start the machine before running it");
        _program = null;
        _running = true;
        try
        {
            return Drive(ref host, program, gasLimit);
        }
        finally
        {
            _running = false;
            _callDepth = 0;
        }
    }

    /// <summary>
    /// Calls host functions between stretches of <see cref="Execute"/>. Keeping the host call out of the loop leaves
    /// the loop without calls, so the JIT keeps its state (pc, gas, register and region pointers) in registers.
    /// </summary>
    private VmResult Drive<THost>(ref THost host, VmProgram program, long gasLimit) where THost : IVmHost
    {
        long gas = gasLimit - ((long)_heapSize + 1023) / 1024 * VmGas.HeapPerKiB - program.EntryCost;
        if (gas < 0) return new VmResult(VmExitKind.OutOfGas, _registers[0], gasLimit, program.SlotOf(program.EntryPc), 0);

        var cursor = new VmCursor { Pc = program.EntryPc, Gas = gas };
        // SAFETY: the code array is pinned for the whole run by this fixed statement.
        fixed (DecodedInstruction* code = program.Code)
        {
            while (true)
            {
                VmEvent happened = Execute(code, ref cursor);
                // The next Start zeroes every frame this run could have written.
                _stackDirtyBytes = (cursor.MaxDepth + 1) * VmLimits.StackFrameSize;
                switch (happened)
                {
                    case VmEvent.Exit:
                        return new VmResult(VmExitKind.Returned, _registers[0], gasLimit - cursor.Gas, -1, 0);
                    case VmEvent.OutOfGas:
                        return new VmResult(VmExitKind.OutOfGas, _registers[0], gasLimit, program.SlotOf(cursor.StopPc), 0);
                    case VmEvent.MemoryFault:
                        return new VmResult(VmExitKind.MemoryFault, _registers[0], gasLimit - cursor.Gas, program.SlotOf(cursor.StopPc), cursor.FaultAddress);
                    case VmEvent.CallDepthExceeded:
                        return new VmResult(VmExitKind.CallDepthExceeded, _registers[0], gasLimit - cursor.Gas, program.SlotOf(cursor.StopPc), 0);
                }

                // A helper call; its price is paid.
                int callPc = cursor.Pc - 1;
                _gasRemaining = cursor.Gas;
                _callDepth = cursor.Depth;
                _faultAddress = 0;
                VmHelperOutcome outcome = host.Invoke((uint)code[callPc].Imm, this);
                cursor.Gas = _gasRemaining;
                // r10 belongs to the VM: whatever a helper did to Registers, it points at the current frame again.
                _registers[10] = VmMemoryMap.Stack + (ulong)(cursor.Depth + 1) * VmLimits.StackFrameSize;
                switch (outcome)
                {
                    case VmHelperOutcome.Continue:
                        continue;
                    case VmHelperOutcome.Stop:
                        return new VmResult(VmExitKind.Stopped, _registers[0], gasLimit - cursor.Gas, -1, 0);
                    case VmHelperOutcome.Revert:
                        return new VmResult(VmExitKind.Reverted, _registers[0], gasLimit - cursor.Gas, program.SlotOf(callPc), 0);
                    case VmHelperOutcome.OutOfGas:
                        return new VmResult(VmExitKind.OutOfGas, _registers[0], gasLimit, program.SlotOf(callPc), 0);
                    default:
                        return new VmResult(VmExitKind.HelperFault, _registers[0], gasLimit - cursor.Gas, program.SlotOf(callPc), _faultAddress);
                }
            }
        }
    }

    /// <summary>
    /// The interpreter loop: one switch on the pre-decoded operation per instruction, no calls, no allocation. It returns
    /// at exit from the entry function, at a helper call (after charging its price), and when it must stop.
    /// </summary>
    // Fully optimized from the first call: a run is one long call, so tiering would leave it in tier-0 or OSR code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private VmEvent Execute(DecodedInstruction* code, ref VmCursor cursor)
    {
        // SAFETY: the registers, regions, frames and stack are pinned arrays owned by this machine. Every memory access a
        // program makes goes through the region table with a bounds check; jump and call targets were checked by the
        // verifier, and the depth check keeps frames inside their array.
        ulong* r = (ulong*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_registers));
        VmRegion* regions = (VmRegion*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_regions));
        VmFrame* frames = (VmFrame*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_frames));
        VmRegion* stack = regions + (int)(VmMemoryMap.Stack >> VmMemoryMap.RegionShift);
        // The instruction being executed. The loop's increment moves it to the next one, so a case that runs on ends
        // with continue, and one that transfers control sets it and jumps to Dispatch, past the increment; a single
        // pointer keeps the dispatch to one add and the JIT from shuffling a second one between registers.
        DecodedInstruction* insn = code + cursor.Pc;
        long gas = cursor.Gas;
        int depth = cursor.Depth;
        int maxDepth = cursor.MaxDepth;
        // The top of the current frame, where r10 points; Frame* operations address the stack through it.
        byte* frameTop = stack->Base + (ulong)(depth + 1) * VmLimits.StackFrameSize;
        // Memory operations share these rather than calling a helper, so the loop keeps one set of temporaries and
        // the JIT can hold them in registers: region is the table entry for the address's high 32 bits (clamped to the
        // always-unmapped last entry), and one compare of the low 32 bits plus the width against its length checks
        // bounds and permission together.
        ulong address = 0;
        ulong index;
        VmRegion* region;
        byte* p;
        VmEvent happened;

        for (; ; insn++)
        {
        Dispatch:
            switch (insn->Op)
            {
                case VmOp.Gas:
                    if ((gas -= insn->Cost) < 0)
                    {
                        cursor.StopPc = (int)(insn - code);
                        happened = VmEvent.OutOfGas;
                        goto Leave;
                    }
                    continue;

                // ---- ALU64 ----
                case VmOp.Add64Imm: r[insn->Dst] += (ulong)insn->Imm64; continue;
                case VmOp.Add64Reg: r[insn->Dst] += r[insn->Src]; continue;
                case VmOp.Sub64Imm: r[insn->Dst] -= (ulong)insn->Imm64; continue;
                case VmOp.Sub64Reg: r[insn->Dst] -= r[insn->Src]; continue;
                case VmOp.Mul64Imm: r[insn->Dst] *= (ulong)insn->Imm64; continue;
                case VmOp.Mul64Reg: r[insn->Dst] *= r[insn->Src]; continue;
                case VmOp.Div64Imm: r[insn->Dst] = VmArithmetic.Div64(r[insn->Dst], (ulong)insn->Imm64); continue;
                case VmOp.Div64Reg: r[insn->Dst] = VmArithmetic.Div64(r[insn->Dst], r[insn->Src]); continue;
                case VmOp.SDiv64Imm: r[insn->Dst] = VmArithmetic.SDiv64(r[insn->Dst], (ulong)insn->Imm64); continue;
                case VmOp.SDiv64Reg: r[insn->Dst] = VmArithmetic.SDiv64(r[insn->Dst], r[insn->Src]); continue;
                case VmOp.Mod64Imm: r[insn->Dst] = VmArithmetic.Mod64(r[insn->Dst], (ulong)insn->Imm64); continue;
                case VmOp.Mod64Reg: r[insn->Dst] = VmArithmetic.Mod64(r[insn->Dst], r[insn->Src]); continue;
                case VmOp.SMod64Imm: r[insn->Dst] = VmArithmetic.SMod64(r[insn->Dst], (ulong)insn->Imm64); continue;
                case VmOp.SMod64Reg: r[insn->Dst] = VmArithmetic.SMod64(r[insn->Dst], r[insn->Src]); continue;
                case VmOp.Or64Imm: r[insn->Dst] |= (ulong)insn->Imm64; continue;
                case VmOp.Or64Reg: r[insn->Dst] |= r[insn->Src]; continue;
                case VmOp.And64Imm: r[insn->Dst] &= (ulong)insn->Imm64; continue;
                case VmOp.And64Reg: r[insn->Dst] &= r[insn->Src]; continue;
                case VmOp.Xor64Imm: r[insn->Dst] ^= (ulong)insn->Imm64; continue;
                case VmOp.Xor64Reg: r[insn->Dst] ^= r[insn->Src]; continue;
                // Shift counts are masked to the operand width (RFC 9669 section 4.1), as C#'s shifts do.
                case VmOp.Lsh64Imm: r[insn->Dst] <<= (int)(insn->Imm64 & 63); continue;
                case VmOp.Lsh64Reg: r[insn->Dst] <<= (int)(r[insn->Src] & 63); continue;
                case VmOp.Rsh64Imm: r[insn->Dst] >>= (int)(insn->Imm64 & 63); continue;
                case VmOp.Rsh64Reg: r[insn->Dst] >>= (int)(r[insn->Src] & 63); continue;
                case VmOp.Arsh64Imm: r[insn->Dst] = (ulong)((long)r[insn->Dst] >> (int)(insn->Imm64 & 63)); continue;
                case VmOp.Arsh64Reg: r[insn->Dst] = (ulong)((long)r[insn->Dst] >> (int)(r[insn->Src] & 63)); continue;
                case VmOp.Neg64: r[insn->Dst] = (ulong)-(long)r[insn->Dst]; continue;
                case VmOp.Mov64Imm: r[insn->Dst] = (ulong)insn->Imm64; continue;
                case VmOp.Mov64Reg: r[insn->Dst] = r[insn->Src]; continue;
                case VmOp.MovSx8To64: r[insn->Dst] = (ulong)(sbyte)r[insn->Src]; continue;
                case VmOp.MovSx16To64: r[insn->Dst] = (ulong)(short)r[insn->Src]; continue;
                case VmOp.MovSx32To64: r[insn->Dst] = (ulong)(int)r[insn->Src]; continue;

                // ---- ALU32: operate on the low halves, zero-extend the result ----
                case VmOp.Add32Imm: r[insn->Dst] = (uint)r[insn->Dst] + (uint)insn->Imm; continue;
                case VmOp.Add32Reg: r[insn->Dst] = (uint)r[insn->Dst] + (uint)r[insn->Src]; continue;
                case VmOp.Sub32Imm: r[insn->Dst] = (uint)r[insn->Dst] - (uint)insn->Imm; continue;
                case VmOp.Sub32Reg: r[insn->Dst] = (uint)r[insn->Dst] - (uint)r[insn->Src]; continue;
                case VmOp.Mul32Imm: r[insn->Dst] = (uint)r[insn->Dst] * (uint)insn->Imm; continue;
                case VmOp.Mul32Reg: r[insn->Dst] = (uint)r[insn->Dst] * (uint)r[insn->Src]; continue;
                case VmOp.Div32Imm: r[insn->Dst] = VmArithmetic.Div32((uint)r[insn->Dst], (uint)insn->Imm); continue;
                case VmOp.Div32Reg: r[insn->Dst] = VmArithmetic.Div32((uint)r[insn->Dst], (uint)r[insn->Src]); continue;
                case VmOp.SDiv32Imm: r[insn->Dst] = VmArithmetic.SDiv32((uint)r[insn->Dst], (uint)insn->Imm); continue;
                case VmOp.SDiv32Reg: r[insn->Dst] = VmArithmetic.SDiv32((uint)r[insn->Dst], (uint)r[insn->Src]); continue;
                case VmOp.Mod32Imm: r[insn->Dst] = VmArithmetic.Mod32((uint)r[insn->Dst], (uint)insn->Imm); continue;
                case VmOp.Mod32Reg: r[insn->Dst] = VmArithmetic.Mod32((uint)r[insn->Dst], (uint)r[insn->Src]); continue;
                case VmOp.SMod32Imm: r[insn->Dst] = VmArithmetic.SMod32((uint)r[insn->Dst], (uint)insn->Imm); continue;
                case VmOp.SMod32Reg: r[insn->Dst] = VmArithmetic.SMod32((uint)r[insn->Dst], (uint)r[insn->Src]); continue;
                case VmOp.Or32Imm: r[insn->Dst] = (uint)r[insn->Dst] | (uint)insn->Imm; continue;
                case VmOp.Or32Reg: r[insn->Dst] = (uint)r[insn->Dst] | (uint)r[insn->Src]; continue;
                case VmOp.And32Imm: r[insn->Dst] = (uint)r[insn->Dst] & (uint)insn->Imm; continue;
                case VmOp.And32Reg: r[insn->Dst] = (uint)r[insn->Dst] & (uint)r[insn->Src]; continue;
                case VmOp.Xor32Imm: r[insn->Dst] = (uint)r[insn->Dst] ^ (uint)insn->Imm; continue;
                case VmOp.Xor32Reg: r[insn->Dst] = (uint)r[insn->Dst] ^ (uint)r[insn->Src]; continue;
                case VmOp.Lsh32Imm: r[insn->Dst] = (uint)r[insn->Dst] << (insn->Imm & 31); continue;
                case VmOp.Lsh32Reg: r[insn->Dst] = (uint)r[insn->Dst] << (int)(r[insn->Src] & 31); continue;
                case VmOp.Rsh32Imm: r[insn->Dst] = (uint)r[insn->Dst] >> (insn->Imm & 31); continue;
                case VmOp.Rsh32Reg: r[insn->Dst] = (uint)r[insn->Dst] >> (int)(r[insn->Src] & 31); continue;
                case VmOp.Arsh32Imm: r[insn->Dst] = (uint)((int)r[insn->Dst] >> (insn->Imm & 31)); continue;
                case VmOp.Arsh32Reg: r[insn->Dst] = (uint)((int)r[insn->Dst] >> (int)(r[insn->Src] & 31)); continue;
                case VmOp.Neg32: r[insn->Dst] = (uint)-(int)r[insn->Dst]; continue;
                case VmOp.Mov32Imm: r[insn->Dst] = (uint)insn->Imm; continue;
                case VmOp.Mov32Reg: r[insn->Dst] = (uint)r[insn->Src]; continue;
                case VmOp.MovSx8To32: r[insn->Dst] = (uint)(sbyte)r[insn->Src]; continue;
                case VmOp.MovSx16To32: r[insn->Dst] = (uint)(short)r[insn->Src]; continue;

                // ---- byte order ----
                case VmOp.Le16: r[insn->Dst] = (ushort)r[insn->Dst]; continue;
                case VmOp.Le32: r[insn->Dst] = (uint)r[insn->Dst]; continue;
                case VmOp.Swap16: r[insn->Dst] = BinaryPrimitives.ReverseEndianness((ushort)r[insn->Dst]); continue;
                case VmOp.Swap32: r[insn->Dst] = BinaryPrimitives.ReverseEndianness((uint)r[insn->Dst]); continue;
                case VmOp.Swap64: r[insn->Dst] = BinaryPrimitives.ReverseEndianness(r[insn->Dst]); continue;
                case VmOp.Nop: continue;

                // ---- loads ----
                case VmOp.Ldx8:
                    address = r[insn->Src] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 1UL > region->ReadLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    r[insn->Dst] = *p;
                    continue;
                case VmOp.Ldx16:
                    address = r[insn->Src] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 2UL > region->ReadLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    r[insn->Dst] = Unsafe.ReadUnaligned<ushort>(p);
                    continue;
                case VmOp.Ldx32:
                    address = r[insn->Src] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->ReadLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    r[insn->Dst] = Unsafe.ReadUnaligned<uint>(p);
                    continue;
                case VmOp.Ldx64:
                    address = r[insn->Src] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->ReadLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    r[insn->Dst] = Unsafe.ReadUnaligned<ulong>(p);
                    continue;
                case VmOp.Ldxs8:
                    address = r[insn->Src] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 1UL > region->ReadLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    r[insn->Dst] = (ulong)*(sbyte*)p;
                    continue;
                case VmOp.Ldxs16:
                    address = r[insn->Src] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 2UL > region->ReadLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    r[insn->Dst] = (ulong)Unsafe.ReadUnaligned<short>(p);
                    continue;
                case VmOp.Ldxs32:
                    address = r[insn->Src] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->ReadLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    r[insn->Dst] = (ulong)Unsafe.ReadUnaligned<int>(p);
                    continue;

                // ---- stores ----
                case VmOp.St8:
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 1UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    *p = (byte)insn->Imm;
                    continue;
                case VmOp.St16:
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 2UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    Unsafe.WriteUnaligned(p, (ushort)insn->Imm);
                    continue;
                case VmOp.St32:
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    Unsafe.WriteUnaligned(p, (uint)insn->Imm);
                    continue;
                case VmOp.St64:
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    Unsafe.WriteUnaligned(p, (ulong)insn->Imm64);
                    continue;
                case VmOp.Stx8:
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 1UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    *p = (byte)r[insn->Src];
                    continue;
                case VmOp.Stx16:
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 2UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    Unsafe.WriteUnaligned(p, (ushort)r[insn->Src]);
                    continue;
                case VmOp.Stx32:
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    Unsafe.WriteUnaligned(p, (uint)r[insn->Src]);
                    continue;
                case VmOp.Stx64:
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    Unsafe.WriteUnaligned(p, r[insn->Src]);
                    continue;

                // ---- loads and stores inside the current frame (bounds proved by the verifier) ----
                case VmOp.FrameLdx8: r[insn->Dst] = frameTop[insn->Offset]; continue;
                case VmOp.FrameLdx16: r[insn->Dst] = Unsafe.ReadUnaligned<ushort>(frameTop + insn->Offset); continue;
                case VmOp.FrameLdx32: r[insn->Dst] = Unsafe.ReadUnaligned<uint>(frameTop + insn->Offset); continue;
                case VmOp.FrameLdx64: r[insn->Dst] = Unsafe.ReadUnaligned<ulong>(frameTop + insn->Offset); continue;
                case VmOp.FrameLdxs8: r[insn->Dst] = (ulong)(sbyte)frameTop[insn->Offset]; continue;
                case VmOp.FrameLdxs16: r[insn->Dst] = (ulong)Unsafe.ReadUnaligned<short>(frameTop + insn->Offset); continue;
                case VmOp.FrameLdxs32: r[insn->Dst] = (ulong)Unsafe.ReadUnaligned<int>(frameTop + insn->Offset); continue;
                case VmOp.FrameSt8: frameTop[insn->Offset] = (byte)insn->Imm; continue;
                case VmOp.FrameSt16: Unsafe.WriteUnaligned(frameTop + insn->Offset, (ushort)insn->Imm); continue;
                case VmOp.FrameSt32: Unsafe.WriteUnaligned(frameTop + insn->Offset, (uint)insn->Imm); continue;
                case VmOp.FrameSt64: Unsafe.WriteUnaligned(frameTop + insn->Offset, (ulong)insn->Imm64); continue;
                case VmOp.FrameStx8: frameTop[insn->Offset] = (byte)r[insn->Src]; continue;
                case VmOp.FrameStx16: Unsafe.WriteUnaligned(frameTop + insn->Offset, (ushort)r[insn->Src]); continue;
                case VmOp.FrameStx32: Unsafe.WriteUnaligned(frameTop + insn->Offset, (uint)r[insn->Src]); continue;
                case VmOp.FrameStx64: Unsafe.WriteUnaligned(frameTop + insn->Offset, r[insn->Src]); continue;

                // ---- atomics: a single-threaded read-modify-write (see VmVerifier); fetch forms return the old value,
                // zero-extended, in src; cmpxchg compares with (the low half of) r0 and returns the old value in r0 ----
                case VmOp.AtomicAdd32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, old + operand);
                    continue;
                }
                case VmOp.AtomicOr32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, old | operand);
                    continue;
                }
                case VmOp.AtomicAnd32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, old & operand);
                    continue;
                }
                case VmOp.AtomicXor32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, old ^ operand);
                    continue;
                }
                case VmOp.AtomicFetchAdd32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, old + operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicFetchOr32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, old | operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicFetchAnd32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, old & operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicFetchXor32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, old ^ operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicXchg32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p), operand = (uint)r[insn->Src];
                    Unsafe.WriteUnaligned(p, operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicCmpXchg32:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 4UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    uint old = Unsafe.ReadUnaligned<uint>(p);
                    if ((uint)r[0] == old) Unsafe.WriteUnaligned(p, (uint)r[insn->Src]);
                    r[0] = old;
                    continue;
                }
                case VmOp.AtomicAdd64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, old + operand);
                    continue;
                }
                case VmOp.AtomicOr64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, old | operand);
                    continue;
                }
                case VmOp.AtomicAnd64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, old & operand);
                    continue;
                }
                case VmOp.AtomicXor64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, old ^ operand);
                    continue;
                }
                case VmOp.AtomicFetchAdd64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, old + operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicFetchOr64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, old | operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicFetchAnd64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, old & operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicFetchXor64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, old ^ operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicXchg64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p), operand = r[insn->Src];
                    Unsafe.WriteUnaligned(p, operand);
                    r[insn->Src] = old;
                    continue;
                }
                case VmOp.AtomicCmpXchg64:
                {
                    address = r[insn->Dst] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->WriteLength) goto MemoryFault;
                    p = region->Base + (uint)address;
                    ulong old = Unsafe.ReadUnaligned<ulong>(p);
                    if (r[0] == old) Unsafe.WriteUnaligned(p, r[insn->Src]);
                    r[0] = old;
                    continue;
                }

                // ---- jumps ----
                case VmOp.Ja: goto Taken;
                case VmOp.Jeq64Imm: if (r[insn->Dst] == (ulong)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jeq64Reg: if (r[insn->Dst] == r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jgt64Imm: if (r[insn->Dst] > (ulong)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jgt64Reg: if (r[insn->Dst] > r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jge64Imm: if (r[insn->Dst] >= (ulong)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jge64Reg: if (r[insn->Dst] >= r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jset64Imm: if ((r[insn->Dst] & (ulong)insn->Imm) != 0) goto Taken; goto NotTaken;
                case VmOp.Jset64Reg: if ((r[insn->Dst] & r[insn->Src]) != 0) goto Taken; goto NotTaken;
                case VmOp.Jne64Imm: if (r[insn->Dst] != (ulong)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jne64Reg: if (r[insn->Dst] != r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jsgt64Imm: if ((long)r[insn->Dst] > insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jsgt64Reg: if ((long)r[insn->Dst] > (long)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jsge64Imm: if ((long)r[insn->Dst] >= insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jsge64Reg: if ((long)r[insn->Dst] >= (long)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jlt64Imm: if (r[insn->Dst] < (ulong)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jlt64Reg: if (r[insn->Dst] < r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jle64Imm: if (r[insn->Dst] <= (ulong)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jle64Reg: if (r[insn->Dst] <= r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jslt64Imm: if ((long)r[insn->Dst] < insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jslt64Reg: if ((long)r[insn->Dst] < (long)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jsle64Imm: if ((long)r[insn->Dst] <= insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jsle64Reg: if ((long)r[insn->Dst] <= (long)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jeq32Imm: if ((uint)r[insn->Dst] == (uint)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jeq32Reg: if ((uint)r[insn->Dst] == (uint)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jgt32Imm: if ((uint)r[insn->Dst] > (uint)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jgt32Reg: if ((uint)r[insn->Dst] > (uint)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jge32Imm: if ((uint)r[insn->Dst] >= (uint)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jge32Reg: if ((uint)r[insn->Dst] >= (uint)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jset32Imm: if (((uint)r[insn->Dst] & (uint)insn->Imm) != 0) goto Taken; goto NotTaken;
                case VmOp.Jset32Reg: if (((uint)r[insn->Dst] & (uint)r[insn->Src]) != 0) goto Taken; goto NotTaken;
                case VmOp.Jne32Imm: if ((uint)r[insn->Dst] != (uint)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jne32Reg: if ((uint)r[insn->Dst] != (uint)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jsgt32Imm: if ((int)r[insn->Dst] > insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jsgt32Reg: if ((int)r[insn->Dst] > (int)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jsge32Imm: if ((int)r[insn->Dst] >= insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jsge32Reg: if ((int)r[insn->Dst] >= (int)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jlt32Imm: if ((uint)r[insn->Dst] < (uint)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jlt32Reg: if ((uint)r[insn->Dst] < (uint)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jle32Imm: if ((uint)r[insn->Dst] <= (uint)insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jle32Reg: if ((uint)r[insn->Dst] <= (uint)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jslt32Imm: if ((int)r[insn->Dst] < insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jslt32Reg: if ((int)r[insn->Dst] < (int)r[insn->Src]) goto Taken; goto NotTaken;
                case VmOp.Jsle32Imm: if ((int)r[insn->Dst] <= insn->Imm) goto Taken; goto NotTaken;
                case VmOp.Jsle32Reg: if ((int)r[insn->Dst] <= (int)r[insn->Src]) goto Taken; goto NotTaken;

                // ---- calls and exit ----
                case VmOp.CallHelper:
                    if ((gas -= insn->Cost) < 0)
                    {
                        cursor.StopPc = (int)(insn - code);
                        happened = VmEvent.OutOfGas;
                        goto Leave;
                    }
                    happened = VmEvent.Helper;
                    goto Leave;
                case VmOp.CallLocal:
                    if (depth + 1 >= VmLimits.MaxCallDepth)
                    {
                        cursor.StopPc = (int)(insn - code);
                        happened = VmEvent.CallDepthExceeded;
                        goto Leave;
                    }
                    if ((gas -= insn->Cost) < 0)
                    {
                        cursor.StopPc = insn->Offset / sizeof(DecodedInstruction);
                        happened = VmEvent.OutOfGas;
                        goto Leave;
                    }
                    {
                        VmFrame* frame = frames + depth;
                        frame->ReturnPc = (int)(insn + 1 - code);
                        frame->ReturnCost = insn->Imm;
                        frame->R6 = r[6];
                        frame->R7 = r[7];
                        frame->R8 = r[8];
                        frame->R9 = r[9];
                    }
                    depth++;
                    if (depth > maxDepth) maxDepth = depth;
                    r[10] += VmLimits.StackFrameSize;
                    frameTop += VmLimits.StackFrameSize;
                    stack->ReadLength = stack->WriteLength = (ulong)(depth + 1) * VmLimits.StackFrameSize;
                    insn = (DecodedInstruction*)((byte*)code + insn->Offset);
                    goto Dispatch;
                case VmOp.Exit:
                    if (depth == 0)
                    {
                        happened = VmEvent.Exit;
                        goto Leave;
                    }
                    {
                        depth--;
                        VmFrame* frame = frames + depth;
                        insn = code + frame->ReturnPc;
                        r[6] = frame->R6;
                        r[7] = frame->R7;
                        r[8] = frame->R8;
                        r[9] = frame->R9;
                        gas -= frame->ReturnCost;
                    }
                    r[10] -= VmLimits.StackFrameSize;
                    frameTop -= VmLimits.StackFrameSize;
                    stack->ReadLength = stack->WriteLength = (ulong)(depth + 1) * VmLimits.StackFrameSize;
                    if (gas < 0)
                    {
                        // Back in the caller, but its next block cannot be paid.
                        cursor.StopPc = (int)(insn - code);
                        happened = VmEvent.OutOfGas;
                        goto Leave;
                    }
                    goto Dispatch;

                // ---- rewritten by VmPeephole: division by a constant ----
                case VmOp.DivMagic64:
                    r[insn->Dst] = VmDivisionByConstant.Divide64(r[insn->Dst], (ulong)insn->Imm64, insn->Src);
                    continue;
                case VmOp.ModMagic64:
                {
                    ulong dividend = r[insn->Dst];
                    r[insn->Dst] = dividend - VmDivisionByConstant.Divide64(dividend, (ulong)insn->Imm64, insn->Src) * (ulong)(long)insn->Offset;
                    continue;
                }
                case VmOp.SDivMagic64:
                    r[insn->Dst] = VmDivisionByConstant.SignedDivide64(r[insn->Dst], (ulong)insn->Imm64, insn->Src, (ulong)(long)(insn->Offset >> 31));
                    continue;
                case VmOp.SModMagic64:
                    r[insn->Dst] = VmDivisionByConstant.SignedRemainder64(r[insn->Dst], (ulong)insn->Imm64, insn->Src, (ulong)Math.Abs((long)insn->Offset));
                    continue;
                case VmOp.DivMagic32:
                    r[insn->Dst] = VmDivisionByConstant.Divide32((uint)r[insn->Dst], (ulong)insn->Imm64);
                    continue;
                case VmOp.ModMagic32:
                    r[insn->Dst] = VmDivisionByConstant.Remainder32((uint)r[insn->Dst], (ulong)insn->Imm64, (uint)insn->Offset);
                    continue;
                case VmOp.SDivMagic32:
                    r[insn->Dst] = VmDivisionByConstant.SignedDivide32((uint)r[insn->Dst], (ulong)insn->Imm64, (uint)(insn->Offset >> 31));
                    continue;
                case VmOp.SModMagic32:
                    r[insn->Dst] = VmDivisionByConstant.SignedRemainder32((uint)r[insn->Dst], (ulong)insn->Imm64, (uint)Math.Abs((long)insn->Offset));
                    continue;

                // ---- rewritten by VmPeephole: fused groups; each skips the instructions it absorbed ----
                case VmOp.MovAdd64Imm: r[insn->Dst] = r[insn->Src] + (ulong)insn->Imm64; insn++; continue;
                case VmOp.MovSub64Imm: r[insn->Dst] = r[insn->Src] - (ulong)insn->Imm64; insn++; continue;
                case VmOp.MovMul64Imm: r[insn->Dst] = r[insn->Src] * (ulong)insn->Imm64; insn++; continue;
                case VmOp.MovOr64Imm: r[insn->Dst] = r[insn->Src] | (ulong)insn->Imm64; insn++; continue;
                case VmOp.MovAnd64Imm: r[insn->Dst] = r[insn->Src] & (ulong)insn->Imm64; insn++; continue;
                case VmOp.MovXor64Imm: r[insn->Dst] = r[insn->Src] ^ (ulong)insn->Imm64; insn++; continue;
                case VmOp.MovLsh64Imm: r[insn->Dst] = r[insn->Src] << (int)(insn->Imm64 & 63); insn++; continue;
                case VmOp.MovRsh64Imm: r[insn->Dst] = r[insn->Src] >> (int)(insn->Imm64 & 63); insn++; continue;
                case VmOp.MovArsh64Imm: r[insn->Dst] = (ulong)((long)r[insn->Src] >> (int)(insn->Imm64 & 63)); insn++; continue;
                case VmOp.MovAdd64Reg: r[insn->Dst] = r[insn->Src] + r[insn->Src2]; insn++; continue;
                case VmOp.MovSub64Reg: r[insn->Dst] = r[insn->Src] - r[insn->Src2]; insn++; continue;
                case VmOp.MovMul64Reg: r[insn->Dst] = r[insn->Src] * r[insn->Src2]; insn++; continue;
                case VmOp.MovOr64Reg: r[insn->Dst] = r[insn->Src] | r[insn->Src2]; insn++; continue;
                case VmOp.MovAnd64Reg: r[insn->Dst] = r[insn->Src] & r[insn->Src2]; insn++; continue;
                case VmOp.MovXor64Reg: r[insn->Dst] = r[insn->Src] ^ r[insn->Src2]; insn++; continue;
                case VmOp.MovLsh64Reg: r[insn->Dst] = r[insn->Src] << (int)(r[insn->Src2] & 63); insn++; continue;
                case VmOp.MovRsh64Reg: r[insn->Dst] = r[insn->Src] >> (int)(r[insn->Src2] & 63); insn++; continue;
                case VmOp.MovArsh64Reg: r[insn->Dst] = (ulong)((long)r[insn->Src] >> (int)(r[insn->Src2] & 63)); insn++; continue;
                case VmOp.ZeroExtendPair: r[insn->Dst] = (uint)r[insn->Dst]; insn++; continue;
                case VmOp.MovZeroExtendTriple: r[insn->Dst] = (uint)r[insn->Src]; insn += 2; continue;
                case VmOp.Add64ImmThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] + (ulong)insn->Imm64); insn += 2; continue;
                case VmOp.Sub64ImmThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] - (ulong)insn->Imm64); insn += 2; continue;
                case VmOp.Mul64ImmThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] * (ulong)insn->Imm64); insn += 2; continue;
                case VmOp.Or64ImmThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] | (ulong)insn->Imm64); insn += 2; continue;
                case VmOp.And64ImmThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] & (ulong)insn->Imm64); insn += 2; continue;
                case VmOp.Xor64ImmThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] ^ (ulong)insn->Imm64); insn += 2; continue;
                case VmOp.Add64RegThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] + r[insn->Src]); insn += 2; continue;
                case VmOp.Sub64RegThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] - r[insn->Src]); insn += 2; continue;
                case VmOp.Mul64RegThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] * r[insn->Src]); insn += 2; continue;
                case VmOp.Or64RegThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] | r[insn->Src]); insn += 2; continue;
                case VmOp.And64RegThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] & r[insn->Src]); insn += 2; continue;
                case VmOp.Xor64RegThenZeroExtend: r[insn->Dst] = (uint)(r[insn->Dst] ^ r[insn->Src]); insn += 2; continue;
                // Chained pairs: the first member here, then the second from its own slot, so that a fault there is
                // reported at the second's instruction as it would be without the fusion.
                case VmOp.Xor64RegThenStx64:
                    r[insn->Dst] ^= r[insn->Src];
                    insn++;
                    goto case VmOp.Stx64;
                case VmOp.FrameLdx64ThenXor64Reg:
                    r[insn->Dst] = Unsafe.ReadUnaligned<ulong>(frameTop + insn->Offset);
                    insn++;
                    goto case VmOp.Xor64Reg;
                case VmOp.Ldx64ThenFrameStx64:
                    address = r[insn->Src] + (ulong)insn->Offset;
                    region = regions + ((index = address >> VmMemoryMap.RegionShift) < UnmappedRegion ? index : UnmappedRegion);
                    if ((uint)address + 8UL > region->ReadLength) goto MemoryFault;
                    r[insn->Dst] = Unsafe.ReadUnaligned<ulong>(region->Base + (uint)address);
                    insn++;
                    goto case VmOp.FrameStx64;

                default:
                    // The verifier emits only the operations above; reaching here is a bug in this VM.
                    throw UndefinedOperation(insn->Op, (int)(insn - code));
            }

            Taken:
                if ((gas -= insn->Cost) < 0)
                {
                    cursor.StopPc = insn->Offset / sizeof(DecodedInstruction);
                    happened = VmEvent.OutOfGas;
                    goto Leave;
                }
                insn = (DecodedInstruction*)((byte*)code + insn->Offset);
                goto Dispatch;

            NotTaken:
                if ((gas -= insn->FallCost) < 0)
                {
                    cursor.StopPc = (int)(insn + 1 - code);
                    happened = VmEvent.OutOfGas;
                    goto Leave;
                }
                continue;

            MemoryFault:
                cursor.StopPc = (int)(insn - code);
                cursor.FaultAddress = address;
                happened = VmEvent.MemoryFault;
                goto Leave;
        }

    Leave:
        // After a helper call, the instruction after it (the other events do not resume).
        cursor.Pc = (int)(insn + 1 - code);
        cursor.Gas = gas;
        cursor.Depth = depth;
        cursor.MaxDepth = maxDepth;
        return happened;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException UndefinedOperation(VmOp op, int pc) =>
        new($"VM: undefined decoded operation {op} at {pc}");
}
