using System.Diagnostics;
using NexusFast.Engine.Crypto;

namespace NexusFast.Load;

/// <summary>
/// The raw libsecp256k1 recovery rate on this machine, measured in the same run as the load: the workload's own
/// signatures recovered through <see cref="EcdsaBatchRecovery"/> (public keys only: no decoding, hashing or address),
/// on one core and on all cores. End-to-end throughput is judged against the all-core rate.
/// </summary>
public static class RecoveryBaseline
{
    public readonly record struct Rates(double SingleCorePerSecond, double AllCoresPerSecond, int Cores);

    public static Rates Measure(ReadOnlySpan<EcdsaRecoveryRequest> signatures, int sample = 20_000, int rounds = 5)
    {
        ReadOnlySpan<EcdsaRecoveryRequest> work = signatures[..Math.Min(sample, signatures.Length)];
        var keys = new byte[work.Length * EcdsaBatchRecovery.PublicKeyLength];
        var ok = new bool[work.Length];
        var single = new EcdsaBatchRecovery(1, EcdsaBatchRecovery.DefaultItemsPerChunk);
        var all = new EcdsaBatchRecovery();
        int warm = Math.Min(1000, work.Length);
        single.Recover(work[..warm], keys.AsSpan(0, warm * EcdsaBatchRecovery.PublicKeyLength), ok.AsSpan(0, warm));
        // Interleaved rounds, median of each: the machine is shared, so both see the same background.
        var singleRates = new double[rounds];
        var allRates = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            singleRates[r] = Rate(single, work, keys, ok);
            allRates[r] = Rate(all, work, keys, ok);
        }
        return new Rates(Median(singleRates), Median(allRates), all.MaxDegreeOfParallelism);
    }

    private static double Rate(EcdsaBatchRecovery recovery, ReadOnlySpan<EcdsaRecoveryRequest> work, byte[] keys, bool[] ok)
    {
        long start = Stopwatch.GetTimestamp();
        int recovered = recovery.Recover(work, keys, ok);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (recovered != work.Length) throw new InvalidOperationException($"only {recovered} of {work.Length} signatures recovered");
        return work.Length / seconds;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }
}
