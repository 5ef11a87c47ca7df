using System.Diagnostics;
using System.Globalization;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Execution;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Ledger.Codec;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.State;
using NexusFast.Engine.Storage;

namespace NexusFast.Benchmarks;

/// <summary>
/// Where a block's time goes: the steps of <see cref="BlockBuilder.Build"/> and of the chain's commit, called one by
/// one with a stopwatch around each, over the <see cref="TransferWorkload"/> blocks. Not a benchmark (no warm-up
/// statistics); it explains the BlockBenchmarks numbers. Run: <c>./build.sh bench --block-profile [blocks]</c>.
/// </summary>
public static class BlockProfile
{
    private static readonly string[] s_steps =
    [
        "execute", "transactions root", "receipts root", "bloom", "state root", "header + block", "block log append", "state commit",
    ];

    public static void Run(int blocks)
    {
        string directory = Path.Combine(Path.GetTempPath(), "nexusfast-profile-" + Guid.NewGuid().ToString("N"));
        try
        {
            var workload = new TransferWorkload();
            var clock = Stopwatch.StartNew();
            // Opened as Blockchain.Open opens a new data directory: genesis logged, applied and checkpointed. (Reopening
            // the directory instead would recover the checkpoint and start with a cold tree cache.)
            Block genesis = Blockchain.BuildGenesis(workload.ChainOptions(directory, ulong.MaxValue), out GenesisAllocation[] allocations);
            using StateStore state = StateStore.Open(Path.Combine(directory, "state"));
            if (state.Recover() is not null) throw new InvalidOperationException("a new state directory holds a checkpoint");
            using (StateOverlay overlay = state.BeginBlock())
            {
                foreach (GenesisAllocation allocation in allocations) overlay.SetAccount(allocation.Address, new Account(0, allocation.Balance));
                if (overlay.Commit() != genesis.Header.StateRoot) throw new InvalidOperationException("genesis state root differs");
            }
            state.Checkpoint(0);
            using var store = new BlockStore(new FasterBlockLog(Path.Combine(directory, "blocks")));
            store.Append(genesis, []);
            Console.WriteLine($"genesis with {TransferWorkload.AccountCount:N0} accounts: {clock.Elapsed.TotalSeconds:0.0} s");

            var executor = new BlockExecutor();
            var included = new List<Transaction>();
            var receipts = new List<Receipt>();
            var times = new double[blocks, s_steps.Length];
            long allocatedExecuting = 0;
            Block parent = genesis;
            for (int b = 0; b < blocks; b++)
            {
                Transaction[] candidates = workload.NextBlock();
                var context = new BlockContext(parent.Number + 1, parent.Header.Timestamp + 1, TransferWorkload.Proposer,
                    FeeMarket.NextBaseFee(new ChainConfig { BlockGasLimit = TransferWorkload.GasLimit }, parent.Header.GasUsed, parent.Header.GasLimit, parent.Header.BaseFeePerGas),
                    TransferWorkload.GasLimit);
                included.Clear();
                receipts.Clear();
                using StateOverlay overlay = state.BeginBlock();

                long step = Stopwatch.GetTimestamp();
                long allocated = GC.GetAllocatedBytesForCurrentThread();
                ulong gasUsed = executor.Build(new OverlayExecutionState(overlay), context, candidates, included, receipts);
                allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                if (b > 0) allocatedExecuting += allocated;
                Lap(times, b, 0, ref step);
                Hash256 transactionsRoot = BlockAssembler.TransactionsRoot(included);
                Lap(times, b, 1, ref step);
                Hash256 receiptsRoot = BlockAssembler.ReceiptsRoot(receipts);
                Lap(times, b, 2, ref step);
                LogsBloom bloom = BlockAssembler.Bloom(receipts);
                Lap(times, b, 3, ref step);
                Hash256 stateRoot = overlay.ComputeStateRoot();
                Lap(times, b, 4, ref step);
                var header = new BlockHeader
                {
                    ParentHash = parent.Hash,
                    Number = context.Number,
                    Timestamp = context.Timestamp,
                    Proposer = context.Proposer,
                    TransactionsRoot = transactionsRoot,
                    ReceiptsRoot = receiptsRoot,
                    StateRoot = stateRoot,
                    GasUsed = gasUsed,
                    GasLimit = context.GasLimit,
                    BaseFeePerGas = context.BaseFee,
                    LogsBloom = bloom,
                };
                var block = new Block(header, BlockHeaderCodec.ComputeHash(header), included.ToArray());
                Lap(times, b, 5, ref step);
                store.Append(block, receipts);
                Lap(times, b, 6, ref step);
                overlay.Commit();
                Lap(times, b, 7, ref step);
                if (block.Transactions.Length != TransferWorkload.TransfersPerBlock) throw new InvalidOperationException($"block {block.Number} skipped transfers");
                parent = block;
            }

            // The minimum is the least disturbed by other processes on a shared machine; the median is the typical block.
            Console.WriteLine($"{blocks} blocks of {TransferWorkload.TransfersPerBlock:N0} transfers, per step in ms (first block left out):");
            Console.WriteLine($"  {"step",-20} {"median",8} {"min",8}");
            double total = 0, totalMin = 0;
            for (int s = 0; s < s_steps.Length; s++)
            {
                (double median, double min) = Statistics(times, s, blocks);
                total += median;
                totalMin += min;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {s_steps[s],-20} {median,8:0.00} {min,8:0.00}"));
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"sum",-20} {total,8:0.00} {totalMin,8:0.00}"));
            if (blocks > 1)
            {
                double perTransfer = allocatedExecuting / (double)(blocks - 1) / TransferWorkload.TransfersPerBlock;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  execution allocated {perTransfer:0.00} B per transfer (this thread)"));
            }
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    private static void Lap(double[,] times, int block, int step, ref long start)
    {
        long now = Stopwatch.GetTimestamp();
        times[block, step] = Stopwatch.GetElapsedTime(start, now).TotalMilliseconds;
        start = now;
    }

    private static (double Median, double Min) Statistics(double[,] times, int step, int blocks)
    {
        int first = blocks > 1 ? 1 : 0;
        var values = new double[blocks - first];
        for (int b = first; b < blocks; b++) values[b - first] = times[b, step];
        Array.Sort(values);
        double median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
        return (median, values[0]);
    }
}
