using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Consensus.Host;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
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
        var kit = new ConsensusKit(1, 1, 1, 1);
        await RunAsync(kit, new TimeoutConfig(1000, 500, 500, 250, 500, 250), heights: 5, _ => new CounterApp(),
            key => NetworkTestKit.Options(key) with { PeerExchangeEnabled = false, PayloadLengthMax = MessageParts.PartPayloadLengthMax });
    }

    /// <summary>
    /// A 9 MB block makes a proposal (and a committed block in sync) more than twice the 4 MiB frame maximum: it can
    /// only travel in parts (<see cref="MessageParts"/>), reassembled by each validator before consensus sees it. The
    /// fourth validator starts late and catches up through committed blocks sent in parts.
    /// </summary>
    [Fact]
    public async Task Four_validators_over_loopback_tcp_commit_blocks_larger_than_a_frame()
    {
        const int BlockLength = 9 * 1024 * 1024;
        var kit = new ConsensusKit(1, 1, 1, 1);
        NetworkOptions Options(NodeKey key) => NetworkTestKit.Options(key) with
        {
            PeerExchangeEnabled = false,
            PayloadLengthMax = 4 * 1024 * 1024,
            SendQueueBytesMax = 64L * 1024 * 1024,
        };
        (MemoryBlocks[] blocks, long lastSynced) = await RunAsync(
            kit, new TimeoutConfig(4000, 1000, 2000, 500, 2000, 500), heights: 4, _ => new LargeBlockApp(BlockLength), Options, lastStartsAfterHeight: 2);
        Assert.All(blocks, b => Assert.All(b.Blocks, block => Assert.Equal(BlockLength, block.Block.Length)));
        Assert.InRange(lastSynced, 2, 4); // the late validator took the committed blocks it missed, in parts too
    }

    /// <summary>
    /// Runs the validators until each has <paramref name="heights"/> blocks; the last one starts only once the others
    /// have committed <paramref name="lastStartsAfterHeight"/> blocks, so it catches up by block sync. Returns the
    /// blocks and how many of them the last validator took from block sync.
    /// </summary>
    private static async Task<(MemoryBlocks[] Blocks, long LastSynced)> RunAsync(
        ConsensusKit kit, TimeoutConfig timeouts, int heights, Func<int, IReplicatedApplication> app, Func<NodeKey, NetworkOptions> networkOptions,
        int lastStartsAfterHeight = 0)
    {
        int n = kit.Secrets.Length;
        var options = new ConsensusOptions(ConsensusKit.ChainId, timeouts);
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
                networks[i] = new NetworkHost(networkOptions(nodeKeys[i]));
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
                    app(i), blocks[i], transports[i], loops[i]);
                if (i < n - 1 || lastStartsAfterHeight == 0) loops[i].Post(() => hosts[index]!.Start());
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            bool lastStarted = lastStartsAfterHeight == 0;
            while (!lastStarted || blocks.Any(b => Volatile.Read(ref b.CountForReaders) < heights))
            {
                if (!lastStarted && Volatile.Read(ref blocks[0].CountForReaders) >= lastStartsAfterHeight)
                {
                    loops[n - 1].Post(() => hosts[n - 1]!.Start());
                    lastStarted = true;
                }
                Assert.False(timeout.IsCancellationRequested, $"heights after 90 s: {string.Join(",", blocks.Select(b => b.CountForReaders))}");
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
        for (int height = 0; height < heights; height++)
        {
            StoredBlock first = blocks[0].Blocks[height];
            Assert.All(blocks, b => Assert.Equal(first.Hash, b.Blocks[height].Hash));
            Assert.Equal(CommitError.None, CommitVerifier.Verify(ConsensusKit.ChainId, first.Height, first.Hash, first.Certificate, kit.Set));
        }
        return (blocks, hosts[n - 1]!.SyncedBlockCount);
    }
}

/// <summary>
/// <see cref="CounterApp"/> with blocks of a fixed, large length: the height, then bytes drawn from a generator seeded
/// by the height, so every validator can check a block it did not build.
/// </summary>
internal sealed class LargeBlockApp(int blockLength) : IReplicatedApplication
{
    public ulong Height { get; private set; }

    public Hash256 StateRoot => Keccak256.Compute(BitConverter.GetBytes(Height));

    public Hash256 ComputeHash(byte[] block) => new(SHA256.HashData(block));

    public byte[] BuildBlock(Address proposer, IReadOnlyList<DuplicateVoteEvidence> evidence) => BlockAt(Height + 1);

    public string? Validate(Hash256 hash, byte[] block) =>
        block.AsSpan().SequenceEqual(BlockAt(Height + 1)) && ComputeHash(block) == hash ? null : "not the next block";

    public CommitResult Commit(Hash256 hash, byte[] block, CommitCertificate certificate)
    {
        string? invalid = Validate(hash, block);
        Height++;
        return new CommitResult(invalid, StateRoot, []);
    }

    public bool IsCommitted(DuplicateVoteEvidence evidence) => false;

    private byte[] BlockAt(ulong height)
    {
        byte[] block = new byte[blockLength];
        new Random((int)height).NextBytes(block);
        BinaryPrimitives.WriteUInt64BigEndian(block, height);
        return block;
    }
}
