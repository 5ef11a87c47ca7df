using NexusFast.Engine.State.Tree;

namespace NexusFast.Engine.Tests.State.Tree;

/// <summary>The arena's pending epochs: a block's nodes stop being pending when the epoch moves on, also across its wrap.</summary>
public sealed class NodeArenaTests
{
    private static int NewPending(NodeArena arena)
    {
        int node = arena.Allocate();
        arena[node] = new ArenaNode { Kind = NodeKind.Leaf, Epoch = arena.PendingEpoch };
        return node;
    }

    [Fact]
    public void Nodes_are_pending_only_in_the_epoch_that_made_them()
    {
        var arena = new NodeArena(16);
        int first = NewPending(arena);
        Assert.True(arena.IsPending(first));
        arena.NextEpoch();
        Assert.False(arena.IsPending(first));
        int second = NewPending(arena);
        Assert.True(arena.IsPending(second));
        Assert.False(arena.IsPending(first));

        int loaded = arena.Allocate();
        arena[loaded] = new ArenaNode { Kind = NodeKind.Internal };
        Assert.False(arena.IsPending(loaded));
    }

    [Fact]
    public void When_the_epoch_counter_wraps_no_old_node_becomes_pending_again()
    {
        var arena = new NodeArena(16);
        int old = NewPending(arena);          // epoch 1
        arena.NextEpoch();
        arena.SetPendingEpoch(uint.MaxValue);
        int last = NewPending(arena);
        arena.NextEpoch();                    // wraps: the next pending epoch is 1 again, old's epoch

        Assert.Equal(1u, arena.PendingEpoch);
        Assert.False(arena.IsPending(old));
        Assert.False(arena.IsPending(last));
        Assert.True(arena.IsPending(NewPending(arena)));
    }
}
