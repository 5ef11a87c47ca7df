namespace NexusFast.Native.Rpc.Methods;

/// <summary>One method: name, handler, and whether only a devnet offers it.</summary>
internal sealed record RpcMethod(string Name, RpcHandler Handler, bool DevOnly = false);
