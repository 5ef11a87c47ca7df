namespace NexusFast.Engine.Vm;

/// <summary>
/// The pre-decoded operation of one <see cref="DecodedInstruction"/>. The verifier maps every accepted RFC 9669 opcode
/// (with its offset or immediate where they select a variant: sdiv/smod, movsx, byte swaps, atomics) to exactly one
/// value here, so the interpreter dispatches with a single switch and never looks at the raw encoding again.
/// <c>Imm</c> means the operand is the instruction's immediate, <c>Reg</c> the source register.
/// </summary>
internal enum VmOp : byte
{
    /// <summary>Charges the gas of the basic block that follows; inserted where a block is entered by falling through.</summary>
    Gas,

    // ALU64: 64-bit operands; immediates are sign-extended to 64 bits.
    Add64Imm, Add64Reg, Sub64Imm, Sub64Reg, Mul64Imm, Mul64Reg,
    Div64Imm, Div64Reg, SDiv64Imm, SDiv64Reg, Mod64Imm, Mod64Reg, SMod64Imm, SMod64Reg,
    Or64Imm, Or64Reg, And64Imm, And64Reg, Xor64Imm, Xor64Reg,
    Lsh64Imm, Lsh64Reg, Rsh64Imm, Rsh64Reg, Arsh64Imm, Arsh64Reg, Neg64,
    /// <summary>dst = Imm64: both <c>mov dst, imm</c> (imm sign-extended) and <c>lddw</c> (the full 64-bit value).</summary>
    Mov64Imm,
    Mov64Reg, MovSx8To64, MovSx16To64, MovSx32To64,

    // ALU32: the low 32 bits of the operands; the result is zero-extended into the 64-bit register.
    Add32Imm, Add32Reg, Sub32Imm, Sub32Reg, Mul32Imm, Mul32Reg,
    Div32Imm, Div32Reg, SDiv32Imm, SDiv32Reg, Mod32Imm, Mod32Reg, SMod32Imm, SMod32Reg,
    Or32Imm, Or32Reg, And32Imm, And32Reg, Xor32Imm, Xor32Reg,
    Lsh32Imm, Lsh32Reg, Rsh32Imm, Rsh32Reg, Arsh32Imm, Arsh32Reg, Neg32,
    Mov32Imm, Mov32Reg, MovSx8To32, MovSx16To32,

    // Byte order (RFC 9669 section 4.2); this VM's memory is little-endian, so le64 decodes to Nop and be* to Swap*.
    Le16, Le32, Swap16, Swap32, Swap64, Nop,

    // Loads, zero-extending (Ldx) and sign-extending (Ldxs); stores of an immediate (St) or a register (Stx).
    Ldx8, Ldx16, Ldx32, Ldx64, Ldxs8, Ldxs16, Ldxs32,
    St8, St16, St32, St64, Stx8, Stx16, Stx32, Stx64,

    // The same fifteen, in the same order, through r10 at an offset the verifier proved inside the current frame
    // (-StackFrameSize .. -width): the most common accesses in compiled code, run without a bounds check.
    FrameLdx8, FrameLdx16, FrameLdx32, FrameLdx64, FrameLdxs8, FrameLdxs16, FrameLdxs32,
    FrameSt8, FrameSt16, FrameSt32, FrameSt64, FrameStx8, FrameStx16, FrameStx32, FrameStx64,

    // Atomic read-modify-write (RFC 9669 section 5.3); see VmVerifier for why they are accepted.
    AtomicAdd32, AtomicOr32, AtomicAnd32, AtomicXor32,
    AtomicFetchAdd32, AtomicFetchOr32, AtomicFetchAnd32, AtomicFetchXor32, AtomicXchg32, AtomicCmpXchg32,
    AtomicAdd64, AtomicOr64, AtomicAnd64, AtomicXor64,
    AtomicFetchAdd64, AtomicFetchOr64, AtomicFetchAnd64, AtomicFetchXor64, AtomicXchg64, AtomicCmpXchg64,

    // Jumps: Target is the decoded index of the target instruction, Cost the gas of the block there.
    Ja,
    Jeq64Imm, Jeq64Reg, Jgt64Imm, Jgt64Reg, Jge64Imm, Jge64Reg, Jset64Imm, Jset64Reg, Jne64Imm, Jne64Reg,
    Jsgt64Imm, Jsgt64Reg, Jsge64Imm, Jsge64Reg, Jlt64Imm, Jlt64Reg, Jle64Imm, Jle64Reg,
    Jslt64Imm, Jslt64Reg, Jsle64Imm, Jsle64Reg,
    Jeq32Imm, Jeq32Reg, Jgt32Imm, Jgt32Reg, Jge32Imm, Jge32Reg, Jset32Imm, Jset32Reg, Jne32Imm, Jne32Reg,
    Jsgt32Imm, Jsgt32Reg, Jsge32Imm, Jsge32Reg, Jlt32Imm, Jlt32Reg, Jle32Imm, Jle32Reg,
    Jslt32Imm, Jslt32Reg, Jsle32Imm, Jsle32Reg,

    /// <summary>A host function: Imm is the helper id, Cost its gas price.</summary>
    CallHelper,
    /// <summary>A program-local function: Target is the callee's first instruction, Cost its entry block plus the frame.</summary>
    CallLocal,
    Exit,

    // ---- Never decoded from a program: VmPeephole rewrites verified code into these equivalent, faster forms. ----

    // Division and modulo by an immediate as a multiplication (VmDivisionByConstant). Imm64 is the multiplier; Src
    // the 64-bit shift (with VmDivisionByConstant.AddFlag); Offset the original 32-bit immediate, for the divisor's
    // sign and magnitude.
    DivMagic64, ModMagic64, SDivMagic64, SModMagic64, DivMagic32, ModMagic32, SDivMagic32, SModMagic32,

    // "mov dst, src; OP dst, operand" as one three-operand instruction, dst = src OP operand (Imm64, or the register
    // Src2). The mov's slot stays where it was and holds this; the OP's slot after it is skipped.
    MovAdd64Imm, MovSub64Imm, MovMul64Imm, MovOr64Imm, MovAnd64Imm, MovXor64Imm, MovLsh64Imm, MovRsh64Imm, MovArsh64Imm,
    MovAdd64Reg, MovSub64Reg, MovMul64Reg, MovOr64Reg, MovAnd64Reg, MovXor64Reg, MovLsh64Reg, MovRsh64Reg, MovArsh64Reg,

    /// <summary>"lsh dst, 32; rsh dst, 32", how clang zero-extends the low half: dst = (uint)dst; skips the rsh.</summary>
    ZeroExtendPair,

    /// <summary>"mov dst, src; lsh dst, 32; rsh dst, 32": dst = (uint)src; skips the two shifts.</summary>
    MovZeroExtendTriple,

    // "OP dst, operand; lsh dst, 32; rsh dst, 32", how clang -mcpu=v1 (the default) does 32-bit arithmetic: the low half
    // of an add, sub, mul, or, and or xor depends only on the low halves of its operands, so this is the ALU32 OP:
    // dst = (uint)(dst OP operand). Skips the two shifts.
    Add64ImmThenZeroExtend, Sub64ImmThenZeroExtend, Mul64ImmThenZeroExtend, Or64ImmThenZeroExtend,
    And64ImmThenZeroExtend, Xor64ImmThenZeroExtend,
    Add64RegThenZeroExtend, Sub64RegThenZeroExtend, Mul64RegThenZeroExtend, Or64RegThenZeroExtend,
    And64RegThenZeroExtend, Xor64RegThenZeroExtend,

    // An instruction followed by one that uses its result, run as the first and then, without a dispatch, the second
    // from its own slot (which is unchanged), so the second faults exactly as it would alone. Names say "first, then".
    Xor64RegThenStx64, FrameLdx64ThenXor64Reg, Ldx64ThenFrameStx64,
}
