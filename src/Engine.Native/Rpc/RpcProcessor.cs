using System.Diagnostics;
using System.Text.Json;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc.Json;
using NexusFast.Native.Rpc.Methods;
using NexusFast.Native.Rpc.Metrics;

namespace NexusFast.Native.Rpc;

/// <summary>What processing a body produced, for the HTTP layer.</summary>
internal enum RpcOutcome
{
    /// <summary>Responses (possibly none: only notifications) are in the output buffer.</summary>
    Answered,

    /// <summary>The whole body was refused; one error response is in the output buffer.</summary>
    Refused,

    /// <summary>The client's rate limit does not cover this many calls; one error response is in the output buffer.</summary>
    RateLimited,
}

/// <summary>
/// Turns a request body into the response body: parse (<see cref="RpcRequestParser"/>), answer each call through
/// <see cref="RpcMethodTable"/>, write with <see cref="Utf8JsonWriter"/>. A call that fails after writing part of its
/// result is cut back and answered with its error, so every response is well-formed. All eth_sendRawTransaction calls
/// of a body are admitted together through the ingest pipeline (one parallel sender recovery) before the calls are
/// answered (JSON-RPC lets a server process a batch in any order).
/// </summary>
internal sealed class RpcProcessor(NodeContext node, RpcOptions options, RpcMetrics metrics)
{
    private static readonly JsonWriterOptions s_writerOptions = new() { Indented = false, SkipValidation = false };
    private static readonly int s_sendRawIndex = RpcMethodTable.Find("eth_sendRawTransaction");

    public RpcOptions Options => options;

    /// <summary>Answers a body. <paramref name="admit"/> is asked once the number of calls is known (rate limiting).</summary>
    public async Task<(RpcOutcome Outcome, int Responses)> ProcessAsync(ReadOnlyMemory<byte> body, PooledBufferWriter output,
        Func<int, bool> admit, CancellationToken cancellation)
    {
        var call = new RpcCall(node, options, cancellation);
        var requests = new List<RpcRequest>();
        RpcError? refused = RpcRequestParser.Parse(body.Span, options.BatchRequestsMax, requests, out bool isBatch);
        if (refused is not null)
        {
            metrics.OnRejected(refused.Code == RpcError.ParseError ? RpcRejection.ParseError : RpcRejection.BatchTooLarge);
            WriteRefusal(output, body.Span, refused);
            return (RpcOutcome.Refused, 1);
        }
        if (!admit(requests.Count))
        {
            metrics.OnRejected(RpcRejection.RateLimited);
            WriteRefusal(output, body.Span, new RpcError(RpcError.LimitExceeded,
                $"rate limit exceeded: at most {options.RateLimitPerSecond} calls per second per client (bursts of {options.RateLimitBurst})"));
            return (RpcOutcome.RateLimited, 1);
        }

        int responses;
        // One hold on the chain across submitting and answering: the transactions the calls read back stay intact.
        bool submits = requests.Exists(r => r.Error is null && r.MethodIndex == s_sendRawIndex);
        ChainScope scope = default;
        bool entered = false;
        try
        {
            if (submits)
            {
                try
                {
                    scope = node.EnterChain();
                    entered = true;
                }
                catch (ObjectDisposedException)
                {
                    // Shutting down: each call answers so itself.
                }
            }
            if (entered) await SubmitTransactionsAsync(body, requests, call, scope.Chain).ConfigureAwait(false);
            responses = AnswerAll(body.Span, requests, isBatch, output, call);
            if (entered) call.RetireRefused(scope.Chain.Recycler);
        }
        finally
        {
            if (entered) scope.Dispose();
        }
        if (call.AwaitInclusion.Count > 0)
        {
            try
            {
                await node.Producer.WaitForInclusionAsync(call.AwaitInclusion, cancellation)
                    .WaitAsync(TimeSpan.FromMilliseconds(node.Options.AutomineWaitMs), cancellation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // The transactions are admitted and their hashes are the answer; a slow block only delays the receipt.
            }
        }
        return (RpcOutcome.Answered, responses);
    }

    private static void WriteRefusal(PooledBufferWriter output, ReadOnlySpan<byte> body, RpcError error)
    {
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        WriteError(writer, body, default, error);
    }

    private int AnswerAll(ReadOnlySpan<byte> body, List<RpcRequest> requests, bool isBatch, PooledBufferWriter output, RpcCall call)
    {
        using var writer = new Utf8JsonWriter(output, s_writerOptions);
        int responses = 0;
        if (isBatch) output.Write("["u8);
        for (int i = 0; i < requests.Count; i++)
        {
            RpcRequest request = requests[i];
            bool respond = !request.IsNotification;
            if (respond && responses > 0) output.Write(","u8);
            call.RequestIndex = i;
            if (isBatch && output.WrittenCount > options.BatchResponseBytesMax)
            {
                if (respond) WriteError(writer, body, request, new RpcError(-32003, $"response too large: the batch's responses exceed {options.BatchResponseBytesMax} bytes"));
            }
            else if (call.Cancellation.IsCancellationRequested)
            {
                if (respond) WriteError(writer, body, request, new RpcError(RpcError.Timeout, "request timed out"));
            }
            else
            {
                Answer(writer, output, body, request, call, respond);
            }
            if (respond) responses++;
        }
        if (isBatch)
        {
            if (responses == 0) output.Truncate(0);
            else output.Write("]"u8);
        }
        return responses;
    }

    private void Answer(Utf8JsonWriter writer, PooledBufferWriter output, ReadOnlySpan<byte> body, in RpcRequest request, RpcCall call, bool respond)
    {
        long started = Stopwatch.GetTimestamp();
        int mark = output.WrittenCount;
        RpcError? error = request.Error;
        RpcMethod? method = request.MethodIndex >= 0 ? RpcMethodTable.Methods[request.MethodIndex] : null;
        if (error is null && method is null) error = RpcError.MethodMissing(request.UnknownMethod ?? string.Empty);
        if (error is null && method!.DevOnly && !node.IsDevnet) error = node.RunsConsensus ? RpcError.ConsensusOnly(method.Name) : RpcError.MethodMissing(method.Name);

        if (error is null)
        {
            writer.Reset(output);
            WriteEnvelopeStart(writer, body, request);
            writer.WritePropertyName("result"u8);
            try
            {
                using ChainScope scope = node.EnterChain();
                call.Chain = scope.Chain;
                var args = new RpcArgs(body.Slice(request.ParamsStart, request.ParamsLength));
                error = method!.Handler(call, ref args, writer);
            }
            catch (ObjectDisposedException)
            {
                error = new RpcError(RpcError.InternalError, "the node is shutting down");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A server answers every call: an unexpected failure becomes -32603 with its message, and the rest
                // of the batch is still answered.
                error = new RpcError(RpcError.InternalError, $"internal error: {e.Message}");
            }
            if (error is null) writer.WriteEndObject();
            writer.Flush();
            if (error is not null) output.Truncate(mark);
        }
        if (error is not null && respond) WriteError(writer, body, request, error);
        if (!respond) output.Truncate(mark);
        metrics.OnCall(request.MethodIndex, error is not null, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// Hands every eth_sendRawTransaction of the body to the chain's ingest pipeline before any call is answered:
    /// decoding and the stateless rules run here, then all of them queue together, so a batch's senders are recovered in
    /// one parallel batch (with whatever other requests queued meanwhile). Each call's handler then reads its outcome. A
    /// call whose parameters are malformed is left to its handler, which answers the parameter error.
    /// </summary>
    private async ValueTask SubmitTransactionsAsync(ReadOnlyMemory<byte> body, List<RpcRequest> requests, RpcCall call, Blockchain chain)
    {
        List<(int Position, Transaction Tx, byte[] Raw, ValueTask<TxError> Outcome)>? queued = null;
        for (int i = 0; i < requests.Count; i++)
        {
            RpcRequest request = requests[i];
            if (request.Error is not null || request.MethodIndex != s_sendRawIndex) continue;
            var args = new RpcArgs(body.Span.Slice(request.ParamsStart, request.ParamsLength));
            args.CheckMax(1);
            byte[] raw = args.Data(0, "transaction");
            if (args.Failed) continue;
            Transaction tx = chain.Recycler.Rent();
            TxError error = TransactionValidator.DecodeAndCheck(raw, tx, chain.Config, TxValidationMode.Policy, out string detail);
            if (error != TxError.None)
            {
                node.Metrics.OnSubmitted(false);
                call.SetPresubmitted(i, new Presubmission(error, tx, detail));
                continue;
            }
            // Kept, not awaited at once, so that the whole body queues before the first outcome is awaited; each one
            // is awaited exactly once below.
#pragma warning disable CA2012
            (queued ??= []).Add((i, tx, raw, chain.Ingest.SubmitAsync(tx)));
#pragma warning restore CA2012
        }
        if (queued is null) return;
        Action<byte[]>? admitted = node.TransactionAdmitted;
        foreach ((int position, Transaction tx, byte[] raw, ValueTask<TxError> outcome) in queued)
        {
            TxError error;
            try
            {
                error = await outcome.ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                continue; // the chain closed under the call (shutdown, evm_revert): its handler answers itself
            }
            node.Metrics.OnSubmitted(error == TxError.None);
            if (error == TxError.None) admitted?.Invoke(raw);
            string detail = error is TxError.InvalidSignature or TxError.SenderRecoveryFailed
                ? TransactionValidator.DescribeRejection(error, tx, chain.Config)
                : string.Empty;
            call.SetPresubmitted(position, new Presubmission(error, tx, detail));
        }
    }

    private static void WriteEnvelopeStart(Utf8JsonWriter writer, ReadOnlySpan<byte> body, in RpcRequest request)
    {
        writer.WriteStartObject();
        writer.WriteString("jsonrpc"u8, "2.0"u8);
        writer.WritePropertyName("id"u8);
        if (request.IdKind is RpcIdKind.Number or RpcIdKind.String)
        {
            // Echoed byte for byte: 1, 1.0, 1e3 and "0x01" come back as sent.
            writer.WriteRawValue(body.Slice(request.IdStart, request.IdLength), skipInputValidation: true);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteError(Utf8JsonWriter writer, ReadOnlySpan<byte> body, in RpcRequest request, RpcError error)
    {
        writer.Reset();
        WriteEnvelopeStart(writer, body, request);
        writer.WritePropertyName("error"u8);
        writer.WriteStartObject();
        writer.WriteNumber("code"u8, error.Code);
        writer.WriteString("message"u8, error.Message);
        if (error.Data is not null) writer.WriteString("data"u8, error.Data);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.Flush();
    }
}
