using System.Diagnostics;
using System.Text.Json;
using NexusFast.Engine.Primitives;

namespace NexusFast.Load;

/// <summary>
/// Follows the chain head (eth_blockNumber every few milliseconds) and fetches each new block's transaction hashes
/// (eth_getBlockByNumber, hashes only); a workload transaction counts as committed when the driver first sees it in a
/// block. Latency is therefore submit-to-observed-inclusion: it includes up to one poll interval of the driver's own.
/// </summary>
public sealed class InclusionTracker(RpcClient rpc, TransferSet transfers, LoadTimeline timeline, ulong startBlock)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    private readonly Dictionary<Hash256, int> _indexOf = BuildIndex(transfers);
    private ulong _nextBlock = startBlock + 1;

    public async Task RunAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            ulong head;
            try
            {
                head = await rpc.BlockNumberAsync(cancellation).ConfigureAwait(false);
                for (; _nextBlock <= head; _nextBlock++) await FetchAsync(_nextBlock, cancellation).ConfigureAwait(false);
                await Task.Delay(PollInterval, cancellation).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task FetchAsync(ulong number, CancellationToken cancellation)
    {
        JsonElement block = await rpc.CallAsync("eth_getBlockByNumber", $"[\"0x{number:x}\",false]", cancellation).ConfigureAwait(false);
        long seen = Stopwatch.GetTimestamp();
        int count = 0;
        foreach (JsonElement hash in block.GetProperty("transactions").EnumerateArray())
        {
            count++;
            if (_indexOf.TryGetValue(Hash256.Parse(hash.GetString()!), out int index)) timeline.OnCommitted(index, seen);
        }
        lock (timeline.Blocks) timeline.Blocks.Add(new LoadTimeline.BlockSeen(number, count, seen));
    }

    private static Dictionary<Hash256, int> BuildIndex(TransferSet transfers)
    {
        var index = new Dictionary<Hash256, int>(transfers.Count);
        for (int i = 0; i < transfers.Count; i++) index[transfers.Hashes[i]] = i;
        return index;
    }
}
