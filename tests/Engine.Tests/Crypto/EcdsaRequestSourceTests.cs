using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;
using static NexusFast.Engine.Tests.Support.Secp256k1Math;

namespace NexusFast.Engine.Tests.Crypto;

/// <summary>The request-source form of <see cref="EcdsaBatchRecovery"/>: requests built on the workers, some declined.</summary>
public class EcdsaRequestSourceTests
{
    private const int Count = 500;

    private static bool Declined(int index) => index % 5 == 0 || index == Count - 1;

    [Theory]
    [InlineData(1, 16)]
    [InlineData(4, 7)]
    [InlineData(3, 1)]
    [InlineData(8, Count)]
    public void Declined_indexes_reach_no_sink_and_do_not_count_and_the_rest_equal_single_recovery(int workers, int itemsPerChunk)
    {
        var random = new Random(77);
        var requests = new EcdsaRecoveryRequest[Count];
        var expected = new byte[Count][];
        var signature = new byte[64];
        for (int i = 0; i < Count; i++)
        {
            byte[] secret = RandomSecret(random);
            byte[] hash = RandomHash(random);
            Secp256k1.SignRecoverable(hash, secret, signature, out byte recoveryId);
            requests[i] = new EcdsaRecoveryRequest(new Hash256(hash), signature, recoveryId);
            expected[i] = PublicKey(secret)[1..];
        }

        var calls = new int[Count];
        var asked = new int[Count];
        var keys = new byte[Count * 64];
        int recovered = new EcdsaBatchRecovery(workers, itemsPerChunk).Recover(Count, new ArraySource(requests, asked), new CountingSink(calls, keys));

        int expectedRecovered = 0;
        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(1, asked[i]);
            if (Declined(i))
            {
                Assert.Equal(0, calls[i]);
                continue;
            }
            expectedRecovered++;
            Assert.Equal(1, calls[i]);
            Assert.Equal(expected[i], keys.AsSpan(i * 64, 64).ToArray());
        }
        Assert.Equal(expectedRecovered, recovered);
    }

    [Fact]
    public void A_negative_count_is_refused_and_zero_does_nothing()
    {
        var recoverer = new EcdsaBatchRecovery();
        Assert.Throws<ArgumentOutOfRangeException>(() => recoverer.Recover(-1, new ArraySource([], []), new CountingSink([], [])));
        Assert.Equal(0, recoverer.Recover(0, new ArraySource([], []), new CountingSink([], [])));
    }

    private readonly struct ArraySource(EcdsaRecoveryRequest[] requests, int[] asked) : IEcdsaRequestSource
    {
        public bool TryGetRequest(int index, out EcdsaRecoveryRequest request)
        {
            Interlocked.Increment(ref asked[index]);
            request = requests[index];
            return !Declined(index);
        }
    }

    private readonly struct CountingSink(int[] calls, byte[] keys) : IRecoveredPublicKeySink
    {
        public void OnRecovered(int index, ReadOnlySpan<byte> publicKeyXY64)
        {
            publicKeyXY64.CopyTo(keys.AsSpan(index * 64, 64));
            Interlocked.Increment(ref calls[index]);
        }

        public void OnFailed(int index) => Interlocked.Add(ref calls[index], 100);
    }
}
