using System.Diagnostics;

namespace NexusFast.Load;

/// <summary>
/// `./build.sh load [options]` (see <see cref="LoadOptions.Usage"/>): pre-signs the workload, measures the raw
/// recovery rate, starts (or attaches to) an AOT node, submits while following the chain, then writes the report.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(LoadOptions.Usage);
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(LoadOptions.Usage);
            return 0;
        }
        if (options.PrintAlloc)
        {
            Console.WriteLine(TransferSet.GenesisAlloc(TransferSet.AccountAddresses(options.Accounts)));
            return 0;
        }
        if (options.ConsensusSummary)
        {
            string written = ConsensusSummary.Write(options.OutDirectory);
            Console.WriteLine($"report: {written}");
            return 0;
        }

        DateTime startedUtc = DateTime.UtcNow;
        string loadAtStart = LoadReport.LoadAverage();
        var watch = Stopwatch.StartNew();
        TransferSet transfers = TransferSet.Sign(options.Transactions, options.Accounts, options.ChainId);
        Console.WriteLine($"signed {transfers.Count:N0} transfers from {options.Accounts:N0} accounts in {watch.Elapsed.TotalSeconds:0.0} s");
        RecoveryBaseline.Rates recovery = RecoveryBaseline.Measure(transfers.Signatures);
        Console.WriteLine($"raw recovery: {recovery.AllCoresPerSecond:N0}/s on {recovery.Cores} cores, {recovery.SingleCorePerSecond:N0}/s on one");

        using NodeCluster? node = options.Url is null ? NodeCluster.Start(options, TransferSet.GenesisAlloc(transfers.Senders, options.StateAccounts)) : null;
        Uri url = node?.Url ?? options.Url!;
        using var rpc = new RpcClient(url, options.Connections + 1);
        try
        {
            // A large genesis (--state-accounts) takes the node a while to build; it is waited for, unless it exits.
            Console.WriteLine($"waiting for the node at {url}");
            await rpc.WaitUntilServingAsync(TimeSpan.FromSeconds(30 + 300.0 * options.StateAccounts / 1_000_000), () => node?.HasExited ?? false);
            Console.WriteLine($"the node answers after {watch.Elapsed.TotalSeconds:0.0} s of the run");
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: the node at {url} does not answer: {e.Message}");
            if (node is not null) Console.Error.WriteLine(node.LogTail());
            return 1;
        }
        if (options.Validators > 1)
        {
            // A validator still starting misses its turn to propose and costs a propose timeout: wait until a block per
            // validator has committed (every proposer of a round-robin turn was up) before the clock starts.
            ulong first = await rpc.BlockNumberAsync(CancellationToken.None);
            long warmUpDeadline = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
            while (await rpc.BlockNumberAsync(CancellationToken.None) < first + (ulong)options.Validators && Stopwatch.GetTimestamp() < warmUpDeadline)
            {
                await Task.Delay(50);
            }
            Console.WriteLine($"the testnet committed a block per validator after {watch.Elapsed.TotalSeconds:0.0} s of the run");
        }
        ulong startBlock = await rpc.BlockNumberAsync(CancellationToken.None);
        long startupRss = node?.ResidentBytes ?? 0;

        var timeline = new LoadTimeline(transfers.Count);
        using var stopTracking = new CancellationTokenSource();
        var tracker = new InclusionTracker(rpc, transfers, timeline, startBlock);
        Task tracking = tracker.RunAsync(stopTracking.Token);
        long peakRss = 0;
        Task progress = ProgressAsync(timeline, transfers.Count, () => peakRss = Math.Max(peakRss, node?.ResidentBytes ?? 0), stopTracking.Token);

        timeline.Restart();
        await new Submitter(rpc, transfers, timeline, options).RunAsync(CancellationToken.None);
        Console.WriteLine($"submitted in {timeline.Seconds(Stopwatch.GetTimestamp()):0.0} s; waiting for the accepted transactions to commit");
        long deadline = Stopwatch.GetTimestamp() + options.TimeoutSeconds * Stopwatch.Frequency;
        while (timeline.Committed < timeline.AcceptedCount && Stopwatch.GetTimestamp() < deadline && !(node?.HasExited ?? false))
        {
            await Task.Delay(20);
        }
        await stopTracking.CancelAsync();
        await Task.WhenAll(tracking, progress);
        long highWaterRss = node?.PeakResidentBytes ?? 0;

        var report = new LoadReport
        {
            Options = options,
            Timeline = timeline,
            Recovery = recovery,
            Command = "./build.sh load " + string.Join(' ', args),
            StartedUtc = startedUtc,
            LoadAtStart = loadAtStart,
            NodeDescription = node is null ? $"the node at {url} (already running)" : node.Describe(options),
            PeakRssBytes = peakRss,
            StartupRssBytes = startupRss,
            HighWaterRssBytes = highWaterRss,
        };
        report.Write();
        Console.WriteLine(report.Summary);
        Console.WriteLine($"report: {Path.Combine(options.OutDirectory, options.Name + ".md")}");
        return timeline.Committed == timeline.AcceptedCount && timeline.AcceptedCount > 0 ? 0 : 1;
    }

    /// <summary>One line a second on stderr while the run lasts: what was sent, accepted and committed, and the rate.</summary>
    private static async Task ProgressAsync(LoadTimeline timeline, int total, Action sample, CancellationToken cancellation)
    {
        long lastCommitted = 0;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                await Task.Delay(1000, cancellation);
                sample();
                long committed = timeline.Committed;
                Console.Error.WriteLine($"{timeline.Seconds(Stopwatch.GetTimestamp()),6:0.0} s  sent {timeline.Submitted,9:N0}/{total:N0}  accepted {timeline.AcceptedCount,9:N0}  "
                    + $"refused {timeline.RejectedCount,6:N0}  busy {timeline.BusyRetries,6:N0}  committed {committed,9:N0}  ({committed - lastCommitted:N0} tx/s)");
                lastCommitted = committed;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
