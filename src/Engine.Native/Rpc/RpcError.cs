namespace NexusFast.Native.Rpc;

/// <summary>
/// A JSON-RPC error object. Codes: the JSON-RPC 2.0 ones (-32700 .. -32603), EIP-1474's server range as geth uses it
/// (-32000 for rejected transactions and missing state, -32002 timeout, -32005 limit exceeded), and 3 for an EVM-style
/// revert with its data.
/// </summary>
public sealed class RpcError(int code, string message, string? data = null)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerError = -32000;
    public const int Timeout = -32002;
    public const int LimitExceeded = -32005;
    public const int ExecutionReverted = 3;

    public int Code { get; } = code;

    public string Message { get; } = message;

    /// <summary>Hex DATA (revert bytes) or null.</summary>
    public string? Data { get; } = data;

    public static RpcError Invalid(string message) => new(InvalidRequest, message);

    public static RpcError Server(string message) => new(ServerError, message);

    public static RpcError MethodMissing(string method) =>
        new(MethodNotFound, $"the method {method} does not exist/is not available");

    /// <summary>A development method on a validator: blocks, time and state are what the validators agree on.</summary>
    public static RpcError ConsensusOnly(string method) =>
        new(MethodNotFound, $"the method {method} is not available: this node runs BFT consensus, where blocks, their timestamps and the state are decided by the validators (development methods work on `nexusfast devnet`)");

    public override string ToString() => $"{Code}: {Message}";
}
