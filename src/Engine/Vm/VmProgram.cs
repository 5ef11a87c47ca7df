using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NexusFast.Engine.Vm;

/// <summary>
/// A verified, pre-decoded program with its data images: what a deployed contract is, ready to run any number of times
/// on any <see cref="VmMachine"/>. It is immutable, so one instance may be shared by machines on several threads.
/// </summary>
public sealed class VmProgram
{
    private readonly DecodedInstruction[] _code;
    private readonly int[] _slotOfInstruction;
    private readonly byte[] _readOnlyData;
    private readonly byte[] _data;

    private VmProgram(VmVerifier.Output verified, byte[] readOnlyData, byte[] data, int bssSize, int slots)
    {
        _code = verified.Code;
        _slotOfInstruction = verified.SlotOfInstruction;
        EntryPc = verified.EntryPc;
        EntryCost = verified.EntryCost;
        _readOnlyData = readOnlyData;
        _data = data;
        BssSize = bssSize;
        InstructionSlots = slots;
    }

    /// <summary>
    /// Verifies <paramref name="code"/> and builds the program, or throws <see cref="VmVerificationException"/> naming
    /// the instruction and the reason.
    /// </summary>
    /// <param name="code">8-byte instructions, relocations applied: helper calls carry the helper id, local calls a
    /// relative offset, lddw an absolute <see cref="VmMemoryMap"/> address where it points at data.</param>
    /// <param name="readOnlyData">The image mapped at <see cref="VmMemoryMap.ReadOnlyData"/> (.rodata*).</param>
    /// <param name="data">The image copied to <see cref="VmMemoryMap.Data"/> at the start of every run (.data).</param>
    /// <param name="bssSize">Zeroed bytes after <paramref name="data"/> in the same region (.bss).</param>
    /// <param name="entrySlot">The instruction slot where a run starts.</param>
    /// <param name="helpers">The host functions calls may name; unknown ids are refused here.</param>
    public static VmProgram Load(
        ReadOnlySpan<byte> code, ReadOnlySpan<byte> readOnlyData, ReadOnlySpan<byte> data, int bssSize, int entrySlot,
        VmHelperCatalog helpers) =>
        Load(code, readOnlyData, data, bssSize, entrySlot, helpers, rewrite: true);

    /// <summary>As the public <see cref="Load(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, int, int, VmHelperCatalog)"/>;
    /// <paramref name="rewrite"/> false keeps the code as decoded, without <see cref="VmPeephole"/>'s faster forms, so
    /// that tests can check the two run alike.</summary>
    internal static VmProgram Load(
        ReadOnlySpan<byte> code, ReadOnlySpan<byte> readOnlyData, ReadOnlySpan<byte> data, int bssSize, int entrySlot,
        VmHelperCatalog helpers, bool rewrite)
    {
        ArgumentNullException.ThrowIfNull(helpers);
        if (bssSize < 0) throw new VmVerificationException(-1, $"bss size {bssSize} is negative");
        // Offsets inside a region are 32 bits (VmMemoryMap); the images are far smaller in practice.
        const long maxImage = int.MaxValue;
        if (readOnlyData.Length > maxImage) throw new VmVerificationException(-1, "read-only data is larger than 2 GiB");
        if ((long)data.Length + bssSize > maxImage) throw new VmVerificationException(-1, "data and bss together are larger than 2 GiB");

        VmVerifier.Output verified = VmVerifier.Verify(code, entrySlot, helpers, rewrite);
        // Pinned so that the interpreter can address the read-only image by pointer without pinning it per run.
        byte[] rodata = GC.AllocateUninitializedArray<byte>(readOnlyData.Length, pinned: true);
        readOnlyData.CopyTo(rodata);
        return new VmProgram(verified, rodata, data.ToArray(), bssSize, code.Length / 8);
    }

    /// <summary>Instruction slots of the code as loaded (an lddw counts two).</summary>
    public int InstructionSlots { get; }

    public int ReadOnlyDataSize => _readOnlyData.Length;

    /// <summary>Bytes of the writable region: .data followed by .bss.</summary>
    public int WritableDataSize => _data.Length + BssSize;

    public int BssSize { get; }

    internal int EntryPc { get; }

    internal int EntryCost { get; }

    internal DecodedInstruction[] Code => _code;

    internal ReadOnlySpan<byte> DataImage => _data;

    /// <summary>The instruction slot a decoded instruction came from (fault and out-of-gas reports use slots).</summary>
    internal int SlotOf(int pc) => _slotOfInstruction[pc];

    /// <summary>SAFETY: the array was allocated pinned (never moves) and lives as long as this program.</summary>
    internal unsafe byte* ReadOnlyDataPointer =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_readOnlyData));
}
