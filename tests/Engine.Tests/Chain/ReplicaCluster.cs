using NexusFast.Engine.Chain;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Network;
using NexusFast.Engine.Tests.Consensus;

namespace NexusFast.Engine.Tests.Chain;

/// <summary>
/// Validators in one process, each a <see cref="ConsensusHost"/> over its own <see cref="Blockchain"/> and
/// <see cref="ChainReplica"/>, on simulated time: one queue of events (message deliveries, timers) run in time order,
/// messages going through the real peer-message codec (so each node decodes its own copy of every block), and a clock
/// for block timestamps that follows the simulated time.
/// </summary>
internal sealed class ReplicaCluster : IDisposable
{
    public const long MessageDelayMs = 5;

    /// <summary>Round 0 decides in about BuildDelayMs plus a few message delays; a build delay of 1 s keeps block
    /// timestamps (whole seconds, strictly increasing) in step with the clock, as a real chain at one block a second.</summary>
    public static readonly HostOptions HostOptions = new() { BuildDelayMs = 1000 };

    private readonly PriorityQueue<Action, (long Time, long Sequence)> _events = new();
    private long _sequence;

    public ReplicaCluster(int validators, Func<int, ChainOptions> chainOptions)
    {
        Kit = new ConsensusKit(Enumerable.Repeat(1L, validators).ToArray());
        Clock = new SimulatedClock(ChainFixtures.Options(0).Genesis.Timestamp + 1, () => NowMs);
        Nodes = new ReplicaNode[validators];
        for (int i = 0; i < validators; i++) Nodes[i] = new ReplicaNode(this, i, chainOptions(i));
    }

    public ConsensusKit Kit { get; }

    public ConsensusOptions ConsensusOptions { get; } = new(ConsensusKit.ChainId, TimeoutConfig.Default);

    public SimulatedClock Clock { get; }

    public ReplicaNode[] Nodes { get; }

    public long NowMs { get; private set; }

    public void Start()
    {
        foreach (ReplicaNode node in Nodes) node.Start();
    }

    /// <summary>Runs every event due up to <paramref name="timeMs"/> (simulated), in time order.</summary>
    public void RunUntil(long timeMs)
    {
        while (_events.TryPeek(out _, out (long Time, long) key) && key.Time <= timeMs)
        {
            NowMs = key.Time;
            _events.Dequeue()();
        }
        NowMs = timeMs;
    }

    /// <summary>Runs until every node running has committed <paramref name="height"/>, or fails after <paramref name="limitMs"/>.</summary>
    public void RunUntilHeight(ulong height, long limitMs = 120_000)
    {
        long end = NowMs + limitMs;
        while (Nodes.Any(n => n.IsUp && n.Replica.Height < height))
        {
            Assert.True(NowMs < end, $"height {height} not reached by {limitMs} ms: {string.Join(", ", Nodes.Select(n => n.Replica.Height))}");
            RunUntil(NowMs + 100);
        }
    }

    public void After(long delayMs, Action action) => _events.Enqueue(action, (NowMs + Math.Max(0, delayMs), _sequence++));

    public void Dispose()
    {
        foreach (ReplicaNode node in Nodes) node.Chain.Dispose();
    }
}

/// <summary>One validator of a <see cref="ReplicaCluster"/>.</summary>
internal sealed class ReplicaNode : IPeerTransport, IHostTimers
{
    private readonly ReplicaCluster _cluster;
    private readonly int[] _peers;
    private readonly MemorySignerStateStore _signerState = new();
    private readonly MemoryLockedValueStore _lock = new();
    private int _incarnation;

    public ReplicaNode(ReplicaCluster cluster, int index, ChainOptions options)
    {
        _cluster = cluster;
        Index = index;
        Options = options;
        _peers = Enumerable.Range(0, cluster.Nodes.Length).Where(p => p != index).ToArray();
        Open();
    }

    public int Index { get; }

    public ChainOptions Options { get; }

    public Blockchain Chain { get; private set; } = null!;

    public ChainReplica Replica { get; private set; } = null!;

    public ConsensusHost? Host { get; private set; }

    public bool IsUp => Host is not null;

    public IReadOnlyList<int> Peers => _peers;

    public void Start()
    {
        _incarnation++;
        Host = new ConsensusHost(_cluster.ConsensusOptions, ReplicaCluster.HostOptions, _cluster.Kit.Set,
            new GuardedSigner(ConsensusKit.ChainId, _cluster.Kit.Secrets[Index], _signerState), _lock, Replica, Replica, this, this);
        Host.Start();
    }

    /// <summary>Stops consensus and closes the chain (a process exit; the data directory, if any, stays).</summary>
    public void Stop()
    {
        Host?.Stop();
        Host = null;
        _incarnation++;
        Chain.Dispose();
    }

    /// <summary>Opens the chain again from its options (a restart: checkpoint recovery and log replay when durable).</summary>
    public void Open()
    {
        Chain = Blockchain.Open(Options);
        Replica = new ChainReplica(Chain, _cluster.Kit.Set, _cluster.Clock, ConsensusKit.ChainId);
    }

    public void Send(int peer, object message)
    {
        byte[] bytes = PeerMessageCodec.Encode(message);
        int from = Index;
        _cluster.After(ReplicaCluster.MessageDelayMs, () =>
        {
            ReplicaNode target = _cluster.Nodes[peer];
            target.Host?.Receive(from, PeerMessageCodec.Decode(bytes));
        });
    }

    public void Schedule(long delayMs, Action callback)
    {
        int incarnation = _incarnation;
        _cluster.After(delayMs, () =>
        {
            if (_incarnation == incarnation && Host is not null) callback();
        });
    }
}

/// <summary>Wall-clock time that follows the simulated milliseconds from a start in Unix seconds.</summary>
internal sealed class SimulatedClock(ulong startSeconds, Func<long> nowMs) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(checked((long)startSeconds * 1000 + nowMs()));
}
