using System.Net;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Network;
using NexusFast.Engine.Tests.Consensus;

namespace NexusFast.Engine.Tests.Network;

/// <summary>
/// Four validators in one process, each with its own host loop, over real encrypted TCP links on 127.0.0.1
/// (<see cref="NetworkHost"/> through <see cref="ConsensusTransport"/>): the same host code the simulation runs, on real
/// time and sockets. They must commit the same blocks.
/// </summary>
public sealed class LoopbackConsensusTests
{
    [Fact]
    public async Task Four_validators_over_loopback_tcp_commit_the_same_blocks()
    {
        const int n = 4;
        var kit = new ConsensusKit(1, 1, 1, 1);
        var options = new ConsensusOptions(ConsensusKit.ChainId, new TimeoutConfig(1000, 500, 500, 250, 500, 250));
        NodeKey[] nodeKeys = Enumerable.Range(0, n).Select(_ => NodeKey.Generate()).ToArray();
        var blocks = Enumerable.Range(0, n).Select(_ => new MemoryBlocks()).ToArray();
        var errors = new List<Exception>();
        var loops = Enumerable.Range(0, n).Select(_ => new HostLoop(TimeProvider.System, e => { lock (errors) errors.Add(e); })).ToArray();
        var hosts = new ConsensusHost?[n];
        var networks = new NetworkHost[n];
        var transports = new ConsensusTransport[n];
        try
        {
            for (int i = 0; i < n; i++)
            {
                int index = i;
                networks[i] = new NetworkHost(NetworkTestKit.Options(nodeKeys[i]) with { PeerExchangeEnabled = false });
                transports[i] = new ConsensusTransport(networks[i], nodeKeys.Select(k => k.Id).ToArray(),
                    (peer, message) => loops[index].PostMessage(() => hosts[index]?.Receive(peer, message)));
                networks[i].Start();
            }
            // Each validator dials the others; the host keeps one link per pair whoever dialled.
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (i != j) networks[i].AddStaticPeer(networks[j].LocalAddress!);
                }
            }
            for (int i = 0; i < n; i++)
            {
                int index = i;
                hosts[i] = new ConsensusHost(options, new HostOptions { BuildDelayMs = 20, GossipIntervalMs = 100 }, kit.Set,
                    new GuardedSigner(ConsensusKit.ChainId, kit.Secrets[i], new MemorySignerStateStore()), new MemoryLockedValueStore(),
                    new CounterApp(), blocks[i], transports[i], loops[i]);
                loops[i].Post(() => hosts[index]!.Start());
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (blocks.Any(b => Volatile.Read(ref b.CountForReaders) < 5))
            {
                Assert.False(timeout.IsCancellationRequested, $"heights after 60 s: {string.Join(",", blocks.Select(b => b.CountForReaders))}");
                lock (errors) Assert.Empty(errors);
                await Task.Delay(50);
            }
        }
        finally
        {
            for (int i = 0; i < n; i++)
            {
                int index = i;
                if (hosts[i] is not null) loops[i].Post(() => hosts[index]!.Stop());
                await loops[i].DisposeAsync();
                if (networks[i] is not null) await networks[i].DisposeAsync();
            }
        }
        for (int height = 0; height < 5; height++)
        {
            StoredBlock first = blocks[0].Blocks[height];
            Assert.All(blocks, b => Assert.Equal(first.Hash, b.Blocks[height].Hash));
            Assert.Equal(CommitError.None, CommitVerifier.Verify(ConsensusKit.ChainId, first.Height, first.Hash, first.Certificate, kit.Set));
        }
    }
}
