using NexusFast.Engine.Network;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Tests.Network;

public class SeenMessagesTests
{
    [Fact]
    public void A_hash_is_new_once_and_the_oldest_is_forgotten_past_capacity()
    {
        var seen = new SeenMessages(capacity: 3);
        Hash256[] hashes = Enumerable.Range(0, 5).Select(i => SeenMessages.HashOf(16, [(byte)i])).ToArray();

        Assert.True(seen.TryAdd(hashes[0]));
        Assert.False(seen.TryAdd(hashes[0]));
        Assert.True(seen.TryAdd(hashes[1]));
        Assert.True(seen.TryAdd(hashes[2]));
        Assert.Equal(3, seen.Count);

        Assert.True(seen.TryAdd(hashes[3]));
        Assert.Equal(3, seen.Count);
        Assert.False(seen.Contains(hashes[0]));
        Assert.True(seen.Contains(hashes[1]) && seen.Contains(hashes[2]) && seen.Contains(hashes[3]));

        Assert.True(seen.TryAdd(hashes[0])); // forgotten, so new again
        Assert.False(seen.Contains(hashes[1]));
        Assert.False(seen.TryAdd(hashes[3]));
    }

    [Fact]
    public void Concurrent_adds_of_one_hash_let_exactly_one_through()
    {
        var seen = new SeenMessages(capacity: 1024);
        for (int round = 0; round < 50; round++)
        {
            Hash256 hash = SeenMessages.HashOf(17, BitConverter.GetBytes(round));
            int winners = 0;
            Parallel.For(0, 8, _ =>
            {
                if (seen.TryAdd(hash)) Interlocked.Increment(ref winners);
            });
            Assert.Equal(1, winners);
        }
    }
}
