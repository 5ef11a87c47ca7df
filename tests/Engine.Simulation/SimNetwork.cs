using NexusFast.Engine.Network;

namespace NexusFast.Engine.Simulation;

/// <summary>Network conditions; all probabilities per message.</summary>
public sealed record NetworkConditions(long DelayMinMs, long DelayMaxMs, double LossProbability, double DuplicateProbability)
{
    public static readonly NetworkConditions Calm = new(1, 20, 0, 0);
}

/// <summary>
/// A simulated network between endpoints 0..n-1: random delay (which also reorders), loss, duplication, and a set of
/// blocked directed links (partitions, symmetric or not). Every choice comes from the run's one random generator.
/// Messages travel as bytes in the peer-link encoding (<see cref="PeerMessageCodec"/>) and are decoded on delivery, so
/// the simulation exercises the wire format the TCP links use.
/// </summary>
public sealed class SimNetwork(SimScheduler scheduler, SimRandom random, int endpoints)
{
    private readonly bool[,] _blocked = new bool[endpoints, endpoints];

    public NetworkConditions Conditions { get; set; } = NetworkConditions.Calm;

    public long SentCount { get; private set; }

    public long DroppedCount { get; private set; }

    /// <summary>Called on delivery: (from, to, message).</summary>
    public Action<int, int, object>? Deliver { get; set; }

    public void Send(int from, int to, object message)
    {
        SentCount++;
        byte[] bytes = PeerMessageCodec.Encode(message);
        if (_blocked[from, to] || random.Chance(Conditions.LossProbability))
        {
            DroppedCount++;
            return;
        }
        int copies = random.Chance(Conditions.DuplicateProbability) ? 2 : 1;
        for (int i = 0; i < copies; i++)
        {
            long delay = random.Between(Conditions.DelayMinMs, Conditions.DelayMaxMs);
            scheduler.After(delay, () =>
            {
                // A partition that formed while the message was in flight cuts it too.
                if (_blocked[from, to]) return;
                Deliver?.Invoke(from, to, PeerMessageCodec.Decode(bytes));
            });
        }
    }

    /// <summary>Blocks every link between the two groups, in both directions or only from <paramref name="a"/> to <paramref name="b"/>.</summary>
    public void Partition(IReadOnlyCollection<int> a, IReadOnlyCollection<int> b, bool symmetric)
    {
        foreach (int x in a)
        {
            foreach (int y in b)
            {
                _blocked[x, y] = true;
                if (symmetric) _blocked[y, x] = true;
            }
        }
    }

    public void Heal()
    {
        Array.Clear(_blocked);
    }
}

