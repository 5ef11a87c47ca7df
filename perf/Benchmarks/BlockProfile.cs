using System.Diagnostics;
using System.Globalization;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.State;

namespace NexusFast.Benchmarks;

/// <summary>
/// Where a block's time goes: the <see cref="TransferWorkload"/> blocks produced by a chain in a temporary data
/// directory, exactly as <see cref="BlockBenchmarks.ExecuteAndCommit"/> does, with the chain's own step timings
/// (<see cref="Blockchain.LastBlockTimings"/>) per block. Not a benchmark (no warm-up statistics); it explains the
/// BlockBenchmarks numbers. Run: <c>./build.sh bench --block-profile [blocks]</c>.
/// </summary>
public static class BlockProfile
{
    private static readonly (string Name, Func<(BlockTimings Block, SealTimings Seal), double> Value)[] s_steps =
    [
        ("execute", t => t.Block.ExecuteMs),
        ("state root", t => t.Block.StateRootMs),
        ("state root: keys and leaves (collect, hash, sort)", t => t.Seal.KeysAndLeavesMs),
        ("state root: trees (warm, walk, copy; hashing below the top)", t => t.Seal.TreeWalkMs),
        ("state root: hashing left after the walks", t => t.Seal.LevelHashingMs),
        ("  transactions + receipts roots, bloom (beside the state root)", t => t.Block.BodyCommitmentsMs),
        ("durable block log append", t => t.Block.LogAppendMs),
        ("  state apply (beside the append)", t => t.Block.StateApplyMs),
        ("total (ProduceBlock)", t => t.Block.TotalMs),
    ];

    public static void Run(int blocks) => Run(blocks, TransferWorkload.AccountCount, TransferWorkload.TransfersPerBlock);

    /// <summary>
    /// As <see cref="Run(int)"/> with another state size and block size (<c>--block-profile 10 1000000 50000</c>: the
    /// LargeBlockBenchmarks block); also prints the process's memory after genesis and after the blocks.
    /// </summary>
    public static void Run(int blocks, int accounts, int transfers)
    {
        string loadAtStart = Report.ReportWriter.LoadAverage();
        DateTime startedUtc = DateTime.UtcNow;
        var text = new System.Text.StringBuilder();
        string directory = Path.Combine(Path.GetTempPath(), "nexusfast-profile-" + Guid.NewGuid().ToString("N"));
        try
        {
            var workload = new TransferWorkload(seed: accounts, accountCount: accounts, transfersPerBlock: transfers);
            var clock = Stopwatch.StartNew();
            using Blockchain chain = Blockchain.Open(workload.ChainOptions(directory, checkpointIntervalBlocks: ulong.MaxValue));
            Console.WriteLine($"genesis with {accounts:N0} accounts: {clock.Elapsed.TotalSeconds:0.0} s");
            // As the node does after opening (NodeRunner): the genesis garbage goes back before blocks are made.
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Console.WriteLine($"after genesis: {MemoryLine()}");
            Console.WriteLine($"  state: {chain.State.DescribeMemory()}");

            var timings = new (BlockTimings Block, SealTimings Seal)[blocks];
            Block? last = null;
            TimeSpan pausedBefore = TimeSpan.Zero;
            int gen0Before = 0, gen1Before = 0, gen2Before = 0;
            long allocatedBefore = 0;
            for (int b = 0; b < blocks; b++)
            {
                Transaction[] candidates = workload.NextBlock();
                if (b == 1)
                {
                    pausedBefore = GC.GetTotalPauseDuration();
                    (gen0Before, gen1Before, gen2Before) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                    allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                }
                last = chain.ProduceBlock(0, candidates);
                if (last.Transactions.Length != transfers) throw new InvalidOperationException($"block {last.Number} skipped transfers");
                timings[b] = (chain.LastBlockTimings, chain.State.LastSealTimings);
                (BlockTimings t, SealTimings seal) = timings[b];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"block {last.Number}: execute {t.ExecuteMs:0.0} ms, state root {t.StateRootMs:0.0} ms (keys and leaves {seal.KeysAndLeavesMs:0.0}, walk {seal.TreeWalkMs:0.0}, levels {seal.LevelHashingMs:0.0}), append {t.LogAppendMs:0.0} ms (apply {t.StateApplyMs:0.0} ms), total {t.TotalMs:0.0} ms"));
            }

            // The minimum is the least disturbed by other processes on a shared machine; the median is the typical block.
            bool standard = accounts == TransferWorkload.AccountCount && transfers == TransferWorkload.TransfersPerBlock;
            bool large = accounts == LargeBlockBenchmarks.Accounts && transfers == LargeBlockBenchmarks.Transfers;
            string section = large ? "BlockProfileLarge" : "BlockProfile";
            string[] arguments = standard
                ? ["--block-profile", blocks.ToString(CultureInfo.InvariantCulture)]
                : ["--block-profile", blocks.ToString(CultureInfo.InvariantCulture), accounts.ToString(CultureInfo.InvariantCulture), transfers.ToString(CultureInfo.InvariantCulture)];
            text.AppendLine($"## {section}");
            text.AppendLine();
            text.AppendLine($"Run started {startedUtc:yyyy-MM-dd HH:mm} UTC, finished {DateTime.UtcNow:HH:mm}: `{Report.ReportWriter.Command(arguments)}`");
            text.AppendLine();
            text.AppendLine($"- Machine: {Report.ReportWriter.MachineLine()}");
            text.AppendLine($"- Load average (1, 5, 15 min) at the start of the run: {loadAtStart}; at the end: {Report.ReportWriter.LoadAverage()}");
            text.AppendLine($"- {blocks} blocks of {transfers:N0} transfers among {accounts:N0} accounts produced by "
                + "`Blockchain.ProduceBlock` on a data directory, as in BlockBenchmarks.ExecuteAndCommit; the chain's own step timings "
                + "(`Blockchain.LastBlockTimings`), first block left out. Indented steps run on another thread beside the step above them. "
                + "The minimum is the block least disturbed by other processes on the shared machine.");
            text.AppendLine();
            text.AppendLine("| Step | Median | Min |");
            text.AppendLine("|---|---:|---:|");
            foreach ((string name, Func<(BlockTimings, SealTimings), double> value) in s_steps)
            {
                (double median, double min) = Statistics(timings, value);
                text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {(name.StartsWith(' ') ? "&nbsp;&nbsp;" + name.Trim() : name)} | {median:0.00} ms | {min:0.00} ms |"));
            }
            text.AppendLine();

            if (blocks > 1)
            {
                // Garbage collections during the measured blocks (the workload's own allocations included: it builds the
                // next block's transactions between blocks).
                int measured = blocks - 1;
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"GC over {measured} blocks: {GC.CollectionCount(0) - gen0Before}/{GC.CollectionCount(1) - gen1Before}/{GC.CollectionCount(2) - gen2Before} gen0/1/2 collections, pauses {(GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds / measured:0.00} ms per block, {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / measured / 1048576.0:0.0} MiB allocated per block (workload included)."));
                text.AppendLine();
            }

            // The body commitments one by one on this thread, for the last block (they run together on a pool thread).
            long start = Stopwatch.GetTimestamp();
            BlockAssembler.TransactionsRoot(last!.Transactions);
            double transactionsRootMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            chain.Blocks.TryGetBlock(last.Number, out _, out Receipt[] receipts);
            start = Stopwatch.GetTimestamp();
            BlockAssembler.ReceiptsRoot(receipts);
            double receiptsRootMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Last block, alone on one thread: transactions root {transactionsRootMs:0.00} ms, receipts root {receiptsRootMs:0.00} ms; the state root took {chain.State.LastBlockNodeHashCount:N0} tree hashes."));

            Console.WriteLine(text.ToString());
            Console.WriteLine($"after the blocks: {MemoryLine()}");
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Console.WriteLine($"after the blocks and a full collection: {MemoryLine()}");
            Console.WriteLine($"  state: {chain.State.DescribeMemory()}");
            // The report has the standard workload's section and the large block's (LargeBlockBenchmarks' size, where
            // its target stands); other sizes are for looking, not for the report.
            if (!standard && !large) return;
            Console.WriteLine($"report written to {Report.ReportWriter.WriteSection(section, text.ToString())}");
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Resident set (now and peak, from /proc) and the managed heap, for a quick look at where memory goes.</summary>
    internal static string MemoryLine()
    {
        string rss = "-", peak = "-";
        if (File.Exists("/proc/self/status"))
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = line[6..].Trim();
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = line[6..].Trim();
            }
        }
        GCMemoryInfo info = GC.GetGCMemoryInfo();
        return string.Create(CultureInfo.InvariantCulture,
            $"RSS {rss} (peak {peak}), managed heap {GC.GetTotalMemory(false) / 1048576.0:0} MiB, GC committed {info.TotalCommittedBytes / 1048576.0:0} MiB");
    }

    private static (double Median, double Min) Statistics((BlockTimings, SealTimings)[] timings, Func<(BlockTimings, SealTimings), double> value)
    {
        int first = timings.Length > 1 ? 1 : 0;
        var values = new double[timings.Length - first];
        for (int b = first; b < timings.Length; b++) values[b - first] = value(timings[b]);
        Array.Sort(values);
        double median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        return (median, values[0]);
    }
}
