using System.Text.Json;

namespace NexusFast.Native.Rpc.Methods;

/// <summary>
/// A method implementation: reads its parameters from <paramref name="args"/>, and on success writes exactly one JSON
/// value (the result) to <paramref name="result"/> and returns null; on failure returns the error and the dispatcher
/// discards anything written.
/// </summary>
internal delegate RpcError? RpcHandler(RpcCall call, ref RpcArgs args, Utf8JsonWriter result);
