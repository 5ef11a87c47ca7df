namespace NexusFast.Engine.Vm;

/// <summary>
/// The fixed virtual addresses of the VM's memory regions. The high 32 bits of an address name its region, so the
/// interpreter finds a region with one shift, and the ELF loader can point relocations into .rodata and .data before a
/// VM exists. Every region starts at offset 0 of its 4 GiB window; nothing is mapped at address 0, so a null pointer
/// always faults.
/// </summary>
public static class VmMemoryMap
{
    /// <summary>Bits below the region number: an address is <c>(region &lt;&lt; RegionShift) | offset</c>.</summary>
    public const int RegionShift = 32;

    /// <summary>Read-only program data: the loaded .rodata* sections, one after another.</summary>
    public const ulong ReadOnlyData = 1UL << RegionShift;

    /// <summary>Stack frames; r10 points at the top of the current frame.</summary>
    public const ulong Stack = 2UL << RegionShift;

    /// <summary>Heap for the program's own allocations.</summary>
    public const ulong Heap = 3UL << RegionShift;

    /// <summary>The call's input (calldata), read-only.</summary>
    public const ulong Input = 4UL << RegionShift;

    /// <summary>Writable program data: .data, then .bss (zeroed).</summary>
    public const ulong Data = 5UL << RegionShift;

    /// <summary>Return data of the last call into another contract, read-only.</summary>
    public const ulong ReturnData = 6UL << RegionShift;
}
