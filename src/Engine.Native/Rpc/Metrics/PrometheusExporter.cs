using System.Globalization;
using System.Text;
using NexusFast.Engine.Chain;
using NexusFast.Native.Node;

namespace NexusFast.Native.Rpc.Metrics;

/// <summary>
/// /metrics in the Prometheus text exposition format (version 0.0.4): chain head, transactions, mempool, block
/// production, consensus and peers (validators), recovery at start-up, sender-recovery batch sizes and the RPC series of <see cref="RpcMetrics"/>.
/// </summary>
public static class PrometheusExporter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(NodeContext node, RpcMetrics rpc)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(rpc);
        var text = new StringBuilder(8192);
        NodeMetrics metrics = node.Metrics;
        using (ChainScope scope = node.EnterChain())
        {
            Blockchain chain = scope.Chain;
            (int ready, int waiting) = chain.Pool.Counts();
            Gauge(text, "nexusfast_head_block_number", "Number of the latest committed block.", chain.Head.Number);
            Gauge(text, "nexusfast_head_block_timestamp_seconds", "Timestamp of the latest committed block.", chain.Head.Header.Timestamp);
            text.Append("# HELP nexusfast_mempool_transactions Transactions in the pool: ready to execute, or waiting behind a nonce gap.\n# TYPE nexusfast_mempool_transactions gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"nexusfast_mempool_transactions{{state=\"ready\"}} {ready}\n");
            text.Append(CultureInfo.InvariantCulture, $"nexusfast_mempool_transactions{{state=\"waiting\"}} {waiting}\n");
            Gauge(text, "nexusfast_recovery_checkpoint_block", "Block of the state checkpoint recovered at start-up (-1: started from genesis).",
                chain.RecoveredCheckpoint is { } checkpoint ? (double)checkpoint : -1);
            Gauge(text, "nexusfast_recovery_replayed_blocks", "Blocks re-executed from the block log at start-up.", chain.ReplayedBlocks);
        }
        Counter(text, "nexusfast_blocks_produced_total", "Blocks this node produced since it started.", metrics.BlocksProduced);
        Counter(text, "nexusfast_transactions_committed_total", "Transactions in blocks this node produced since it started.", metrics.TransactionsCommitted);
        Counter(text, "nexusfast_transactions_accepted_total", "Raw transactions admitted to the pool.", metrics.TransactionsAccepted);
        Counter(text, "nexusfast_transactions_rejected_total", "Raw transactions refused at admission.", metrics.TransactionsRejected);
        HistogramBlock(text, "nexusfast_block_production_seconds", "Time to build, execute and commit one block.", metrics.BlockProductionSeconds);
        HistogramBlock(text, "nexusfast_sender_recovery_batch_size", "Transactions per batched sender recovery (JSON-RPC batches).", metrics.RecoveryBatchSize);
        Gauge(text, "nexusfast_ready", "1 when the node serves and produces blocks.", node.IsReady ? 1 : 0);
        if (node.RunsConsensus) WriteConsensus(text, metrics.Consensus);
        if (node.IsDevnet) Gauge(text, "nexusfast_devnet_time_offset_seconds", "Seconds added to the clock by evm_increaseTime.", node.Producer.TimeOffsetSeconds);
        rpc.Write(text);
        return text.ToString();
    }

    private static void WriteConsensus(StringBuilder text, ConsensusMetrics consensus)
    {
        Gauge(text, "nexusfast_consensus_height", "Height consensus is deciding (last committed block + 1).", consensus.Height);
        Gauge(text, "nexusfast_consensus_round", "Round of the height being decided (0 when the first proposal is decided).", consensus.Round);
        Gauge(text, "nexusfast_peers_connected", "Peers with an authenticated link now.", consensus.PeersConnected);
        Counter(text, "nexusfast_consensus_blocks_committed_total", "Blocks committed since start, by own votes or block sync.", consensus.BlocksCommitted);
        Counter(text, "nexusfast_consensus_blocks_synced_total", "Blocks applied from a peer's commit certificate (catching up).", consensus.BlocksSynced);
        Counter(text, "nexusfast_gossip_transactions_sent_total", "Transactions sent to peers in gossip batches.", consensus.GossipTransactionsSent);
        Counter(text, "nexusfast_gossip_transactions_received_total", "Transactions received from peers.", consensus.GossipTransactionsReceived);
        Counter(text, "nexusfast_gossip_transactions_admitted_total", "Received transactions the pool admitted.", consensus.GossipTransactionsAdmitted);
        Counter(text, "nexusfast_gossip_transactions_dropped_total", "Transactions not gossiped because the outgoing queue was full.", consensus.GossipTransactionsDropped);
    }

    private static void Gauge(StringBuilder text, string name, string help, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value.ToString("R", CultureInfo.InvariantCulture)}\n");

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");

    private static void HistogramBlock(StringBuilder text, string name, string help, Histogram histogram)
    {
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} histogram\n");
        histogram.WriteSamples(text, name, string.Empty);
    }
}
