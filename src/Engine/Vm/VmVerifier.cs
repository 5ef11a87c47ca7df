using System.Buffers.Binary;

namespace NexusFast.Engine.Vm;

/// <summary>
/// Checks a program once, at deployment, and turns it into the form the interpreter runs. Everything that can be
/// decided before running is decided here, so the interpreter needs no checks beyond memory bounds, gas and call depth:
/// <list type="bullet">
/// <item>every slot is an RFC 9669 instruction this VM implements, with its unused fields zero (section 3), registers
/// r0..r10 and no instruction writing r10;</item>
/// <item>every jump and local call lands inside the program, on an instruction (never the second slot of an lddw);</item>
/// <item>no path falls off the end of the program or of a function: an instruction that continues to the next slot
/// is never the last of either, and jumps stay inside their function. Loops are allowed; gas bounds them;</item>
/// <item>every helper id is in the <see cref="VmHelperCatalog"/>;</item>
/// <item>the gas of every basic block is computed and attached to the instructions that enter it;</item>
/// <item>last, <see cref="VmPeephole"/> rewrites the laid-out code into equivalent faster forms (division by constants,
/// fused instructions), which changes neither gas nor the instruction a stop is reported at.</item>
/// </list>
/// Call depth cannot be bounded statically once recursion is allowed (clang emits it for recursive C), so the
/// interpreter enforces <see cref="VmLimits.MaxCallDepth"/> when a call is made.
/// <para>
/// Atomics (RFC 9669 section 5.3) are accepted. A run is single-threaded, so each is an ordinary read-modify-write,
/// as cheap and deterministic as a load plus a store; clang 14 emits them for C's <c>__sync_*</c> builtins even at
/// <c>-mcpu=v1</c>, and refusing them would only turn working contracts away.
/// </para>
/// Immediate-64 loads other than src=0 (map fds, BTF ids, code addresses: RFC 9669 section 5.4) name kernel objects
/// that do not exist here, so they are refused. Legacy packet access (section 5.5) and <c>callx</c> (0x8d, not in the
/// RFC) are refused too.
/// </summary>
internal static class VmVerifier
{
    private const byte ClassLd = 0x00, ClassLdx = 0x01, ClassSt = 0x02, ClassStx = 0x03;
    private const byte ClassAlu32 = 0x04, ClassJmp = 0x05, ClassJmp32 = 0x06, ClassAlu64 = 0x07;
    private const byte SourceReg = 0x08;
    private const byte ModeImm = 0x00, ModeMem = 0x60, ModeMemSx = 0x80, ModeAtomic = 0xc0;
    private const byte SizeW = 0x00, SizeH = 0x08, SizeB = 0x10, SizeDw = 0x18;
    private const int FramePointer = 10;

    private enum Flow : byte { Next, Branch, Jump, Exit, Call, SecondSlot }

    internal readonly record struct Output(DecodedInstruction[] Code, int[] SlotOfInstruction, int EntryPc, int EntryCost);

    /// <param name="rewrite">Whether <see cref="VmPeephole"/> runs; tests turn it off to compare the plain code with
    /// the rewritten one.</param>
    public static Output Verify(ReadOnlySpan<byte> code, int entrySlot, VmHelperCatalog helpers, bool rewrite = true)
    {
        if (code.Length == 0) throw new VmVerificationException(-1, "the program has no instructions");
        if (code.Length % 8 != 0)
            throw new VmVerificationException(-1, $"code is {code.Length} bytes, not a whole number of 8-byte instructions");
        int slots = code.Length / 8;
        if (slots > VmLimits.MaxInstructionSlots)
            throw new VmVerificationException(VmLimits.MaxInstructionSlots,
                $"the program has {slots} instruction slots; at most {VmLimits.MaxInstructionSlots} are allowed");
        if ((uint)entrySlot >= (uint)slots)
            throw new VmVerificationException(-1, $"entry instruction {entrySlot} is outside the program (0..{slots - 1})");

        var decoded = new DecodedInstruction[slots];
        var flow = new Flow[slots];
        var target = new int[slots];
        for (int i = 0; i < slots; i++)
        {
            if (flow[i] == Flow.SecondSlot) continue;
            flow[i] = DecodeOne(code, i, slots, helpers, ref decoded[i], out target[i]);
            if (decoded[i].Op == VmOp.Mov64Imm && code[i * 8] == 0x18) flow[i + 1] = Flow.SecondSlot;
        }

        CheckTargetsAndFallThrough(flow, target, entrySlot, slots);
        bool[] leader = FindLeaders(flow, target, entrySlot, slots);
        int[] blockCost = ComputeBlockCosts(decoded, flow, leader, slots);
        Output output = Lay(decoded, flow, target, leader, blockCost, entrySlot, slots);
        // Gas is fixed by now, so the rewrite cannot change what a run costs.
        if (rewrite) VmPeephole.Rewrite(output.Code, output.EntryPc);
        return output;
    }

    /// <summary>
    /// Functions start at slot 0, at the entry and at every local-call target, and each runs to the next start. A jump
    /// must stay inside its function and no function may run on into the next one (its last instruction is exit or
    /// ja), as in Linux's verifier: clang never emits anything else, and it keeps a callee's frame from being entered
    /// without a call.
    /// </summary>
    private static void CheckTargetsAndFallThrough(Flow[] flow, int[] target, int entrySlot, int slots)
    {
        if (flow[entrySlot] == Flow.SecondSlot)
            throw new VmVerificationException(entrySlot, "the entry point is the second slot of an lddw");
        var functionStart = new bool[slots];
        functionStart[0] = true;
        functionStart[entrySlot] = true;
        for (int i = 0; i < slots; i++)
        {
            Flow f = flow[i];
            if (f is not (Flow.Branch or Flow.Jump or Flow.Call)) continue;
            string what = f == Flow.Call ? "call" : "jump";
            int t = target[i];
            if ((uint)t >= (uint)slots)
                throw new VmVerificationException(i, $"{what} target {t} is outside the program (0..{slots - 1})");
            if (flow[t] == Flow.SecondSlot)
                throw new VmVerificationException(i, $"{what} target {t} is the second slot of an lddw");
            if (f == Flow.Call) functionStart[t] = true;
        }

        var functionOf = new int[slots];
        int current = 0;
        for (int i = 0; i < slots; i++)
        {
            if (functionStart[i]) current = i;
            functionOf[i] = current;
        }
        for (int i = 0; i < slots; i++)
        {
            Flow f = flow[i];
            if (f is Flow.Branch or Flow.Jump && functionOf[target[i]] != functionOf[i])
            {
                throw new VmVerificationException(i,
                    $"jump target {target[i]} is outside the function that starts at {functionOf[i]}");
            }
            if (f is Flow.Next or Flow.Branch or Flow.Call)
            {
                int next = i + 1 < slots && flow[i + 1] == Flow.SecondSlot ? i + 2 : i + 1;
                if (next >= slots)
                    throw new VmVerificationException(i, "execution can fall off the end of the program (the last instruction must be exit or ja)");
                if (functionStart[next])
                {
                    throw new VmVerificationException(i,
                        $"execution can run on into the function at {next} (a function must end with exit or ja)");
                }
            }
        }
    }

    /// <summary>A block starts at the entry, at slot 0, at every jump or call target and after every instruction that
    /// can transfer control, so each block is entered only at its first instruction.</summary>
    private static bool[] FindLeaders(Flow[] flow, int[] target, int entrySlot, int slots)
    {
        var leader = new bool[slots];
        leader[0] = true;
        leader[entrySlot] = true;
        for (int i = 0; i < slots; i++)
        {
            Flow f = flow[i];
            if (f is Flow.Branch or Flow.Jump or Flow.Call) leader[target[i]] = true;
            if (f is Flow.Branch or Flow.Jump or Flow.Exit or Flow.Call && i + 1 < slots) leader[i + 1] = true;
        }
        return leader;
    }

    private static int[] ComputeBlockCosts(DecodedInstruction[] decoded, Flow[] flow, bool[] leader, int slots)
    {
        var cost = new int[slots];
        int start = 0;
        for (int i = 0; i < slots; i++)
        {
            if (leader[i]) start = i;
            if (flow[i] != Flow.SecondSlot) cost[start] += GasOf(decoded[i].Op);
        }
        return cost;
    }

    private static int GasOf(VmOp op) => op switch
    {
        VmOp.Div64Imm or VmOp.Div64Reg or VmOp.SDiv64Imm or VmOp.SDiv64Reg or VmOp.Mod64Imm or VmOp.Mod64Reg
            or VmOp.SMod64Imm or VmOp.SMod64Reg or VmOp.Div32Imm or VmOp.Div32Reg or VmOp.SDiv32Imm or VmOp.SDiv32Reg
            or VmOp.Mod32Imm or VmOp.Mod32Reg or VmOp.SMod32Imm or VmOp.SMod32Reg => VmGas.Division,
        _ => VmGas.Instruction,
    };

    /// <summary>
    /// Places the instructions in their final order. A <see cref="VmOp.Gas"/> instruction goes in front of every block
    /// that can be entered by running on from the previous instruction, except where a conditional jump pays for the
    /// block after it; jumps and calls charge the block they enter themselves and land after it, and an exit charges
    /// the block it returns to, so neither a loop's back edge, its exit test nor a return costs an extra dispatch.
    /// </summary>
    private static Output Lay(DecodedInstruction[] decoded, Flow[] flow, int[] target, bool[] leader, int[] blockCost, int entrySlot, int slots)
    {
        var needsGas = new bool[slots];
        var pcOfSlot = new int[slots];
        int count = 0;
        Flow previous = Flow.Exit;
        for (int i = 0; i < slots; i++)
        {
            if (flow[i] == Flow.SecondSlot) continue;
            // A block after a conditional jump is paid by the jump's not-taken path when its cost fits the byte the
            // decoded jump has for it, which saves a dispatch each time a loop runs on past its exit test.
            // Likewise the block a local call returns to is paid by the exit that returns there (the call records its
            // cost in the frame).
            bool paidByBranch = previous == Flow.Branch && blockCost[i] <= byte.MaxValue;
            if (leader[i] && previous is Flow.Next or Flow.Branch && !paidByBranch)
            {
                needsGas[i] = true;
                count++;
            }
            pcOfSlot[i] = count++;
            previous = flow[i];
        }

        var code = new DecodedInstruction[count];
        var slotOf = new int[count];
        for (int i = 0; i < slots; i++)
        {
            if (flow[i] == Flow.SecondSlot) continue;
            int pc = pcOfSlot[i];
            if (needsGas[i])
            {
                code[pc - 1] = new DecodedInstruction { Op = VmOp.Gas, Cost = blockCost[i] };
                slotOf[pc - 1] = i;
            }
            DecodedInstruction insn = decoded[i];
            if (flow[i] is Flow.Branch or Flow.Jump)
            {
                insn.Offset = pcOfSlot[target[i]] * DecodedInstruction.Size;
                insn.Cost = blockCost[target[i]];
                // The verifier made i + 1 a leader inside the program; without a Gas instruction there, the jump pays it.
                if (flow[i] == Flow.Branch && !needsGas[i + 1]) insn.FallCost = (byte)blockCost[i + 1];
            }
            else if (flow[i] == Flow.Call && insn.Op == VmOp.CallLocal)
            {
                insn.Offset = pcOfSlot[target[i]] * DecodedInstruction.Size;
                insn.Cost = blockCost[target[i]] + VmGas.CallFrame;
                insn.Imm = blockCost[i + 1];
            }
            code[pc] = insn;
            slotOf[pc] = i;
        }
        return new Output(code, slotOf, pcOfSlot[entrySlot], blockCost[entrySlot]);
    }

    private static Flow DecodeOne(ReadOnlySpan<byte> code, int i, int slots, VmHelperCatalog helpers, ref DecodedInstruction insn, out int target)
    {
        ReadOnlySpan<byte> raw = code.Slice(i * 8, 8);
        byte opcode = raw[0];
        int dst = raw[1] & 0x0f;
        int src = raw[1] >> 4;
        short offset = BinaryPrimitives.ReadInt16LittleEndian(raw[2..]);
        int imm = BinaryPrimitives.ReadInt32LittleEndian(raw[4..]);
        target = 0;
        if (dst > FramePointer) throw new VmVerificationException(i, $"destination register r{dst} does not exist");
        if (src > FramePointer) throw new VmVerificationException(i, $"source register r{src} does not exist");
        insn.Dst = (byte)dst;
        insn.Src = (byte)src;

        switch (opcode & 0x07)
        {
            case ClassAlu32:
            case ClassAlu64:
                insn.Op = DecodeAlu(i, opcode, dst, src, offset, imm);
                insn.Imm64 = imm;
                return Flow.Next;
            case ClassLd:
                insn.Op = VmOp.Mov64Imm;
                insn.Imm64 = (long)DecodeLddw(code, i, slots, opcode, dst, src, offset, imm);
                return Flow.Next;
            case ClassLdx:
                if (imm != 0) throw Unused(i, "imm");
                RequireWritable(i, dst);
                insn.Op = InFrame(DecodeLoad(i, opcode), opcode, src, offset);
                insn.Offset = offset;
                return Flow.Next;
            case ClassSt:
                if ((opcode & 0xe0) != ModeMem) throw Unsupported(i, opcode);
                if (src != 0) throw Unused(i, "src");
                insn.Op = InFrame((opcode & 0x18) switch { SizeB => VmOp.St8, SizeH => VmOp.St16, SizeW => VmOp.St32, _ => VmOp.St64 }, opcode, dst, offset);
                insn.Offset = offset;
                insn.Imm64 = imm;
                return Flow.Next;
            case ClassStx:
                insn.Op = DecodeStx(i, opcode, src, imm);
                if (insn.Op is >= VmOp.Stx8 and <= VmOp.Stx64) insn.Op = InFrame(insn.Op, opcode, dst, offset);
                insn.Offset = offset;
                return Flow.Next;
            default:
                return DecodeJump(i, opcode, dst, src, offset, imm, helpers, ref insn, out target);
        }
    }

    /// <summary>
    /// A load or store whose base is r10 and whose bytes lie inside the current frame becomes its Frame* twin, which
    /// the interpreter runs without a bounds check: r10 cannot be written (checked above), so it always points at the
    /// top of the current frame, and the frame is always mapped.
    /// </summary>
    private static VmOp InFrame(VmOp op, byte opcode, int baseRegister, short offset)
    {
        int width = (opcode & 0x18) switch { SizeB => 1, SizeH => 2, SizeW => 4, _ => 8 };
        bool inside = baseRegister == FramePointer && offset >= -VmLimits.StackFrameSize && offset + width <= 0;
        return inside ? op + (VmOp.FrameLdx8 - VmOp.Ldx8) : op;
    }

    private static ulong DecodeLddw(ReadOnlySpan<byte> code, int i, int slots, byte opcode, int dst, int src, short offset, int imm)
    {
        if (opcode != 0x18)
        {
            throw new VmVerificationException(i, (opcode & 0xe0) is 0x20 or 0x40
                ? $"opcode 0x{opcode:x2} is a legacy packet access (RFC 9669 section 5.5), which this VM does not support"
                : $"opcode 0x{opcode:x2} is not a valid instruction");
        }
        if (src != 0)
        {
            throw new VmVerificationException(i,
                $"lddw with src={src} loads a map, BTF or code address (RFC 9669 section 5.4); only src=0 (a plain 64-bit immediate) is supported");
        }
        if (offset != 0) throw Unused(i, "offset");
        RequireWritable(i, dst);
        if (i + 1 >= slots) throw new VmVerificationException(i, "lddw is missing its second slot");
        ReadOnlySpan<byte> second = code.Slice((i + 1) * 8, 8);
        if (second[0] != 0 || second[1] != 0 || second[2] != 0 || second[3] != 0)
            throw new VmVerificationException(i + 1, "the second slot of an lddw must have opcode, registers and offset zero");
        uint high = BinaryPrimitives.ReadUInt32LittleEndian(second[4..]);
        return ((ulong)high << 32) | (uint)imm;
    }

    private static VmOp DecodeLoad(int i, byte opcode)
    {
        int size = opcode & 0x18;
        switch (opcode & 0xe0)
        {
            case ModeMem:
                return size switch { SizeB => VmOp.Ldx8, SizeH => VmOp.Ldx16, SizeW => VmOp.Ldx32, _ => VmOp.Ldx64 };
            case ModeMemSx when size != SizeDw:
                return size switch { SizeB => VmOp.Ldxs8, SizeH => VmOp.Ldxs16, _ => VmOp.Ldxs32 };
            default:
                throw Unsupported(i, opcode);
        }
    }

    private static VmOp DecodeStx(int i, byte opcode, int src, int imm)
    {
        int size = opcode & 0x18;
        switch (opcode & 0xe0)
        {
            case ModeMem:
                if (imm != 0) throw Unused(i, "imm");
                return size switch { SizeB => VmOp.Stx8, SizeH => VmOp.Stx16, SizeW => VmOp.Stx32, _ => VmOp.Stx64 };
            case ModeAtomic when size is SizeW or SizeDw:
                VmOp op = imm switch
                {
                    0x00 => VmOp.AtomicAdd32,
                    0x40 => VmOp.AtomicOr32,
                    0x50 => VmOp.AtomicAnd32,
                    0xa0 => VmOp.AtomicXor32,
                    0x01 => VmOp.AtomicFetchAdd32,
                    0x41 => VmOp.AtomicFetchOr32,
                    0x51 => VmOp.AtomicFetchAnd32,
                    0xa1 => VmOp.AtomicFetchXor32,
                    0xe1 => VmOp.AtomicXchg32,
                    0xf1 => VmOp.AtomicCmpXchg32,
                    _ => throw new VmVerificationException(i, $"atomic operation 0x{imm:x} is not defined by RFC 9669"),
                };
                if ((imm & 0x01) != 0 && imm != 0xf1) RequireWritable(i, src);
                // The 64-bit operations follow the 32-bit ones in the same order.
                return size == SizeW ? op : op + (VmOp.AtomicAdd64 - VmOp.AtomicAdd32);
            default:
                throw Unsupported(i, opcode);
        }
    }

    private static VmOp DecodeAlu(int i, byte opcode, int dst, int src, short offset, int imm)
    {
        bool is64 = (opcode & 0x07) == ClassAlu64;
        bool fromReg = (opcode & SourceReg) != 0;
        int code = opcode & 0xf0;
        RequireWritable(i, dst);

        if (code == 0xd0) return DecodeByteSwap(i, opcode, is64, src, offset, imm);
        if (code == 0x80)
        {
            if (fromReg) throw Unsupported(i, opcode);
            if (src != 0) throw Unused(i, "src");
            if (imm != 0) throw Unused(i, "imm");
            if (offset != 0) throw Unused(i, "offset");
            return is64 ? VmOp.Neg64 : VmOp.Neg32;
        }
        if (code >= 0xe0) throw Unsupported(i, opcode);
        if (fromReg && imm != 0) throw Unused(i, "imm");
        if (!fromReg && src != 0) throw Unused(i, "src");

        // Offset selects a variant for div and mod (1 = signed) and for register mov (sign extension width).
        if (code is 0x30 or 0x90)
        {
            if (offset is not (0 or 1)) throw new VmVerificationException(i, $"offset {offset} of div/mod must be 0 (unsigned) or 1 (signed)");
        }
        else if (code == 0xb0 && fromReg)
        {
            bool valid = offset is 0 or 8 or 16 || (offset == 32 && is64);
            if (!valid) throw new VmVerificationException(i, $"offset {offset} of mov must be 0 or a sign-extension width ({(is64 ? "8, 16, 32" : "8, 16")})");
        }
        else if (offset != 0)
        {
            throw Unused(i, "offset");
        }

        int index = code >> 4;  // add 0, sub 1, mul 2, div 3, or 4, and 5, lsh 6, rsh 7, mod 9, xor a, mov b, arsh c
        VmOp op = index switch
        {
            0x0 => VmOp.Add64Imm,
            0x1 => VmOp.Sub64Imm,
            0x2 => VmOp.Mul64Imm,
            0x3 => offset == 1 ? VmOp.SDiv64Imm : VmOp.Div64Imm,
            0x4 => VmOp.Or64Imm,
            0x5 => VmOp.And64Imm,
            0x6 => VmOp.Lsh64Imm,
            0x7 => VmOp.Rsh64Imm,
            0x9 => offset == 1 ? VmOp.SMod64Imm : VmOp.Mod64Imm,
            0xa => VmOp.Xor64Imm,
            0xc => VmOp.Arsh64Imm,
            _ => VmOp.Mov64Imm,
        };
        if (op == VmOp.Mov64Imm)
        {
            if (!fromReg) return is64 ? VmOp.Mov64Imm : VmOp.Mov32Imm;
            return (offset, is64) switch
            {
                (0, true) => VmOp.Mov64Reg,
                (8, true) => VmOp.MovSx8To64,
                (16, true) => VmOp.MovSx16To64,
                (32, true) => VmOp.MovSx32To64,
                (0, false) => VmOp.Mov32Reg,
                (8, false) => VmOp.MovSx8To32,
                _ => VmOp.MovSx16To32,
            };
        }
        // Each Imm form is followed by its Reg form, and the 32-bit block mirrors the 64-bit one.
        if (fromReg) op++;
        return is64 ? op : op + (VmOp.Add32Imm - VmOp.Add64Imm);
    }

    private static VmOp DecodeByteSwap(int i, byte opcode, bool is64, int src, short offset, int imm)
    {
        if (src != 0) throw Unused(i, "src");
        if (offset != 0) throw Unused(i, "offset");
        if (is64 && opcode != 0xd7) throw Unsupported(i, opcode);
        if (imm is not (16 or 32 or 64)) throw new VmVerificationException(i, $"byte swap width {imm} must be 16, 32 or 64");
        bool toLittle = !is64 && opcode == 0xd4;
        return (toLittle, imm) switch
        {
            (true, 16) => VmOp.Le16,
            (true, 32) => VmOp.Le32,
            (true, _) => VmOp.Nop,
            (false, 16) => VmOp.Swap16,
            (false, 32) => VmOp.Swap32,
            _ => VmOp.Swap64,
        };
    }

    private static Flow DecodeJump(int i, byte opcode, int dst, int src, short offset, int imm, VmHelperCatalog helpers,
        ref DecodedInstruction insn, out int target)
    {
        bool is32 = (opcode & 0x07) == ClassJmp32;
        bool fromReg = (opcode & SourceReg) != 0;
        int code = opcode & 0xf0;
        target = 0;
        switch (code)
        {
            case 0x00:  // ja: JMP takes the offset, JMP32 (gotol) the immediate
                if (fromReg) throw Unsupported(i, opcode);
                if (dst != 0) throw Unused(i, "dst");
                if (src != 0) throw Unused(i, "src");
                if (is32 && offset != 0) throw Unused(i, "offset");
                if (!is32 && imm != 0) throw Unused(i, "imm");
                insn.Op = VmOp.Ja;
                target = i + 1 + (is32 ? imm : offset);
                return Flow.Jump;
            case 0x80:
                if (is32) throw Unsupported(i, opcode);
                if (fromReg)
                    throw new VmVerificationException(i, "callx (opcode 0x8d) is not part of RFC 9669 and is not supported");
                if (dst != 0) throw Unused(i, "dst");
                if (offset != 0) throw Unused(i, "offset");
                if (src == 0)
                {
                    if (!helpers.TryGetGasPrice((uint)imm, out int price))
                        throw new VmVerificationException(i, $"call to unknown helper {(uint)imm}");
                    insn.Op = VmOp.CallHelper;
                    insn.Imm = imm;
                    insn.Cost = price;
                    return Flow.Next;
                }
                if (src == 1)
                {
                    insn.Op = VmOp.CallLocal;
                    target = i + 1 + imm;
                    return Flow.Call;
                }
                throw new VmVerificationException(i, $"call with src={src} (a BTF id) is not supported; use src=0 for helpers, 1 for local calls");
            case 0x90:
                if (is32 || fromReg) throw Unsupported(i, opcode);
                if (dst != 0) throw Unused(i, "dst");
                if (src != 0) throw Unused(i, "src");
                if (offset != 0) throw Unused(i, "offset");
                if (imm != 0) throw Unused(i, "imm");
                insn.Op = VmOp.Exit;
                return Flow.Exit;
            case >= 0xe0:
                throw Unsupported(i, opcode);
        }

        if (fromReg && imm != 0) throw Unused(i, "imm");
        if (!fromReg && src != 0) throw Unused(i, "src");
        VmOp op = code switch
        {
            0x10 => VmOp.Jeq64Imm,
            0x20 => VmOp.Jgt64Imm,
            0x30 => VmOp.Jge64Imm,
            0x40 => VmOp.Jset64Imm,
            0x50 => VmOp.Jne64Imm,
            0x60 => VmOp.Jsgt64Imm,
            0x70 => VmOp.Jsge64Imm,
            0xa0 => VmOp.Jlt64Imm,
            0xb0 => VmOp.Jle64Imm,
            0xc0 => VmOp.Jslt64Imm,
            _ => VmOp.Jsle64Imm,
        };
        if (fromReg) op++;
        insn.Op = is32 ? op + (VmOp.Jeq32Imm - VmOp.Jeq64Imm) : op;
        insn.Imm = imm;
        target = i + 1 + offset;
        return Flow.Branch;
    }

    private static void RequireWritable(int i, int register)
    {
        if (register == FramePointer)
            throw new VmVerificationException(i, "writes r10, the read-only frame pointer");
    }

    private static VmVerificationException Unused(int i, string field) =>
        new(i, $"unused field {field} must be zero (RFC 9669 section 3)");

    private static VmVerificationException Unsupported(int i, byte opcode) =>
        new(i, $"opcode 0x{opcode:x2} is not a valid instruction");
}
