using System.Net;
using NexusFast.Engine.Network;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

public class AddressBookTests
{
    /// <summary>Timestamps in milliseconds that only the test advances.</summary>
    private sealed class ManualTimestamps : TimeProvider
    {
        public long NowMs { get; set; }

        public override long TimestampFrequency => 1000;

        public override long GetTimestamp() => NowMs;
    }

    private static PeerAddress Address(string name, int port)
    {
        using NodeKey key = Key(name);
        return new PeerAddress(key.Id, new IPEndPoint(IPAddress.Loopback, port));
    }

    private static (AddressBook Book, ManualTimestamps Clock, PeerAddress Static) Create(int knownMax = 4, int failuresMax = 3)
    {
        var clock = new ManualTimestamps();
        PeerAddress staticPeer = Address("static", 1000);
        using NodeKey self = Key("self");
        NetworkOptions options = Options(self, staticPeer) with
        {
            Time = clock,
            ReconnectDelayMin = TimeSpan.FromMilliseconds(100),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(1000),
            KnownAddressesMax = knownMax,
            DialFailuresMax = failuresMax,
        };
        return (new AddressBook(options), clock, staticPeer);
    }

    private static List<PeerAddress> Due(AddressBook book, ManualTimestamps clock, int slots = 10) =>
        book.TakeDue(clock.NowMs, slots, _ => false);

    [Fact]
    public void Failed_dials_back_off_doubling_up_to_the_maximum()
    {
        (AddressBook book, ManualTimestamps clock, PeerAddress peer) = Create();
        Assert.Equal(
            [100, 200, 400, 800, 1000, 1000],
            Enumerable.Range(1, 6).Select(failures => book.Backoff(failures).TotalMilliseconds));

        Assert.Equal([peer], Due(book, clock));
        Assert.Empty(Due(book, clock)); // dialing already
        book.OnDialFailed(peer.Id, clock.NowMs);
        clock.NowMs += 99;
        Assert.Empty(Due(book, clock));
        clock.NowMs += 1;
        Assert.Equal([peer], Due(book, clock));
        book.OnDialFailed(peer.Id, clock.NowMs);
        clock.NowMs += 199;
        Assert.Empty(Due(book, clock));
        clock.NowMs += 1;
        Assert.Equal([peer], Due(book, clock));
    }

    [Fact]
    public void Only_a_link_that_lasted_clears_the_failures_so_a_peer_that_drops_us_at_once_keeps_backing_off()
    {
        (AddressBook book, ManualTimestamps clock, PeerAddress peer) = Create();
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal([peer], Due(book, clock));
            book.OnDialSucceeded(peer.Id);   // the handshake worked ...
            book.OnDialFailed(peer.Id, clock.NowMs); // ... and the peer closed the link at once
            Assert.Equal(i, book.FailuresOf(peer.Id)); // a static peer is never forgotten
            clock.NowMs += (long)book.Backoff(i).TotalMilliseconds;
        }
        Assert.Equal([peer], Due(book, clock));
        book.OnDialSucceeded(peer.Id);
        book.OnDisconnected(peer.Id, clock.NowMs);
        Assert.Equal(0, book.FailuresOf(peer.Id));
    }

    [Fact]
    public void Learned_addresses_are_bounded_limited_by_free_slots_and_forgotten_after_repeated_failures()
    {
        (AddressBook book, ManualTimestamps clock, PeerAddress staticPeer) = Create(knownMax: 2, failuresMax: 2);
        PeerAddress a = Address("a", 1001);
        PeerAddress b = Address("b", 1002);
        Assert.True(book.TryAddDiscovered(a));
        Assert.False(book.TryAddDiscovered(a));
        Assert.False(book.TryAddDiscovered(staticPeer));
        Assert.True(book.TryAddDiscovered(b));
        Assert.False(book.TryAddDiscovered(Address("c", 1003))); // full
        Assert.Equal(2, book.DiscoveredCount);

        // One slot for learned peers: the static peer is due regardless, plus one learned peer.
        List<PeerAddress> due = Due(book, clock, slots: 1);
        Assert.Equal(2, due.Count);
        Assert.Contains(staticPeer, due);
        PeerAddress learned = due.Single(p => p != staticPeer);
        Assert.Equal(2, book.DialingCount);

        book.OnDialFailed(learned.Id, clock.NowMs);
        clock.NowMs += 100;
        Assert.Contains(learned, Due(book, clock, slots: 2));
        book.OnDialFailed(learned.Id, clock.NowMs);
        Assert.Equal(-1, book.FailuresOf(learned.Id)); // forgotten after DialFailuresMax
        Assert.Equal(1, book.DiscoveredCount);
        Assert.True(book.TryAddDiscovered(Address("c", 1003))); // its place is free again

        PeerAddress other = learned == a ? b : a;
        Assert.Equal(2, book.DiscoveredCount);
        book.AddStatic(other); // promoted: no longer counted among learned addresses
        Assert.True(book.IsStatic(other.Id));
        Assert.Equal(1, book.DiscoveredCount);
    }
}
