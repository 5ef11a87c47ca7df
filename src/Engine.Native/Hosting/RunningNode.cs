using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Crypto.Keys;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Cli;
using NexusFast.Native.Config;
using NexusFast.Native.Node;
using NexusFast.Native.Rpc;

namespace NexusFast.Native.Hosting;

/// <summary>What a node is started as, beside its settings.</summary>
public sealed record NodeStart
{
    public bool IsDevnet { get; init; }

    public IReadOnlyList<HdAccount> DevAccounts { get; init; } = [];

    /// <summary>Coinbase of the blocks this node builds (the validator's address; zero on a devnet, as anvil).</summary>
    public Address Proposer { get; init; }

    /// <summary>The validator key, required with a consensus section; zeroed once the signer holds a copy.</summary>
    public byte[]? ValidatorSecret { get; init; }

    /// <summary>Printed once serving, before the "listening on" log line (the devnet's banner), with the RPC URIs.</summary>
    public Action<string>? PrintBanner { get; init; }
}

/// <summary>
/// One started node: the chain, the JSON-RPC server and, for a validator, the network and consensus
/// (<see cref="ValidatorRuntime"/>). <see cref="NodeRunner"/> runs one until a signal; tests start several in one
/// process. Disposing stops the RPC server (drains requests), then consensus and the network, then finishes the block in
/// flight and checkpoints.
/// </summary>
public sealed class RunningNode : IAsyncDisposable
{
    private readonly ILogger _log;
    private readonly TaskCompletionSource _fault = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _disposed;

    private RunningNode(NodeContext node, ILogger log)
    {
        Node = node;
        _log = log;
    }

    public NodeContext Node { get; }

    /// <summary>Set for a validator.</summary>
    public ValidatorRuntime? Validator { get; private set; }

    /// <summary>The RPC server's URIs, comma-separated (with the real port when 0 was configured).</summary>
    public string Listening { get; private set; } = string.Empty;

    /// <summary>Completes when consensus stopped on an error (the node can no longer follow the chain).</summary>
    public Task Fault => _fault.Task;

    public static async Task<RunningNode> StartAsync(NodeSettings settings, NodeStart start, ILoggerFactory loggers, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(start);
        ILogger log = loggers.CreateLogger("nexusfast");
        bool validator = settings.Consensus is not null;
        if (validator && start.ValidatorSecret is null) throw new CliException("a validator needs its validator key (validatorKeyFile)");

        Blockchain chain = Blockchain.Open(NodeRunner.ToChainOptions(settings, start.Proposer));
        // Opening may parse a large genesis and build its state in one go (a million accounts: gigabytes of garbage and
        // grown buffers). Give that memory back to the system once, before serving, instead of carrying it as RSS.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NodeLog.ChainOpened(log, settings.ChainId, chain.Head.Number, chain.Head.Hash, chain.RecoveredCheckpoint, chain.ReplayedBlocks);

        var node = new NodeContext(chain, new NodeOptions
        {
            IsDevnet = start.IsDevnet,
            Accounts = start.DevAccounts.Select(a => a.Address).ToArray(),
            ClientVersion = $"nexusfast/v{NexusCli.Version}/linux-x64/dotnet{Environment.Version}",
            RunsConsensus = validator,
            Automine = !validator && settings.BlockTimeMs == 0,
            BlockTimeMs = validator ? 0 : settings.BlockTimeMs,
        });
        var running = new RunningNode(node, log);
        try
        {
            if (validator)
            {
                try
                {
                    running.Validator = ValidatorRuntime.Create(settings, node, start.ValidatorSecret, log, running.OnConsensusFault);
                }
                finally
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(start.ValidatorSecret);
                }
            }
            WebApplication app = RpcHost.Build(node, NodeRunner.ToRpcOptions(settings, start.IsDevnet), builder =>
            {
                builder.Logging.ClearProviders();
                NodeRunner.AddConsole(builder.Logging, settings.LogFormat);
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
            });
            running._app = app;
            try
            {
                await app.StartAsync(cancellation);
            }
            catch (IOException e)
            {
                throw new CliException($"cannot listen on {settings.RpcHost}:{settings.RpcPort}: {e.Message}");
            }
            running.Listening = string.Join(", ", RpcHost.GetListenUris(app));
            node.Start();
            running.Validator?.Start();
            start.PrintBanner?.Invoke(running.Listening);
            NodeLog.Listening(log, running.Listening);
            return running;
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    private void OnConsensusFault(Exception error)
    {
        NodeLog.ConsensusFailed(_log, error, error.Message);
        _fault.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_app is not null)
        {
            NodeLog.Shutdown(_log, "stopping the RPC server");
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }
        if (Validator is not null)
        {
            NodeLog.Shutdown(_log, "stopping consensus and the peer network");
            await Validator.DisposeAsync();
        }
        NodeLog.Shutdown(_log, Validator is null ? "finishing the block in flight and checkpointing" : "checkpointing");
        await Node.DisposeAsync();
        NodeLog.Shutdown(_log, "stopped cleanly");
    }
}
