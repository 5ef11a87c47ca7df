using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NexusFast.Engine.Chain;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Cli;
using NexusFast.Native.Config;
using NexusFast.Native.Node;

namespace NexusFast.Native.Hosting;

/// <summary>
/// What turns a node into one validator of a BFT chain: the peer network (<see cref="NetworkHost"/>), transaction
/// gossip, and the consensus host on its own thread (<see cref="HostLoop"/>) with the real chain behind it
/// (<see cref="ReplicaFactory"/>), signing with the validator key under double-sign protection kept in the data
/// directory. Built before the RPC server starts; disposed after it stopped and before the chain is checkpointed.
/// </summary>
public sealed class ValidatorRuntime : IAsyncDisposable
{
    /// <summary>How often the consensus thread publishes its height and round for /metrics and the log.</summary>
    private const long PositionSampleMs = 250;

    private readonly NodeContext _node;
    private readonly ILogger _log;
    private readonly HostLoop _loop;
    private readonly ConsensusHost _host;
    private readonly TransactionGossip _gossip;
    private readonly NetworkSettings _networkSettings;
    private long _syncedSeen;
    private ulong _loggedHeight;
    private int _loggedRound;
    private bool _stopped;

    private ValidatorRuntime(NodeContext node, ILogger log, NetworkHost network, TransactionGossip gossip, HostLoop loop,
        ConsensusHost host, ValidatorSet validators, Address validator, NetworkSettings networkSettings)
    {
        _node = node;
        _log = log;
        Network = network;
        _gossip = gossip;
        _loop = loop;
        _host = host;
        Validators = validators;
        Validator = validator;
        _networkSettings = networkSettings;
    }

    public NetworkHost Network { get; }

    public ValidatorSet Validators { get; }

    public Address Validator { get; }

    /// <summary>
    /// Wires the validator: checks this node's keys against the configured set (ConfigException when they do not
    /// match), registers the gossip and consensus handlers and builds the host. Nothing listens or runs yet.
    /// </summary>
    /// <param name="onFault">Called once, from the consensus thread, when consensus stops on an error: the node must stop.</param>
    public static ValidatorRuntime Create(NodeSettings settings, NodeContext node, ReadOnlySpan<byte> validatorSecret, ILogger log, Action<Exception> onFault)
    {
        ConsensusSettings consensus = settings.Consensus ?? throw new InvalidOperationException("not a validator configuration");
        NetworkSettings networkSettings = settings.Network!;
        Blockchain chain = node.CurrentChain;
        NodeKey nodeKey = LoadNodeKey(ValidatorConfig.NodeKeyPath(settings));
        var signer = new GuardedSigner(settings.ChainId, validatorSecret, new FileSignerStateStore(CreateParent(ValidatorConfig.SignerStatePath(settings))));
        ValidatorConfig.CheckOwnIdentity(settings, signer.Address, nodeKey.Id);
        ValidatorSet validators = consensus.ToValidatorSet();

        var network = new NetworkHost(new NetworkOptions
        {
            NodeKey = nodeKey,
            // The handshake refuses a peer of another chain or genesis: a misconfigured testnet fails at connect time.
            Network = new NetworkIdentity(settings.ChainId, chain.Genesis.Hash),
            ListenEndPoint = networkSettings.Listen,
            StaticPeers = networkSettings.StaticPeers,
        });
        var gossip = new TransactionGossip(node, network, networkSettings.RelayTransactions);
        HostLoop? loop = null;
        ConsensusHost? host = null;
        loop = new HostLoop(TimeProvider.System, error =>
        {
            node.ConsensusFault = error;
            host?.Stop();
            onFault(error);
        });
        try
        {
            var transport = new ConsensusTransport(network, consensus.Validators.Select(v => v.NodeId).ToArray(),
                (peer, message) => loop.PostMessage(() => host!.Receive(peer, message)));
            var signatureCache = new ConsensusSignatureCache();
            (IReplicatedApplication application, ICommittedBlockStore blocks) = ReplicaFactory.Create(chain, validators, TimeProvider.System, signatureCache);
            host = new ConsensusHost(
                new ConsensusOptions(settings.ChainId, consensus.Timeouts) { SignatureCache = signatureCache },
                new Engine.Consensus.Host.HostOptions { BuildDelayMs = consensus.BlockIntervalMs },
                validators, signer, new FileLockedValueStore(CreateParent(ValidatorConfig.LockedValuePath(settings))),
                application, blocks, transport, loop);
            var runtime = new ValidatorRuntime(node, log, network, gossip, loop, host, validators, signer.Address, networkSettings);
            host.Committed = runtime.OnCommitted;
            return runtime;
        }
        catch
        {
            // Nothing was started but the loop's thread; the network host never listened.
            loop.DisposeAsync().AsTask().GetAwaiter().GetResult();
            network.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Starts listening and dialing, gossip, and consensus (on its thread).</summary>
    public void Start()
    {
        Network.PeerConnected += OnPeerConnected;
        Network.PeerDisconnected += OnPeerDisconnected;
        try
        {
            Network.Start();
        }
        catch (SocketException e)
        {
            throw new CliException($"cannot listen for peers on {_networkSettings.Listen}: {e.Message}");
        }
        _node.TransactionAdmitted = _gossip.Enqueue;
        _node.PeerCount = () => Network.Peers.Count;
        _gossip.Start();
        NodeLog.P2pListening(_log, Network.LocalEndPoint, Network.NodeId);
        Validators.TryGetIndex(Validator, out int index);
        ulong startHeight = _node.CurrentChain.Head.Number + 1;
        NodeLog.ValidatorStarting(_log, Validator, Validators.Count, Validators[index].VotingPower, Validators.TotalVotingPower, startHeight);
        _loop.Post(() =>
        {
            _host.Start();
            SamplePosition();
        });
    }

    /// <summary>Stops consensus (after the step in progress), then the network and gossip.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped) return;
        _stopped = true;
        _node.TransactionAdmitted = null;
        _loop.Post(_host.Stop);
        await _loop.DisposeAsync().ConfigureAwait(false);
        await Network.DisposeAsync().ConfigureAwait(false);
        await _gossip.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>On the consensus thread, after each committed block.</summary>
    private void OnCommitted(StoredBlock stored, CommitResult result, CommitError certificate)
    {
        bool synced = _host.SyncedBlockCount != _syncedSeen;
        _syncedSeen = _host.SyncedBlockCount;
        _node.Metrics.Consensus.OnCommitted(synced);
        Block head = _node.CurrentChain.Head;
        int transactions = head.Number == stored.Height ? head.Transactions.Length : 0;
        NodeLog.BlockCommitted(_log, stored.Height, stored.Hash, stored.Certificate.Round, transactions, synced ? " (block sync)" : string.Empty);
        if (certificate != CommitError.None) NodeLog.CertificateInvalid(_log, stored.Height, certificate);
        _node.Metrics.Consensus.SetPosition(stored.Height + 1, 0);
        _loggedHeight = stored.Height + 1;
        _loggedRound = 0;
    }

    /// <summary>On the consensus thread: publishes height and round, logs a round that had to be repeated.</summary>
    private void SamplePosition()
    {
        if (_host.Machine is not { } machine) return;
        _node.Metrics.Consensus.SetPosition(machine.Height, machine.Round);
        if (machine.Height == _loggedHeight && machine.Round > _loggedRound) NodeLog.RoundAdvanced(_log, machine.Height, machine.Round);
        _loggedHeight = machine.Height;
        _loggedRound = machine.Round;
        _loop.Schedule(PositionSampleMs, SamplePosition);
    }

    private void OnPeerConnected(PeerLink peer)
    {
        int count = Network.Peers.Count;
        _node.Metrics.Consensus.SetPeers(count);
        NodeLog.PeerConnected(_log, peer, count);
    }

    private void OnPeerDisconnected(PeerLink peer, DisconnectReason reason)
    {
        int count = Network.Peers.Count;
        _node.Metrics.Consensus.SetPeers(count);
        NodeLog.PeerDisconnected(_log, peer, reason, peer.CloseDetail ?? string.Empty, count);
    }

    private static NodeKey LoadNodeKey(string path)
    {
        try
        {
            CreateParent(path);
            return NodeKeyFile.LoadOrCreate(path);
        }
        catch (FormatException e)
        {
            throw new ConfigException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"node key file {path}: {e.Message}");
        }
    }

    private static string CreateParent(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory) Directory.CreateDirectory(directory);
        return path;
    }
}
