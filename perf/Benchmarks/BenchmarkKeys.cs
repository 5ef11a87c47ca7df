using NexusFast.Interop.Secp256k1;

namespace NexusFast.Benchmarks;

/// <summary>Seeded secp256k1 secret keys for benchmark workloads (same seed, same keys, every run).</summary>
public static class BenchmarkKeys
{
    public static byte[][] Secrets(Random random, int count)
    {
        var secrets = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            var secret = new byte[Secp256k1.SecretKeyLength];
            do random.NextBytes(secret); while (!Secp256k1.IsValidSecretKey(secret));
            secrets[i] = secret;
        }
        return secrets;
    }
}
