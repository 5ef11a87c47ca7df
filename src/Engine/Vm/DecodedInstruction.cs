using System.Runtime.InteropServices;

namespace NexusFast.Engine.Vm;

/// <summary>
/// One instruction as the interpreter runs it: 16 bytes, so four share a cache line.
/// <code>
///  byte: 0    1    2    3         4........7   8..........11  12.........15
///        Op   Dst  Src  FallCost  Offset      Imm            Cost
///                                        |&lt;---------- Imm64 ---------&gt;|
/// </code>
/// Offset is the memory displacement for loads and stores, or for jumps and local calls the byte offset of the target
/// instruction in the decoded code (its index times 16), which saves the interpreter a shift on every taken jump.
/// Imm64 (which overlaps Imm and Cost) holds the 64-bit operand of ALU instructions; jumps and calls use Imm and Cost
/// separately, since their immediate is 32 bits and they carry the gas of the block they enter: Cost for the target,
/// and for a conditional jump FallCost for the block after it (0 when that block starts with its own Gas instruction);
/// a local call keeps the gas of the block it returns to in Imm.
/// The operations <see cref="VmPeephole"/> introduces reuse these bytes as <see cref="VmOp"/> describes for each.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct DecodedInstruction
{
    public const int Size = 16;

    [FieldOffset(0)] public VmOp Op;
    [FieldOffset(1)] public byte Dst;
    [FieldOffset(2)] public byte Src;
    [FieldOffset(3)] public byte FallCost;
    /// <summary>The second source register of a fused three-operand instruction (VmPeephole); shares FallCost's byte,
    /// which only conditional jumps use.</summary>
    [FieldOffset(3)] public byte Src2;
    [FieldOffset(4)] public int Offset;
    [FieldOffset(8)] public long Imm64;
    [FieldOffset(8)] public int Imm;
    [FieldOffset(12)] public int Cost;
}
