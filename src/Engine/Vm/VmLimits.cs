namespace NexusFast.Engine.Vm;

/// <summary>The fixed bounds every program and every run live within; the same on every node, so part of consensus.</summary>
public static class VmLimits
{
    /// <summary>Instruction slots in one program (an lddw takes two); uBPF and the Linux unprivileged limit use 65,536 too.</summary>
    public const int MaxInstructionSlots = 65_536;

    /// <summary>Frames on the call stack, the entry frame included; Solana's SBPF uses 64 as well.</summary>
    public const int MaxCallDepth = 64;

    /// <summary>
    /// Bytes of one stack frame. Clang's BPF back end refuses functions with more than 512 bytes of stack, so 4 KiB
    /// leaves room for hand-written code while the whole stack (64 frames, 256 KiB) stays small enough to keep per machine.
    /// </summary>
    public const int StackFrameSize = 4096;

    /// <summary>
    /// The largest heap a run may ask for. Contracts need far less; the bound keeps a machine's buffers small, and the
    /// heap is paid per KiB (<see cref="VmGas.HeapPerKiB"/>), so 16 MiB costs 262,144 gas up front.
    /// </summary>
    public const int MaxHeapSize = 16 << 20;
}

/// <summary>
/// Gas prices of the VM itself (host functions carry their own prices in <see cref="VmHelperCatalog"/>). Every price is
/// charged before the work it pays for, so a run that cannot pay stops before doing it.
/// </summary>
public static class VmGas
{
    /// <summary>Each instruction; a basic block costs the sum over its instructions, charged when the block is entered.</summary>
    public const int Instruction = 1;

    /// <summary>
    /// Each divide or modulo, 32 or 64 bits: a hardware divide takes tens of cycles where an add takes one, and gas
    /// should track time, or a program of divisions would buy several times more CPU per gas than any other.
    /// </summary>
    public const int Division = 4;

    /// <summary>Entering a local function: a fresh stack frame and the saved registers, on top of the callee's first block.</summary>
    public const int CallFrame = 8;

    /// <summary>Each KiB (rounded up) of heap a run asks for, charged when the run starts: the machine zeroes it.</summary>
    public const int HeapPerKiB = 16;
}
