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
/// Runs a node until SIGTERM or SIGINT: opens the chain, serves JSON-RPC, produces blocks (or, as a validator, runs
/// consensus with its peers), and on the signal stops accepting requests, finishes the block in flight, checkpoints and
/// exits 0. A validator whose consensus stopped on an error exits 1.
/// </summary>
public static class NodeRunner
{
    public static Task<int> RunAsync(NodeSettings settings, IReadOnlyList<HdAccount> devAccounts, string? mnemonic,
        bool isDevnet, Address proposer, CancellationToken cancellation) =>
        RunAsync(settings, devAccounts, mnemonic, isDevnet, proposer, validatorSecret: null, cancellation);

    /// <param name="validatorSecret">The validator key, for a node with a consensus section (zeroed once the signer holds it).</param>
    public static async Task<int> RunAsync(NodeSettings settings, IReadOnlyList<HdAccount> devAccounts, string? mnemonic,
        bool isDevnet, Address proposer, byte[]? validatorSecret, CancellationToken cancellation)
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

        await using RunningNode node = await RunningNode.StartAsync(settings, new NodeStart
        {
            IsDevnet = isDevnet,
            DevAccounts = devAccounts,
            Proposer = proposer,
            ValidatorSecret = validatorSecret,
            PrintBanner = isDevnet ? listening => DevnetCommand.PrintBanner(Console.Out, settings, devAccounts, mnemonic, listening) : null,
        }, loggers, stop.Token);

        try
        {
            await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), node.Fault);
        }
        catch (OperationCanceledException)
        {
        }
        return node.Fault.IsCompleted ? 1 : 0;
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

    internal static ILoggerFactory CreateLoggers(LogFormat format) => LoggerFactory.Create(logging =>
    {
        AddConsole(logging, format);
        logging.SetMinimumLevel(LogLevel.Information);
    });

    internal static void AddConsole(ILoggingBuilder logging, LogFormat format)
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
