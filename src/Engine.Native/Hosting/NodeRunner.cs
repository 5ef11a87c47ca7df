using System.Net;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Mempool;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Cli;
using NexusFast.Native.Config;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc;

namespace NexusFast.Native.Hosting;

/// <summary>
/// Runs a node until SIGTERM or SIGINT: opens the chain, serves JSON-RPC, produces blocks, and on the signal stops
/// accepting requests, finishes the block in flight, checkpoints and exits 0.
/// </summary>
public static class NodeRunner
{
    public static async Task<int> RunAsync(NodeSettings settings, IReadOnlyList<HdAccount> devAccounts, string? mnemonic,
        bool isDevnet, Address proposer, CancellationToken cancellation)
    {
        using ILoggerFactory loggers = CreateLoggers(settings.LogFormat);
        ILogger log = loggers.CreateLogger("nexusfast");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        void OnSignal(PosixSignalContext context)
        {
            // Take over the default (immediate exit) so the block in flight finishes and the state is checkpointed.
            context.Cancel = true;
            NodeLog.SignalReceived(log, context.Signal);
            stop.Cancel();
        }

        Blockchain chain = Blockchain.Open(ToChainOptions(settings, proposer));
        // Opening may parse a large genesis and build its state in one go (a million accounts: gigabytes of garbage and
        // grown buffers). Give that memory back to the system once, before serving, instead of carrying it as RSS.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NodeLog.ChainOpened(log, settings.ChainId, chain.Head.Number, chain.Head.Hash, chain.RecoveredCheckpoint, chain.ReplayedBlocks);

        await using var node = new NodeContext(chain, new NodeOptions
        {
            IsDevnet = isDevnet,
            Accounts = devAccounts.Select(a => a.Address).ToArray(),
            ClientVersion = $"nexusfast/v{NexusCli.Version}/linux-x64/dotnet{Environment.Version}",
            Automine = settings.BlockTimeMs == 0,
            BlockTimeMs = settings.BlockTimeMs,
        });
        WebApplication app = RpcHost.Build(node, ToRpcOptions(settings, isDevnet), builder =>
        {
            builder.Logging.ClearProviders();
            AddConsole(builder.Logging, settings.LogFormat);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        try
        {
            await app.StartAsync(stop.Token);
        }
        catch (IOException e)
        {
            throw new CliException($"cannot listen on {settings.RpcHost}:{settings.RpcPort}: {e.Message}");
        }
        string listening = string.Join(", ", RpcHost.GetListenUris(app));
        node.Start();
        if (isDevnet) DevnetCommand.PrintBanner(Console.Out, settings, devAccounts, mnemonic, listening);
        NodeLog.Listening(log, listening);

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
        }

        NodeLog.Shutdown(log, "stopping the RPC server");
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        NodeLog.Shutdown(log, "finishing the block in flight and checkpointing");
        await node.DisposeAsync();
        NodeLog.Shutdown(log, "stopped cleanly");
        return 0;
    }

    public static ChainOptions ToChainOptions(NodeSettings settings, Address proposer) => new()
    {
        DataDirectory = settings.DataDirectory,
        Config = new ChainConfig
        {
            ChainId = settings.ChainId,
            BlockGasLimit = settings.GasLimit,
            InitialBaseFee = settings.BaseFee,
        },
        Genesis = new GenesisSpec { Timestamp = settings.GenesisTimestamp, Allocations = settings.GenesisAllocations },
        CheckpointIntervalBlocks = settings.CheckpointIntervalBlocks,
        Proposer = proposer,
        Mempool = new MempoolLimits
        {
            TransactionsMax = settings.MempoolTransactionsMax,
            PerSenderMax = settings.MempoolPerSenderMax,
            FeeCapMin = settings.MempoolFeeCapMin,
        },
    };

    public static RpcOptions ToRpcOptions(NodeSettings settings, bool isDevnet)
    {
        IPAddress address = settings.RpcHost == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(settings.RpcHost, out IPAddress? parsed) ? parsed
            : throw new CliException($"rpc host '{settings.RpcHost}' is not an IP address (use 127.0.0.1, ::1 or 0.0.0.0)");
        return new RpcOptions
        {
            ListenAddress = address,
            Port = settings.RpcPort,
            BodyBytesMax = settings.RpcBodyBytesMax,
            BatchRequestsMax = settings.RpcBatchMax,
            RequestTimeoutMs = settings.RpcRequestTimeoutMs,
            RateLimitPerSecond = settings.RpcRequestsPerSecondPerClient,
            // A devnet answers browser dapps from any origin, as anvil does; a node only where configured.
            CorsAllowedOrigins = isDevnet ? ["*"] : [],
        };
    }

    private static ILoggerFactory CreateLoggers(LogFormat format) => LoggerFactory.Create(logging =>
    {
        AddConsole(logging, format);
        logging.SetMinimumLevel(LogLevel.Information);
    });

    private static void AddConsole(ILoggingBuilder logging, LogFormat format)
    {
        if (format == LogFormat.Json)
        {
            logging.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ");
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }
    }
}
