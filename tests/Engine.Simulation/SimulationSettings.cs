namespace NexusFast.Engine.Simulation;

/// <summary>
/// Which seeds to run, from the environment so that `./build.sh sim --seeds N` / `--seed S` reach the test:
/// NEXUSFAST_SIM_SEED (one seed, verbose), NEXUSFAST_SIM_SEEDS (how many, default 1000), NEXUSFAST_SIM_FIRST_SEED.
/// </summary>
public static class SimulationSettings
{
    public const int DefaultSeedCount = 1000;

    public static (ulong First, int Count, bool Single) Read()
    {
        if (TryRead("NEXUSFAST_SIM_SEED", out ulong single)) return (single, 1, true);
        ulong first = TryRead("NEXUSFAST_SIM_FIRST_SEED", out ulong f) ? f : 0;
        int count = TryRead("NEXUSFAST_SIM_SEEDS", out ulong c) ? checked((int)c) : DefaultSeedCount;
        return (first, count, false);
    }

    private static bool TryRead(string name, out ulong value)
    {
        value = 0;
        string? text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (!ulong.TryParse(text, out value)) throw new InvalidOperationException($"{name}={text} is not a non-negative integer");
        return true;
    }
}
