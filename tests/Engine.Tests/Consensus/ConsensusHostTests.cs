using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Consensus;

/// <summary>The host with one validator: the single-validator devnet is the same code with n = 1.</summary>
public sealed class ConsensusHostTests
{
    private sealed class NoPeers : IPeerTransport
    {
        public IReadOnlyList<int> Peers => [];

        public void Send(int peer, object message) => throw new InvalidOperationException("there are no peers");
    }

    /// <summary>Timers run in due order when the test says so.</summary>
    private sealed class ManualTimers : IHostTimers
    {
        private readonly PriorityQueue<Action, (long, long)> _queue = new();
        private long _sequence;

        public long NowMs { get; private set; }

        public void Schedule(long delayMs, Action callback) => _queue.Enqueue(callback, (NowMs + delayMs, _sequence++));

        public void RunUntil(long timeMs)
        {
            while (_queue.TryPeek(out _, out (long Time, long) key) && key.Time <= timeMs)
            {
                NowMs = key.Time;
                _queue.Dequeue()();
            }
        }
    }

    [Fact]
    public void A_single_validator_commits_a_block_per_build_delay_and_resumes_after_a_restart()
    {
        var kit = new ConsensusKit(10);
        var signerState = new MemorySignerStateStore();
        var blocks = new MemoryBlocks();
        ConsensusHost Host(ManualTimers timers) => new(kit.Options, new HostOptions { BuildDelayMs = 100 }, kit.Set,
            new GuardedSigner(ConsensusKit.ChainId, kit.Secrets[0], signerState), new MemoryLockedValueStore(), new CounterApp(), blocks, new NoPeers(), timers);

        var timers = new ManualTimers();
        ConsensusHost host = Host(timers);
        host.Start();
        timers.RunUntil(1_000);
        Assert.Equal(10UL, blocks.Height); // one block per 100 ms build delay, decided in round 0
        for (int i = 0; i < blocks.Blocks.Count; i++)
        {
            StoredBlock block = blocks.Blocks[i];
            Assert.Equal((ulong)i + 1, block.Height);
            Assert.Equal((0UL, CommitError.None), (block.Certificate.Round, CommitVerifier.Verify(ConsensusKit.ChainId, block.Height, block.Hash, block.Certificate, kit.Set)));
        }

        host.Stop();
        var restartedTimers = new ManualTimers();
        ConsensusHost restarted = Host(restartedTimers);
        restarted.Start(); // replays the 10 stored blocks into a fresh application
        Assert.Equal(11UL, restarted.Machine!.Height);
        restartedTimers.RunUntil(500);
        Assert.Equal(15UL, blocks.Height);
    }
}
