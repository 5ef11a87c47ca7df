using NexusFast.Engine.Primitives;
using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.Tests.State.Tree;

/// <summary>The prefix sort of one tree's updates against the plain comparer sort it replaces.</summary>
public sealed class TreeUpdateOrderTests
{
    private static TreeUpdate[] RandomUpdates(Random random, int count, int owners, int sharedPrefixEvery)
    {
        var updates = new TreeUpdate[count];
        byte[] bytes = new byte[32];
        for (int i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            // Some keys copy an earlier key's first 8 bytes (or more), so that runs of equal prefixes occur.
            if (sharedPrefixEvery > 0 && i > 0 && i % sharedPrefixEvery == 0)
            {
                updates[random.Next(i)].Key.Bytes[..(8 + random.Next(20))].CopyTo(bytes);
            }
            var key = new Hash256(bytes);
            byte[] owner = new byte[32];
            owner[31] = (byte)random.Next(owners);
            updates[i] = new TreeUpdate { Owner = owners == 1 ? Hash256.Zero : new Hash256(owner), Key = key, LeafHash = key, Source = i };
        }
        return updates;
    }

    /// <summary>Sorts <paramref name="updates"/> with the prefix sort and returns a copy sorted by the plain comparer.</summary>
    private static TreeUpdate[] SortBoth(TreeUpdate[] updates)
    {
        TreeUpdate[] expected = (TreeUpdate[])updates.Clone();
        expected.AsSpan().Sort(new TreeUpdateOrder());
        ulong[] prefixes = [];
        int[] order = [];
        TreeUpdate[] scratch = [];
        TreeUpdateOrder.Sort(updates, ref prefixes, ref order, ref scratch);
        return expected;
    }

    [Theory]
    [InlineData(0, 1, 0)]
    [InlineData(1, 1, 0)]
    [InlineData(2, 1, 1)]
    [InlineData(1000, 1, 0)]
    [InlineData(5000, 1, 3)]
    [InlineData(3000, 4, 5)]
    public void The_prefix_sort_gives_the_order_of_the_comparer(int count, int owners, int sharedPrefixEvery)
    {
        var random = new Random(count * 31 + owners);
        TreeUpdate[] updates = RandomUpdates(random, count, owners, sharedPrefixEvery);
        TreeUpdate[] expected = SortBoth(updates);

        Assert.Equal(expected.Select(u => (u.Owner, u.Key, u.Source)), updates.Select(u => (u.Owner, u.Key, u.Source)));
        if (sharedPrefixEvery > 0 && owners == 1 && count > 2)
        {
            // The data did exercise the tie-breaking path.
            Assert.Contains(Enumerable.Range(1, count - 1), i => updates[i].Key.Bytes[..8].SequenceEqual(updates[i - 1].Key.Bytes[..8]));
        }
    }

    /// <summary>
    /// Keys that share their top 20 bits all fall into one bucket of the counting sort (a client can grind addresses
    /// for that): the bucket gets a full sort, and the order is still the comparer's.
    /// </summary>
    [Fact]
    public void Keys_crowded_into_one_bucket_still_sort_in_order()
    {
        var random = new Random(5);
        TreeUpdate[] updates = RandomUpdates(random, 20_000, owners: 1, sharedPrefixEvery: 7);
        for (int i = 0; i < updates.Length; i += 2)
        {
            byte[] bytes = updates[i].Key.Bytes.ToArray();
            (bytes[0], bytes[1], bytes[2]) = (0x12, 0x34, (byte)((bytes[2] & 0x0F) | 0x50));
            updates[i].Key = new Hash256(bytes);
        }
        TreeUpdate[] expected = SortBoth(updates);

        Assert.Equal(expected.Select(u => (u.Key, u.Source)), updates.Select(u => (u.Key, u.Source)));
    }
}
