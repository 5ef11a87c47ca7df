using System.Collections.Concurrent;
using NexusFast.Engine.Consensus;
using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

/// <summary>
/// <see cref="ConsensusTransport"/> between real hosts: a proposal larger than a part travels in parts and arrives
/// whole, is not sent twice on one link within <see cref="ConsensusTransport.LargeResendInterval"/>, and a validator
/// whose parts are bad is banned.
/// </summary>
public sealed class ConsensusTransportTests
{
    /// <summary>Timestamps in milliseconds that only the test advances.</summary>
    private sealed class ManualTimestamps : TimeProvider
    {
        private long _nowMs;

        public long NowMs
        {
            get => Volatile.Read(ref _nowMs);
            set => Volatile.Write(ref _nowMs, value);
        }

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => NowMs;
    }

    private static NetworkOptions LargeOptions(NodeKey key) => Options(key) with
    {
        PeerExchangeEnabled = false,
        PayloadLengthMax = 4 * 1024 * 1024,
        SendQueueBytesMax = 64L * 1024 * 1024,
    };

    private static Proposal LargeProposal(int blockLength, int seed, int round = 0)
    {
        byte[] block = new byte[blockLength];
        new Random(seed).NextBytes(block);
        return new Proposal(7, round, -1, new Hash256(System.Security.Cryptography.SHA256.HashData(block)), block, default,
            new byte[ConsensusSigning.SignatureLength]);
    }

    [Fact]
    public async Task A_proposal_larger_than_a_frame_arrives_whole_and_is_not_resent_on_the_same_link_too_soon()
    {
        using NodeKey aKey = Key("validator a");
        using NodeKey bKey = Key("validator b");
        var clock = new ManualTimestamps();
        var received = new ConcurrentQueue<object>();
        NodeId[] validators = [aKey.Id, bKey.Id];
        await using NetworkHost a = new(LargeOptions(aKey));
        await using NetworkHost b = new(LargeOptions(bKey));
        var sender = new ConsensusTransport(a, validators, (_, _) => { }, clock);
        _ = new ConsensusTransport(b, validators, (peer, message) => received.Enqueue(message));
        a.Start();
        b.Start();
        a.AddStaticPeer(b.LocalAddress!);
        await WaitUntilAsync(() => a.IsConnected(bKey.Id) && b.IsConnected(aKey.Id), "the validators are connected");

        Proposal proposal = LargeProposal(6 * 1024 * 1024 + 3, seed: 1);
        sender.Send(0, proposal);
        sender.Send(0, proposal); // a second status answer at once: the copy already queued will arrive
        await WaitUntilAsync(() => !received.IsEmpty, "the proposal arrived");
        await Task.Delay(300); // a second copy would follow the first on the link within milliseconds
        var arrived = Assert.IsType<Proposal>(Assert.Single(received));
        Assert.Equal(proposal.Block, arrived.Block);
        Assert.Equal(proposal with { Block = arrived.Block, Signature = arrived.Signature }, arrived);

        clock.NowMs = (long)ConsensusTransport.LargeResendInterval.TotalMilliseconds;
        sender.Send(0, proposal); // the peer may have dropped it: after the interval it goes again
        await WaitUntilAsync(() => received.Count == 2, "the proposal arrived again");
        Assert.False(b.Bans.IsBanned(aKey.Id));
    }

    public static TheoryData<string> BadParts => ["corrupted byte", "vote kind in a part", "proposal parts as block sync", "whole proposal as a part"];

    [Theory]
    [MemberData(nameof(BadParts))]
    public async Task A_validator_whose_parts_do_not_fit_together_is_banned(string fault)
    {
        using NodeKey hostKey = Key("validator host");
        using NodeKey malloryKey = Key("validator mallory");
        var received = new ConcurrentQueue<object>();
        await using NetworkHost host = await StartAsync(LargeOptions(hostKey),
            h => _ = new ConsensusTransport(h, [hostKey.Id, malloryKey.Id], (_, message) => received.Enqueue(message)));
        var events = new HostEvents(host);
        await using RawPeer mallory = await RawPeer.ConnectAsync(host, malloryKey);
        await events.Connected();

        byte[] encoded = PeerMessageCodec.Encode(LargeProposal(MessageParts.PartLength * 2 + 10, seed: 2));
        byte[][] parts = MessageParts.Split(encoded[0], encoded, out _);
        byte type = MessageType.ProposalPart;
        switch (fault)
        {
            case "corrupted byte": parts[2][^1] ^= 1; break;
            case "vote kind in a part": parts = MessageParts.Split((byte)PeerMessageKind.Vote, encoded, out _); break;
            case "proposal parts as block sync": type = MessageType.BlockResponse; break;
            case "whole proposal as a part": parts = [PeerMessageCodec.Encode(LargeProposal(100, seed: 3))]; break;
        }
        try
        {
            foreach (byte[] part in parts) await mallory.WriteAsync(mallory.Seal(type, part));
        }
        catch (IOException)
        {
            // The host may close the link at the first bad part, while later ones are still being written.
        }

        Assert.Equal(DisconnectReason.Misbehaved, (await events.Disconnected(e => e.Link.Id == malloryKey.Id)).Reason);
        Assert.True(host.Bans.IsBanned(malloryKey.Id));
        Assert.Empty(received);
    }

    [Fact]
    public async Task Parts_from_a_node_that_is_not_a_validator_are_ignored()
    {
        using NodeKey hostKey = Key("validator host");
        using NodeKey otherKey = Key("validator other");
        using NodeKey strangerKey = Key("stranger");
        var received = new ConcurrentQueue<object>();
        await using NetworkHost host = await StartAsync(LargeOptions(hostKey),
            h => _ = new ConsensusTransport(h, [hostKey.Id, otherKey.Id], (_, message) => received.Enqueue(message)));
        var events = new HostEvents(host);
        await using RawPeer stranger = await RawPeer.ConnectAsync(host, strangerKey);
        await events.Connected();

        byte[] encoded = PeerMessageCodec.Encode(LargeProposal(MessageParts.PartLength + 1, seed: 4));
        byte[][] parts = MessageParts.Split(encoded[0], encoded, out _);
        parts[1][^1] ^= 1; // even broken ones: a stranger's consensus traffic is not looked at
        foreach (byte[] part in parts) await stranger.WriteAsync(stranger.Seal(MessageType.ProposalPart, part));
        await stranger.WriteAsync(stranger.Seal(MessageType.Vote, PeerMessageCodec.Encode(new StatusMessage(1, 0)))); // kind and type disagree

        await Task.Delay(200);
        Assert.True(host.IsConnected(strangerKey.Id));
        Assert.Empty(received);
    }

    [Fact]
    public async Task Large_messages_that_would_fill_over_half_the_send_queue_wait_instead_of_overflowing_it()
    {
        using NodeKey hostKey = Key("validator host");
        using NodeKey slowKey = Key("validator slow");
        const long QueueBytesMax = 8L * 1024 * 1024;
        ConsensusTransport? transport = null;
        await using NetworkHost host = await StartAsync(LargeOptions(hostKey) with { SendQueueBytesMax = QueueBytesMax, SocketBufferBytes = 4096 },
            h => transport = new ConsensusTransport(h, [hostKey.Id, slowKey.Id], (_, _) => { }));
        var events = new HostEvents(host);
        await using RawPeer slow = await RawPeer.ConnectAsync(host, slowKey, receiveBufferBytes: 4096); // reads nothing
        PeerLink link = await events.Connected();

        // Three rounds' proposals of 3 MB, 9 MB in all: more than the queue holds, were they all queued.
        for (int round = 0; round < 3; round++) transport!.Send(0, LargeProposal(3 * 1024 * 1024, seed: round, round: round));

        Assert.False(link.IsClosed, $"the link closed: {link.CloseDetail}");
        Assert.InRange(link.QueuedBytes, 1, QueueBytesMax / 2);
    }

    [Fact]
    public async Task A_host_whose_payload_maximum_cannot_carry_a_part_is_refused()
    {
        using NodeKey key = Key("validator host");
        await using NetworkHost host = new(Options(key) with { PayloadLengthMax = MessageParts.PartPayloadLengthMax - 1 });
        var error = Assert.Throws<ArgumentException>(() => new ConsensusTransport(host, [key.Id], (_, _) => { }));
        Assert.Contains("below a message part's", error.Message);
    }
}
