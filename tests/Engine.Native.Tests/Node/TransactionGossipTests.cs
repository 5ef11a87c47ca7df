using System.Net;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using NexusFast.Native.Node;
using NexusFast.Native.Tests.Support;

namespace NexusFast.Native.Tests.Node;

/// <summary>
/// Transaction gossip between nodes that run consensus (no block producer): real RPC servers and real encrypted links on
/// 127.0.0.1, no consensus (the pools are what is checked).
/// </summary>
public sealed class TransactionGossipTests
{
    private static readonly TimeSpan s_waitLimit = TimeSpan.FromSeconds(20);

    private static readonly NodeOptions s_validatorOptions = new() { RunsConsensus = true, ClientVersion = "nexusfast/test" };

    [Fact]
    public async Task A_transaction_sent_to_one_validator_reaches_the_pools_of_the_others_and_no_block_is_mined()
    {
        await using var a = await GossipingNode.StartAsync();
        await using var b = await GossipingNode.StartAsync();
        await using var c = await GossipingNode.StartAsync();
        // A line: a - b - c. c hears of a's transactions only because b passes on what it admitted.
        b.Dial(a);
        c.Dial(b);
        await WaitUntilAsync(() => a.Network.Peers.Count == 1 && b.Network.Peers.Count == 2 && c.Network.Peers.Count == 1, "the links are up");

        Transaction[] transfers = Enumerable.Range(0, 5).Select(n => TestNode.Transfer(0, (ulong)n, TestNode.Account(2), new UInt256(1000))).ToArray();
        string batch = "[" + string.Join(",", transfers.Select((tx, i) =>
            $$"""{"jsonrpc":"2.0","id":{{i}},"method":"eth_sendRawTransaction","params":["{{TestNode.Raw(tx)}}"]}""")) + "]";
        (int status, string body) = await a.Rpc.PostRawAsync(batch);
        Assert.Equal(200, status);
        foreach (Transaction tx in transfers) Assert.Contains(tx.Hash.ToString(), body, StringComparison.Ordinal);

        await WaitUntilAsync(() => transfers.All(tx => b.Rpc.Chain.Pool.Contains(tx.Hash) && c.Rpc.Chain.Pool.Contains(tx.Hash)), "b and c pool all five");
        Assert.Equal(0UL, await a.Rpc.BlockNumberAsync()); // blocks are consensus's: the answer did not wait for one
        Assert.True(a.Rpc.Node.Metrics.Consensus.GossipTransactionsSent >= 5);
        Assert.Equal(5, c.Rpc.Node.Metrics.Consensus.GossipTransactionsAdmitted);
        Assert.Equal(2UL, TestNode.Quantity(await b.Rpc.ResultAsync("net_peerCount")));
    }

    [Fact]
    public async Task Without_relaying_a_transaction_reaches_the_entry_nodes_peers_and_goes_no_further()
    {
        await using var a = await GossipingNode.StartAsync(relay: false);
        await using var b = await GossipingNode.StartAsync(relay: false);
        await using var c = await GossipingNode.StartAsync(relay: false);
        // a - b - c, as above: without relaying (a full mesh's setting) c never hears of a's transaction, b does.
        b.Dial(a);
        c.Dial(b);
        await WaitUntilAsync(() => a.Network.Peers.Count == 1 && b.Network.Peers.Count == 2 && c.Network.Peers.Count == 1, "the links are up");
        Transaction tx = TestNode.Transfer(0, 0, TestNode.Account(2), new UInt256(1000));
        Assert.Equal(tx.Hash.ToString(), (await a.Rpc.ResultAsync("eth_sendRawTransaction", $"[\"{TestNode.Raw(tx)}\"]")).GetString(), StringComparer.OrdinalIgnoreCase);
        await WaitUntilAsync(() => b.Rpc.Chain.Pool.Contains(tx.Hash), "b pools it");
        // b's own admission of it from a peer must not be sent on: give a relay every chance to happen first.
        await Task.Delay(500);
        Assert.False(c.Rpc.Chain.Pool.Contains(tx.Hash));
        Assert.Equal(0, c.Rpc.Node.Metrics.Consensus.GossipTransactionsAdmitted);
    }

    [Fact]
    public async Task Development_methods_say_that_the_node_runs_bft_consensus()
    {
        await using TestNode node = await TestNode.StartAsync(s_validatorOptions);
        foreach (string method in (string[])["evm_mine", "evm_setAutomine", "evm_revert", "anvil_setBalance", "evm_snapshot"])
        {
            (int code, string message) = await node.ErrorAsync(method, "[]");
            Assert.Equal(-32601, code);
            Assert.StartsWith($"the method {method} is not available: this node runs BFT consensus", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_peer_relaying_an_invalid_transaction_stays_but_one_sending_undecodable_bytes_is_banned()
    {
        await using var node = await GossipingNode.StartAsync();
        NodeKey peerKey = NodeKey.Generate();
        var peer = new NetworkHost(GossipingNode.Options(peerKey));
        peer.RegisterGossip(MessageType.Transaction, (in InboundMessage _) => MessageVerdict.Ignore);
        peer.Start();
        try
        {
            peer.AddStaticPeer(node.Network.LocalAddress!);
            await WaitUntilAsync(() => node.Network.Peers.Count == 1, "the peer is connected");

            // Valid bytes, wrong chain: dropped, not admitted, no ban.
            Transaction wrongChain = TestNode.Transfer(0, 0, TestNode.Account(1), UInt256.One);
            wrongChain.ChainId = 999;
            TransactionSigner.Sign(wrongChain, TestNode.Keys[0]);
            Transaction good = TestNode.Transfer(1, 0, TestNode.Account(2), UInt256.One);
            peer.Broadcast(MessageType.Transaction, TransactionBatchCodec.Encode([TransactionEncoder.Encode(wrongChain), TransactionEncoder.Encode(good)]));
            await WaitUntilAsync(() => node.Rpc.Chain.Pool.Contains(good.Hash), "the valid transaction of the batch is pooled");
            Assert.False(node.Rpc.Chain.Pool.Contains(wrongChain.Hash));
            Assert.False(node.Network.Bans.IsBanned(peerKey.Id));
            Assert.Single(node.Network.Peers);

            // Bytes that are no transaction: the peer is disconnected and banned.
            peer.Broadcast(MessageType.Transaction, TransactionBatchCodec.Encode([[0xc3, 0x01]]));
            await WaitUntilAsync(() => node.Network.Bans.IsBanned(peerKey.Id) && node.Network.Peers.Count == 0, "the peer is banned");
        }
        finally
        {
            await peer.DisposeAsync();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + s_waitLimit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {s_waitLimit.TotalSeconds} s waiting until {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>A validator-mode node (in-memory chain, RPC) with a network host and transaction gossip, not yet linked.</summary>
    private sealed class GossipingNode : IAsyncDisposable
    {
        private readonly TransactionGossip _gossip;

        private GossipingNode(TestNode rpc, NetworkHost network, TransactionGossip gossip)
        {
            Rpc = rpc;
            Network = network;
            _gossip = gossip;
        }

        public TestNode Rpc { get; }

        public NetworkHost Network { get; }

        public static NetworkOptions Options(NodeKey key) => new()
        {
            NodeKey = key,
            Network = new NetworkIdentity(TestNode.ChainId, Hash256.Zero),
            ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            MaintenanceInterval = TimeSpan.FromMilliseconds(20),
            ReconnectDelayMin = TimeSpan.FromMilliseconds(40),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(400),
            PeerExchangeEnabled = false,
        };

        public static async Task<GossipingNode> StartAsync(bool relay = true)
        {
            TestNode rpc = await TestNode.StartAsync(s_validatorOptions);
            var network = new NetworkHost(Options(NodeKey.Generate()));
            var gossip = new TransactionGossip(rpc.Node, network, relay);
            network.Start();
            gossip.Start();
            rpc.Node.TransactionAdmitted = gossip.Enqueue;
            rpc.Node.PeerCount = () => network.Peers.Count;
            return new GossipingNode(rpc, network, gossip);
        }

        public void Dial(GossipingNode other) => Network.AddStaticPeer(other.Network.LocalAddress!);

        public async ValueTask DisposeAsync()
        {
            Rpc.Node.TransactionAdmitted = null;
            await Network.DisposeAsync();
            await _gossip.DisposeAsync();
            await Rpc.DisposeAsync();
        }
    }
}
