using System.Numerics;

namespace NexusFast.Engine.Vm;

/// <summary>
/// Rewrites verified, laid-out code into equivalent forms that run faster, once at load time:
/// <list type="bullet">
/// <item>division and modulo by an immediate become a shift, a mask or a multiplication by the reciprocal
/// (<see cref="VmDivisionByConstant"/>); a zero divisor, and the signed divisors 1 and -1, keep their plain forms;</item>
/// <item>common pairs and triples become one instruction (a superinstruction), which saves the dispatch of the ones
/// after the first and keeps the intermediate value out of the register file.</item>
/// </list>
/// The rewrite never changes what a run does or what it costs: gas was computed per basic block from the original
/// operations before this pass, a fused group never spans a block (no instruction after its first is a jump or call
/// target, and jumps, calls, Gas and exits are never fused), and a fault or an out-of-gas stop reports the same
/// instruction slot as before. A fused instruction stays in the first
/// member's place and the interpreter skips the members after it, which are left as they were; the code does not move,
/// so jump offsets and the slot map stay valid. A chained pair ("X then Y") may contain one memory access, since the
/// interpreter runs each member from its own slot and a fault is reported at the member that faulted.
/// </summary>
internal static class VmPeephole
{
    private const int ZeroExtendShift = 32;

    public static void Rewrite(DecodedInstruction[] code, int entryPc)
    {
        for (int pc = 0; pc < code.Length; pc++) ReduceDivision(ref code[pc]);

        bool[] isTarget = FindTargets(code, entryPc);
        for (int pc = 0; pc < code.Length; pc++)
        {
            int fused = TryFuse(code, pc, isTarget);
            pc += fused;
        }
    }

    /// <summary>Instructions control can reach other than by running on from the one before.</summary>
    private static bool[] FindTargets(DecodedInstruction[] code, int entryPc)
    {
        var isTarget = new bool[code.Length];
        isTarget[entryPc] = true;
        for (int pc = 0; pc < code.Length; pc++)
        {
            VmOp op = code[pc].Op;
            if (op is >= VmOp.Ja and <= VmOp.Jsle32Reg or VmOp.CallLocal)
                isTarget[code[pc].Offset / DecodedInstruction.Size] = true;
            // Returns from local and host calls resume after the call.
            if (op is VmOp.CallLocal or VmOp.CallHelper && pc + 1 < code.Length) isTarget[pc + 1] = true;
        }
        return isTarget;
    }

    /// <summary>Fuses the group starting at <paramref name="pc"/> if there is one; returns how many instructions after
    /// the first it absorbed (0 when nothing was fused).</summary>
    private static int TryFuse(DecodedInstruction[] code, int pc, bool[] isTarget)
    {
        ref DecodedInstruction first = ref code[pc];
        if (!CanFollow(code, pc + 1, isTarget)) return 0;
        ref DecodedInstruction second = ref code[pc + 1];

        if (first.Op == VmOp.Mov64Reg && second.Dst == first.Dst)
        {
            if (IsZeroExtendPair(code, pc + 1, isTarget))
            {
                first.Op = VmOp.MovZeroExtendTriple;
                return 2;
            }
            VmOp fused = MovFusion(second.Op);
            if (fused == VmOp.Nop) return 0;
            if (fused >= VmOp.MovAdd64Reg)
            {
                // After the mov, reading dst is reading src.
                first.Src2 = second.Src == first.Dst ? first.Src : second.Src;
            }
            else
            {
                first.Imm64 = second.Imm64;
            }
            first.Op = fused;
            return 1;
        }
        VmOp narrowed = NarrowedTo32(first.Op);
        if (narrowed != VmOp.Nop && IsZeroExtendPair(code, pc + 1, isTarget) && second.Dst == first.Dst)
        {
            first.Op = narrowed;
            return 2;
        }
        if (IsZeroExtendPair(code, pc, isTarget))
        {
            first.Op = VmOp.ZeroExtendPair;
            return 1;
        }
        VmOp chained = (first.Op, second.Op) switch
        {
            // Keccak-style code: a lane xored and stored, a spilled value loaded and xored in, a lane copied to the stack.
            (VmOp.Xor64Reg, VmOp.Stx64) when second.Src == first.Dst => VmOp.Xor64RegThenStx64,
            (VmOp.FrameLdx64, VmOp.Xor64Reg) when second.Src == first.Dst => VmOp.FrameLdx64ThenXor64Reg,
            (VmOp.Ldx64, VmOp.FrameStx64) when second.Src == first.Dst => VmOp.Ldx64ThenFrameStx64,
            _ => VmOp.Nop,
        };
        if (chained == VmOp.Nop) return 0;
        first.Op = chained;
        return 1;
    }

    private static bool CanFollow(DecodedInstruction[] code, int pc, bool[] isTarget) =>
        pc < code.Length && !isTarget[pc];

    /// <summary>"lsh dst, 32" at <paramref name="pc"/> followed by "rsh dst, 32" that control cannot enter by itself.</summary>
    private static bool IsZeroExtendPair(DecodedInstruction[] code, int pc, bool[] isTarget) =>
        code[pc].Op == VmOp.Lsh64Imm && code[pc].Imm64 == ZeroExtendShift && CanFollow(code, pc + 1, isTarget)
        && code[pc + 1].Op == VmOp.Rsh64Imm && code[pc + 1].Imm64 == ZeroExtendShift && code[pc + 1].Dst == code[pc].Dst;

    /// <summary>The operations whose low 32 bits depend only on the low 32 bits of their operands, fused with a zero
    /// extension after them; <see cref="VmOp.Nop"/> for any other.</summary>
    private static VmOp NarrowedTo32(VmOp op) => op switch
    {
        VmOp.Add64Imm => VmOp.Add64ImmThenZeroExtend,
        VmOp.Sub64Imm => VmOp.Sub64ImmThenZeroExtend,
        VmOp.Mul64Imm => VmOp.Mul64ImmThenZeroExtend,
        VmOp.Or64Imm => VmOp.Or64ImmThenZeroExtend,
        VmOp.And64Imm => VmOp.And64ImmThenZeroExtend,
        VmOp.Xor64Imm => VmOp.Xor64ImmThenZeroExtend,
        VmOp.Add64Reg => VmOp.Add64RegThenZeroExtend,
        VmOp.Sub64Reg => VmOp.Sub64RegThenZeroExtend,
        VmOp.Mul64Reg => VmOp.Mul64RegThenZeroExtend,
        VmOp.Or64Reg => VmOp.Or64RegThenZeroExtend,
        VmOp.And64Reg => VmOp.And64RegThenZeroExtend,
        VmOp.Xor64Reg => VmOp.Xor64RegThenZeroExtend,
        _ => VmOp.Nop,
    };

    private static VmOp MovFusion(VmOp second) => second switch
    {
        VmOp.Add64Imm => VmOp.MovAdd64Imm,
        VmOp.Sub64Imm => VmOp.MovSub64Imm,
        VmOp.Mul64Imm => VmOp.MovMul64Imm,
        VmOp.Or64Imm => VmOp.MovOr64Imm,
        VmOp.And64Imm => VmOp.MovAnd64Imm,
        VmOp.Xor64Imm => VmOp.MovXor64Imm,
        VmOp.Lsh64Imm => VmOp.MovLsh64Imm,
        VmOp.Rsh64Imm => VmOp.MovRsh64Imm,
        VmOp.Arsh64Imm => VmOp.MovArsh64Imm,
        VmOp.Add64Reg => VmOp.MovAdd64Reg,
        VmOp.Sub64Reg => VmOp.MovSub64Reg,
        VmOp.Mul64Reg => VmOp.MovMul64Reg,
        VmOp.Or64Reg => VmOp.MovOr64Reg,
        VmOp.And64Reg => VmOp.MovAnd64Reg,
        VmOp.Xor64Reg => VmOp.MovXor64Reg,
        VmOp.Lsh64Reg => VmOp.MovLsh64Reg,
        VmOp.Rsh64Reg => VmOp.MovRsh64Reg,
        VmOp.Arsh64Reg => VmOp.MovArsh64Reg,
        _ => VmOp.Nop,
    };

    /// <summary>
    /// Strength-reduces a division or modulo by an immediate. ALU64 immediates are sign-extended to 64 bits, ALU32 ones
    /// taken as their low 32 bits (RFC 9669 section 4.1); the rewritten forms compute the same function of the
    /// dividend, including the RFC's wrapping of the signed minimum.
    /// </summary>
    private static void ReduceDivision(ref DecodedInstruction insn)
    {
        int imm = (int)insn.Imm64;
        switch (insn.Op)
        {
            case VmOp.Div64Imm or VmOp.Mod64Imm:
            {
                ulong divisor = (ulong)(long)imm;
                if (divisor == 0) return;
                bool isDivision = insn.Op == VmOp.Div64Imm;
                if (BitOperations.IsPow2(divisor))
                {
                    // n / 2^k = n >> k and n % 2^k = n & (2^k - 1), for 1 = 2^0 too.
                    insn.Op = isDivision ? VmOp.Rsh64Imm : VmOp.And64Imm;
                    insn.Imm64 = isDivision ? BitOperations.Log2(divisor) : (long)(divisor - 1);
                    return;
                }
                (ulong magic, byte shift) = VmDivisionByConstant.Reciprocal64(divisor);
                insn.Op = isDivision ? VmOp.DivMagic64 : VmOp.ModMagic64;
                SetMagic(ref insn, magic, shift, imm);
                return;
            }
            case VmOp.SDiv64Imm or VmOp.SMod64Imm:
            {
                ulong magnitude = (ulong)Math.Abs((long)imm);
                // 0 and -1 have their own RFC results, 1 and powers of two have no reciprocal here: all stay as they are.
                if (magnitude <= 1 || BitOperations.IsPow2(magnitude)) return;
                (ulong magic, byte shift) = VmDivisionByConstant.Reciprocal64(magnitude);
                insn.Op = insn.Op == VmOp.SDiv64Imm ? VmOp.SDivMagic64 : VmOp.SModMagic64;
                SetMagic(ref insn, magic, shift, imm);
                return;
            }
            case VmOp.Div32Imm or VmOp.Mod32Imm:
            {
                uint divisor = (uint)imm;
                if (divisor == 0) return;
                bool isDivision = insn.Op == VmOp.Div32Imm;
                if (BitOperations.IsPow2(divisor))
                {
                    insn.Op = isDivision ? VmOp.Rsh32Imm : VmOp.And32Imm;
                    insn.Imm64 = isDivision ? BitOperations.Log2(divisor) : divisor - 1;
                    return;
                }
                insn.Op = isDivision ? VmOp.DivMagic32 : VmOp.ModMagic32;
                SetMagic(ref insn, VmDivisionByConstant.Reciprocal32(divisor), 0, imm);
                return;
            }
            case VmOp.SDiv32Imm or VmOp.SMod32Imm:
            {
                uint magnitude = (uint)Math.Abs((long)imm);
                if (magnitude <= 1) return;
                insn.Op = insn.Op == VmOp.SDiv32Imm ? VmOp.SDivMagic32 : VmOp.SModMagic32;
                SetMagic(ref insn, VmDivisionByConstant.Reciprocal32(magnitude), 0, imm);
                return;
            }
        }
    }

    private static void SetMagic(ref DecodedInstruction insn, ulong magic, byte shift, int imm)
    {
        insn.Imm64 = (long)magic;
        insn.Src = shift;
        insn.Offset = imm;
    }
}
