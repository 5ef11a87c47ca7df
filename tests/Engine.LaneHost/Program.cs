using System.Security.Cryptography;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Crypto.Lanes;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.LaneHost;

/// <summary>
/// <c>NexusFast.Engine.LaneHost</c>: prints <c>best &lt;path&gt;</c> (the <see cref="LaneSelection.Best"/> this
/// process chose), then hashes seeded batches through the default entry points (the ones the node uses) and prints
/// <c>sha256 ok</c> and <c>keccak256 ok</c>, or the first mismatch; exit code 0 when everything matched.
/// </summary>
public static class Program
{
    private static readonly int[] s_lengths = [0, 1, 20, 32, 55, 56, 64, 65, 135, 136, 137, 200];
    private static readonly int[] s_counts = [1, 3, 4, 7, 8, 9, 16, 17, 33];

    public static int Main()
    {
        Console.WriteLine($"best {LaneSelection.Best}");
        string? sha = CheckSha256();
        Console.WriteLine(sha ?? "sha256 ok");
        string? keccak = CheckKeccak256();
        Console.WriteLine(keccak ?? "keccak256 ok");
        return sha is null && keccak is null ? 0 : 1;
    }

    private static string? CheckSha256()
    {
        foreach (int length in s_lengths)
        {
            foreach (int count in s_counts)
            {
                byte[] inputs = Bytes(length * count, length * 100 + count);
                var outputs = new Hash256[count];
                Sha256Lanes.HashFixed(inputs, length, outputs);
                for (int i = 0; i < count; i++)
                {
                    if (outputs[i] != new Hash256(SHA256.HashData(inputs.AsSpan(i * length, length))))
                        return $"sha256 mismatch: input {i} of {count}, {length} bytes";
                }
            }
        }
        return null;
    }

    private static string? CheckKeccak256()
    {
        foreach (int length in s_lengths)
        {
            foreach (int count in s_counts)
            {
                byte[] inputs = Bytes(length * count, length * 100 + count);
                var outputs = new Hash256[count];
                Keccak256Lanes.HashFixed(inputs, length, outputs);
                for (int i = 0; i < count; i++)
                {
                    if (outputs[i] != Keccak256.Compute(inputs.AsSpan(i * length, length)))
                        return $"keccak256 mismatch: input {i} of {count}, {length} bytes";
                }
            }
        }
        return null;
    }

    private static byte[] Bytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
