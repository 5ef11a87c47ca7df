using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Engine.Storage;

namespace NexusFast.Engine.Tests.Storage;

public sealed class TxLocationIndexTests
{
    private static Hash256 TxHash(int i) => Keccak256.Compute(BitConverter.GetBytes(i));

    [Fact]
    public void Entries_spread_over_generations_are_all_found_and_a_missing_hash_is_not()
    {
        var index = new TxLocationIndex(generationCapacity: 4);
        for (int i = 0; i < 10; i++) index.Add(TxHash(i), new TxLocation((ulong)i / 3, i % 3));

        Assert.Equal(3, index.Generations);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(index.TryGetValue(TxHash(i), out TxLocation location));
            Assert.Equal(new TxLocation((ulong)i / 3, i % 3), location);
        }
        Assert.False(index.TryGetValue(TxHash(10), out TxLocation missing));
        Assert.Equal(default, missing);
    }

    [Fact]
    public void A_hash_added_again_is_found_at_its_newest_location_and_removing_that_gives_back_the_older()
    {
        var index = new TxLocationIndex(generationCapacity: 2);
        index.Add(TxHash(0), new TxLocation(0, 0));
        index.Add(TxHash(1), new TxLocation(0, 1));
        index.Add(TxHash(0), new TxLocation(5, 0));   // lands in the second generation
        Assert.True(index.TryGetValue(TxHash(0), out TxLocation newest));
        Assert.Equal(new TxLocation(5, 0), newest);

        Assert.True(index.Remove(TxHash(0)));
        Assert.Equal(1, index.Generations);   // the emptied newest generation is dropped
        Assert.True(index.TryGetValue(TxHash(0), out TxLocation older));
        Assert.Equal(new TxLocation(0, 0), older);
        Assert.True(index.Remove(TxHash(0)));
        Assert.False(index.Remove(TxHash(0)));
        Assert.False(index.TryGetValue(TxHash(0), out _));
        Assert.True(index.TryGetValue(TxHash(1), out _));
    }

    [Fact]
    public void Removing_a_block_that_filled_a_generation_lets_the_next_adds_continue_in_order()
    {
        var index = new TxLocationIndex(generationCapacity: 3);
        for (int i = 0; i < 5; i++) index.Add(TxHash(i), new TxLocation(1, i));
        for (int i = 4; i >= 0; i--) Assert.True(index.Remove(TxHash(i)));
        Assert.Equal(1, index.Generations);
        for (int i = 0; i < 7; i++) index.Add(TxHash(100 + i), new TxLocation(1, i));
        Assert.Equal(3, index.Generations);
        for (int i = 0; i < 7; i++) Assert.True(index.TryGetValue(TxHash(100 + i), out _));
    }

    [Fact]
    public void A_generation_capacity_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TxLocationIndex(0));
    }
}
