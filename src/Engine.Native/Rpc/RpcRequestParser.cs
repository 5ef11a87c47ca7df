using System.Text;
using System.Text.Json;
using NexusFast.Native.Rpc.Json;
using NexusFast.Native.Rpc.Methods;

namespace NexusFast.Native.Rpc;

/// <summary>
/// Splits a JSON-RPC 2.0 body into requests with <see cref="Utf8JsonReader"/>: a single object or a batch array.
/// Whole-body problems (not JSON, empty batch, batch over the limit) come back as one error; a malformed element of a
/// batch becomes an invalid-request entry of its own, as the specification's examples show.
/// </summary>
internal static class RpcRequestParser
{
    private const int MethodNameBytesMax = 128;

    /// <returns>Null when <paramref name="requests"/> holds the requests; otherwise the error for the whole body.</returns>
    public static RpcError? Parse(ReadOnlySpan<byte> body, int batchMax, List<RpcRequest> requests, out bool isBatch)
    {
        isBatch = false;
        // JSON text is UTF-8 (RFC 8259 section 8.1); the reader does not check string contents, so check once up front
        // (vectorized) rather than fail later inside a handler.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return new RpcError(RpcError.ParseError, "parse error: the body is not valid UTF-8");
        try
        {
            var reader = new Utf8JsonReader(body, RpcArgs.ReaderOptions);
            if (!reader.Read()) return new RpcError(RpcError.ParseError, "parse error: the body is empty");
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                isBatch = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (requests.Count == batchMax)
                    {
                        return new RpcError(RpcError.InvalidRequest, $"batch too large: more than {batchMax} requests (the limit)");
                    }
                    requests.Add(ParseOne(ref reader, body));
                }
                if (requests.Count == 0) return RpcError.Invalid("invalid request: empty batch");
            }
            else
            {
                requests.Add(ParseOne(ref reader, body));
            }
            if (reader.Read()) return new RpcError(RpcError.ParseError, "parse error: data after the JSON value");
            return null;
        }
        catch (JsonException e)
        {
            requests.Clear();
            isBatch = false;
            return new RpcError(RpcError.ParseError, $"parse error: {Describe(e)}");
        }
    }

    private static RpcRequest ParseOne(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        var request = new RpcRequest { MethodIndex = -1, IdKind = RpcIdKind.Absent };
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            request.IdKind = RpcIdKind.Null;
            request.Error = RpcError.Invalid($"invalid request: expected an object, got {JsonValues.Describe(reader.TokenType)}");
            return request;
        }

        bool versionOk = false, hasMethod = false;
        string? problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("jsonrpc"u8))
            {
                reader.Read();
                versionOk = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("2.0"u8);
                reader.Skip();
            }
            else if (reader.ValueTextEquals("method"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    problem ??= $"\"method\" must be a string, got {JsonValues.Describe(reader.TokenType)}";
                    reader.Skip();
                    continue;
                }
                hasMethod = true;
                ResolveMethod(ref reader, ref request);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.Number:
                    case JsonTokenType.String:
                        request.IdKind = reader.TokenType == JsonTokenType.Number ? RpcIdKind.Number : RpcIdKind.String;
                        request.IdStart = (int)reader.TokenStartIndex;
                        request.IdLength = (int)reader.BytesConsumed - request.IdStart;
                        break;
                    case JsonTokenType.Null:
                        request.IdKind = RpcIdKind.Null;
                        break;
                    default:
                        problem ??= $"\"id\" must be a string, a number or null, got {JsonValues.Describe(reader.TokenType)}";
                        request.IdKind = RpcIdKind.Null;
                        reader.Skip();
                        break;
                }
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartArray:
                        request.ParamsStart = (int)reader.TokenStartIndex;
                        reader.Skip();
                        request.ParamsLength = (int)reader.BytesConsumed - request.ParamsStart;
                        break;
                    case JsonTokenType.Null:
                        break;
                    case JsonTokenType.StartObject:
                        // By-name parameters are valid JSON-RPC, but no Ethereum method defines names for its parameters.
                        reader.Skip();
                        request.Error ??= new RpcError(RpcError.InvalidParams, "invalid params: pass parameters as an array (by position); no method here takes them by name");
                        break;
                    default:
                        problem ??= $"\"params\" must be an array, got {JsonValues.Describe(reader.TokenType)}";
                        reader.Skip();
                        break;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (problem is null && !versionOk) problem = "\"jsonrpc\" must be \"2.0\"";
        if (problem is null && !hasMethod) problem = "missing \"method\"";
        if (problem is not null)
        {
            request.Error = RpcError.Invalid($"invalid request: {problem}");
            if (request.IdKind == RpcIdKind.Absent) request.IdKind = RpcIdKind.Null;
        }
        return request;
    }

    private static void ResolveMethod(ref Utf8JsonReader reader, ref RpcRequest request)
    {
        Span<byte> name = stackalloc byte[MethodNameBytesMax];
        int length;
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= MethodNameBytesMax)
        {
            reader.ValueSpan.CopyTo(name);
            length = reader.ValueSpan.Length;
        }
        else if (reader.ValueSpan.Length <= MethodNameBytesMax)
        {
            length = reader.CopyString(name);
        }
        else
        {
            request.UnknownMethod = Truncate(reader.GetString()!);
            return;
        }
        request.MethodIndex = RpcMethodTable.Find(name[..length]);
        if (request.MethodIndex < 0) request.UnknownMethod = Encoding.UTF8.GetString(name[..length]);
    }

    private static string Truncate(string name) => name.Length <= MethodNameBytesMax ? name : string.Concat(name.AsSpan(0, MethodNameBytesMax), "...");

    private static string Describe(JsonException e)
    {
        string message = e.Message;
        // The reader's messages end with "LineNumber: 0 | BytePositionInLine: 12."; keep them, they locate the problem.
        return message.Length > 300 ? message[..300] : message;
    }
}
