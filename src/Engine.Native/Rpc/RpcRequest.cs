namespace NexusFast.Native.Rpc;

/// <summary>How a request identified itself.</summary>
internal enum RpcIdKind : byte
{
    /// <summary>No "id" member: a notification, which gets no response.</summary>
    Absent,
    Null,
    Number,
    String,
}

/// <summary>
/// One request of a body, as offsets into the body: the id's raw JSON token (echoed verbatim), the params array, and
/// the method resolved to its table index. An invalid request carries its error instead.
/// </summary>
internal struct RpcRequest
{
    public int MethodIndex;

    /// <summary>The method name as sent, only when it is not in the table (for the error message).</summary>
    public string? UnknownMethod;

    public RpcIdKind IdKind;
    public int IdStart;
    public int IdLength;

    /// <summary>The params array's JSON text; length 0 when absent or null.</summary>
    public int ParamsStart;
    public int ParamsLength;

    public RpcError? Error;

    public readonly bool IsNotification => IdKind == RpcIdKind.Absent && Error is null;
}
