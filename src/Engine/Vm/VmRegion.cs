namespace NexusFast.Engine.Vm;

/// <summary>
/// One mapped region as the interpreter sees it: where its bytes live and how many of them may be read or written.
/// A read-only region has <see cref="WriteLength"/> 0, an unmapped one both lengths 0, so one compare per access checks
/// bounds and permission together.
/// </summary>
internal unsafe struct VmRegion
{
    public byte* Base;
    public ulong ReadLength;
    public ulong WriteLength;
}

/// <summary>A saved caller frame: where to return, the gas of the block there, and the callee-saved registers r6..r9
/// (RFC 9669 section 4.3.1).</summary>
internal struct VmFrame
{
    public int ReturnPc;
    public int ReturnCost;
    public ulong R6, R7, R8, R9;
}
