using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Tests.Consensus;

namespace NexusFast.Engine.Tests.Network;

public sealed class PeerMessageCodecTests
{
    private readonly ConsensusKit _kit = new(1, 1, 1, 1);

    [Fact]
    public void Every_message_kind_round_trips()
    {
        byte[] block = ConsensusKit.Block("payload");
        Hash256 hash = ConsensusKit.BlockHash(block);
        Proposal proposal = _kit.Proposal(0, 9, 3, 1, block);
        Vote vote = _kit.Vote(1, ConsensusMessageType.Precommit, 9, 3, hash);
        var certificate = CommitVerifier.FromPrecommits(3, [vote, _kit.Vote(2, ConsensusMessageType.Precommit, 9, 3, hash), _kit.Vote(3, ConsensusMessageType.Precommit, 9, 3, hash)], hash);

        var decodedProposal = Assert.IsType<Proposal>(PeerMessageCodec.Decode(PeerMessageCodec.Encode(proposal)));
        Assert.Equal((proposal.Height, proposal.Round, proposal.PolRound, proposal.BlockHash, proposal.Proposer), (decodedProposal.Height, decodedProposal.Round, decodedProposal.PolRound, decodedProposal.BlockHash, decodedProposal.Proposer));
        Assert.True(decodedProposal.Authenticate(ConsensusKit.ChainId));
        Assert.True(Assert.IsType<Vote>(PeerMessageCodec.Decode(PeerMessageCodec.Encode(vote))).Authenticate(ConsensusKit.ChainId));
        Assert.Equal(new StatusMessage(9, 3), PeerMessageCodec.Decode(PeerMessageCodec.Encode(new StatusMessage(9, 3))));
        var committed = Assert.IsType<CommittedBlockMessage>(PeerMessageCodec.Decode(PeerMessageCodec.Encode(new CommittedBlockMessage(9, hash, block, certificate))));
        Assert.Equal(CommitError.None, CommitVerifier.Verify(ConsensusKit.ChainId, 9, committed.BlockHash, committed.Certificate, _kit.Set));
        Assert.Equal(block, committed.Block);
    }

    [Fact]
    public void Malformed_messages_are_format_errors()
    {
        byte[] status = PeerMessageCodec.Encode(new StatusMessage(1, 0));
        Assert.Throws<FormatException>(() => PeerMessageCodec.Decode([]));
        Assert.Throws<FormatException>(() => PeerMessageCodec.Decode([99, 0xC0]));
        Assert.ThrowsAny<FormatException>(() => PeerMessageCodec.Decode([.. status, 0x00]));
        Assert.ThrowsAny<FormatException>(() => PeerMessageCodec.Decode(status.AsSpan(0, status.Length - 1)));
        byte[] proposal = PeerMessageCodec.Encode(_kit.Proposal(0, 1, 2, 1, ConsensusKit.Block("b")));
        Assert.ThrowsAny<FormatException>(() => PeerMessageCodec.Decode(proposal.AsSpan(0, proposal.Length - 3)));
    }
}

public sealed class PeerLinkTests
{
    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static async Task<(SecureChannel A, SecureChannel B, IDisposable Sockets)> Channels()
    {
        NodeKey a = NodeKey.Generate(), b = NodeKey.Generate();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        Task connect = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancel.Token).AsTask();
        TcpClient server = await listener.AcceptTcpClientAsync(cancel.Token);
        await connect;
        listener.Stop();
        Task<SecureChannel> sideA = SecureHandshake.RunAsync(client.GetStream(), a, 5, _ => true, cancel.Token);
        SecureChannel sideB = await SecureHandshake.RunAsync(server.GetStream(), b, 5, _ => true, cancel.Token);
        return (await sideA, sideB, new Both(client, server));
    }

    private sealed class Both(TcpClient a, TcpClient b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }

    [Fact]
    public async Task Messages_queued_on_one_side_arrive_decoded_and_in_order_on_the_other()
    {
        var (a, b, sockets) = await Channels();
        using (sockets)
        {
            var received = new BlockingCollection<object>();
            await using var sender = new PeerLink(a, 64, (_, _) => { }, (_, _) => { });
            await using var receiver = new PeerLink(b, 64, (_, message) => received.Add(message), (_, _) => { });
            for (int i = 0; i < 10; i++) Assert.True(sender.Send(new StatusMessage((ulong)i, i)));
            for (int i = 0; i < 10; i++)
            {
                Assert.True(received.TryTake(out object? message, TimeSpan.FromSeconds(10)));
                Assert.Equal(new StatusMessage((ulong)i, i), message);
            }
        }
    }

    [Fact]
    public async Task A_peer_that_sends_garbage_is_disconnected_reported_and_banned_for_a_while()
    {
        var (a, b, sockets) = await Channels();
        using (sockets)
        {
            var closed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var time = new ManualTime();
            var bans = new BanList(time);
            await using var receiver = new PeerLink(b, 64, (_, _) => { }, (link, reason) =>
            {
                if (reason is not null) bans.Ban(link.RemotePublicKey, TimeSpan.FromMinutes(10));
                closed.TrySetResult(reason);
            });
            await a.SendAsync(new byte[] { 0xEE, 1, 2, 3 });
            string? reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Contains("unknown peer message kind", reason, StringComparison.Ordinal);
            Assert.True(bans.IsBanned(receiver.RemotePublicKey));
            time.Now += TimeSpan.FromMinutes(11);
            Assert.False(bans.IsBanned(receiver.RemotePublicKey));
            a.Dispose();
        }
    }

    [Fact]
    public async Task A_full_queue_drops_the_oldest_messages_instead_of_blocking()
    {
        var (a, b, sockets) = await Channels();
        using (sockets)
        {
            // Nobody reads on b's side, so a's sends pile up in its queue once the socket buffers are full.
            await using var sender = new PeerLink(a, 4, (_, _) => { }, (_, _) => { });
            byte[] big = new byte[256 * 1024];
            var block = new CommittedBlockMessage(1, default, big, new NexusFast.Engine.Ledger.CommitCertificate(0, []));
            for (int i = 0; i < 200; i++) Assert.True(sender.Send(block));
            Assert.True(sender.DroppedCount > 0);
            b.Dispose();
        }
    }
}
