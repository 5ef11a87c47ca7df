using System.Net;
using NexusFast.Engine.Network;
using static NexusFast.Engine.Tests.Network.NetworkTestKit;

namespace NexusFast.Engine.Tests.Network;

public class BanListTests
{
    /// <summary>A clock the test moves by hand; only wall-clock reads are needed by the ban list.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }

    [Fact]
    public void A_ban_holds_until_its_duration_has_passed_and_then_lapses()
    {
        var clock = new ManualClock();
        var bans = new BanList(clock);
        using NodeKey mallory = Key("mallory");
        IPAddress address = IPAddress.Parse("10.0.0.7");

        bans.Ban(mallory.Id, address, TimeSpan.FromMinutes(10));
        Assert.True(bans.IsBanned(mallory.Id));
        Assert.True(bans.IsBanned(address));
        Assert.Equal(2, bans.Count);

        clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.True(bans.IsBanned(mallory.Id));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(bans.IsBanned(mallory.Id));
        Assert.False(bans.IsBanned(address));
        Assert.Equal(0, bans.Count);
    }

    [Fact]
    public void Node_and_address_bans_are_separate_keys_and_an_ipv4_mapped_address_is_the_same_host()
    {
        var bans = new BanList(new ManualClock());
        using NodeKey mallory = Key("mallory");
        using NodeKey honest = Key("honest");

        bans.Ban(mallory.Id, null, TimeSpan.FromMinutes(1));
        bans.Ban(null, IPAddress.Parse("192.168.1.5"), TimeSpan.FromMinutes(1));

        Assert.True(bans.IsBanned(mallory.Id));
        Assert.False(bans.IsBanned(honest.Id));
        Assert.True(bans.IsBanned(IPAddress.Parse("::ffff:192.168.1.5")));
        Assert.False(bans.IsBanned(IPAddress.Parse("192.168.1.6")));

        bans.Unban(mallory.Id, IPAddress.Parse("192.168.1.5"));
        Assert.False(bans.IsBanned(mallory.Id));
        Assert.False(bans.IsBanned(IPAddress.Parse("192.168.1.5")));
    }

    [Fact]
    public void A_shorter_ban_does_not_cut_a_longer_one_short()
    {
        var clock = new ManualClock();
        var bans = new BanList(clock);
        IPAddress address = IPAddress.Parse("10.1.1.1");
        bans.Ban(null, address, TimeSpan.FromHours(1));
        bans.Ban(null, address, TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(bans.IsBanned(address));
    }

    [Fact]
    public void A_full_ban_list_drops_expired_entries_first_then_the_one_closest_to_expiry()
    {
        var clock = new ManualClock();
        var bans = new BanList(clock, entriesMax: 3);
        IPAddress[] addresses = Enumerable.Range(1, 5).Select(i => IPAddress.Parse($"10.0.0.{i}")).ToArray();
        bans.Ban(null, addresses[0], TimeSpan.FromMinutes(1));
        bans.Ban(null, addresses[1], TimeSpan.FromMinutes(30));
        bans.Ban(null, addresses[2], TimeSpan.FromMinutes(20));
        clock.Advance(TimeSpan.FromMinutes(2));

        bans.Ban(null, addresses[3], TimeSpan.FromMinutes(40)); // replaces the expired first entry
        Assert.True(bans.IsBanned(addresses[1]) && bans.IsBanned(addresses[2]) && bans.IsBanned(addresses[3]));

        bans.Ban(null, addresses[4], TimeSpan.FromMinutes(40)); // full of live bans: the 20-minute one goes
        Assert.False(bans.IsBanned(addresses[2]));
        Assert.True(bans.IsBanned(addresses[1]) && bans.IsBanned(addresses[3]) && bans.IsBanned(addresses[4]));
    }
}
