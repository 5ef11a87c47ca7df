using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace NexusFast.Load;

/// <summary>
/// Sends the workload to the node over <c>connections</c> concurrent workers. Worker w sends the transactions of the
/// senders s with s % connections == w, in nonce order, singly (one eth_sendRawTransaction per POST) or as JSON-RPC
/// batches. At a target rate, transaction i is not sent before start + i / rate; at rate 0 each worker sends its next
/// request as soon as the previous one is answered. A node that answers "busy" (-32005, its ingest queue is full)
/// gets the same transactions again after a short pause: that is backpressure working, counted, not an error.
/// </summary>
public sealed class Submitter(RpcClient rpc, TransferSet transfers, LoadTimeline timeline, LoadOptions options)
{
    private static readonly byte[] s_callStart = Encoding.ASCII.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"eth_sendRawTransaction\",\"params\":[\"");
    private static readonly byte[] s_callIdStart = Encoding.ASCII.GetBytes("\"],\"id\":");

    public async Task RunAsync(CancellationToken cancellation)
    {
        int workers = options.Connections;
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            List<int> mine = [];
            for (int i = 0; i < transfers.Count; i++)
            {
                if (i % options.Accounts % workers == w) mine.Add(i);
            }
            tasks[w] = Task.Run(() => WorkerAsync(mine, cancellation), cancellation);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task WorkerAsync(List<int> mine, CancellationToken cancellation)
    {
        var pending = new List<int>(options.Batch);
        for (int next = 0; next < mine.Count && !cancellation.IsCancellationRequested;)
        {
            pending.Clear();
            while (pending.Count < options.Batch && next < mine.Count) pending.Add(mine[next++]);
            if (options.Rate > 0) await PaceAsync(pending[0], cancellation).ConfigureAwait(false);
            while (pending.Count > 0 && !cancellation.IsCancellationRequested)
            {
                long sent = Stopwatch.GetTimestamp();
                foreach (int index in pending) timeline.OnSent(index, sent);
                byte[] response = await rpc.PostAsync(Body(pending), cancellation).ConfigureAwait(false);
                List<int> busy = Record(response, pending);
                if (busy.Count == 0) break;
                timeline.OnBusy();
                pending = busy;
                await Task.Delay(2, cancellation).ConfigureAwait(false);
            }
        }
    }

    private async Task PaceAsync(int index, CancellationToken cancellation)
    {
        long due = timeline.StartTicks + (long)(index / options.Rate * Stopwatch.Frequency);
        long wait = due - Stopwatch.GetTimestamp();
        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), cancellation).ConfigureAwait(false);
    }

    private byte[] Body(List<int> indexes)
    {
        var body = new MemoryStream(indexes.Count * 320);
        if (indexes.Count > 1) body.WriteByte((byte)'[');
        for (int k = 0; k < indexes.Count; k++)
        {
            if (k > 0) body.WriteByte((byte)',');
            body.Write(s_callStart);
            body.Write(transfers.RawHex[indexes[k]]);
            body.Write(s_callIdStart);
            body.Write(Encoding.ASCII.GetBytes(indexes[k].ToString(System.Globalization.CultureInfo.InvariantCulture)));
            body.WriteByte((byte)'}');
        }
        if (indexes.Count > 1) body.WriteByte((byte)']');
        return body.ToArray();
    }

    /// <summary>Records each answer by its id (the transaction's index); returns the indexes answered "busy".</summary>
    private List<int> Record(byte[] response, List<int> sent)
    {
        var busy = new List<int>();
        using JsonDocument document = JsonDocument.Parse(response);
        JsonElement root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && sent.Count > 1)
        {
            // A batch answered by one object: the whole body was refused (a parse error, an oversized batch, a rate
            // limit, a full ingest queue), so every call of it shares that answer.
            if (IsBusy(root)) return [.. sent];
            string error = root.TryGetProperty("error", out JsonElement e) ? e.GetRawText() : root.GetRawText();
            foreach (int index in sent) timeline.OnRejected(index, error);
            return busy;
        }
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement answer in root.EnumerateArray()) RecordOne(answer, busy);
        }
        else
        {
            RecordOne(root, busy);
        }
        return busy;
    }

    private void RecordOne(JsonElement answer, List<int> busy)
    {
        int index = answer.GetProperty("id").GetInt32();
        if (answer.TryGetProperty("result", out _))
        {
            timeline.OnAccepted(index);
        }
        else if (IsBusy(answer))
        {
            busy.Add(index);
        }
        else
        {
            timeline.OnRejected(index, answer.GetProperty("error").GetRawText());
        }
    }

    private static bool IsBusy(JsonElement answer) =>
        answer.TryGetProperty("error", out JsonElement error)
        && error.TryGetProperty("code", out JsonElement code) && code.GetInt32() == -32005
        && error.TryGetProperty("message", out JsonElement message)
        && message.GetString()!.Contains("busy", StringComparison.Ordinal);
}
