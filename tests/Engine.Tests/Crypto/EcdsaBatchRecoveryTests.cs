using System.Numerics;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;
using NexusFast.Interop.Secp256k1;
using Xunit.Abstractions;
using static NexusFast.Engine.Tests.Support.Secp256k1Math;

namespace NexusFast.Engine.Tests.Crypto;

public class EcdsaBatchRecoveryTests
{
    private const int Seed = 4_242;
    private const int BatchSize = 1000;

    private readonly ITestOutputHelper _output;

    public EcdsaBatchRecoveryTests(ITestOutputHelper output) => _output = output;

    /// <summary>Seeded batch: valid signatures, with invalid ones at positions chosen by <see cref="Defect"/>.</summary>
    private static readonly Lazy<Batch> s_batch = new(() => Batch.Create(BatchSize, Seed));

    /// <summary>Which defect, if any, the item at <paramref name="index"/> carries.</summary>
    private static string? Defect(int index) => index switch
    {
        _ when index % 97 == 13 => "high-s",
        _ when index % 101 == 7 => "r=0",
        _ when index % 103 == 5 => "s=n",
        _ when index % 89 == 3 => "recovery id 4",
        _ when index % 109 == 11 => "r not on the curve",
        BatchSize - 1 => "high-s",
        _ => null,
    };

    public static TheoryData<string> Configurations => ["default", "4 workers, 7 per chunk", "2 workers, 1 per chunk", "1 worker", "one chunk"];

    private static EcdsaBatchRecovery Create(string configuration) => configuration switch
    {
        "default" => new EcdsaBatchRecovery(),
        "4 workers, 7 per chunk" => new EcdsaBatchRecovery(4, 7),
        "2 workers, 1 per chunk" => new EcdsaBatchRecovery(2, 1),
        "1 worker" => new EcdsaBatchRecovery(1, EcdsaBatchRecovery.DefaultItemsPerChunk),
        "one chunk" => new EcdsaBatchRecovery(Environment.ProcessorCount, BatchSize),
        _ => throw new ArgumentOutOfRangeException(nameof(configuration)),
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Batch_recovery_equals_single_recovery_on_1000_items_with_invalid_ones_at_known_positions(string configuration)
    {
        Batch batch = s_batch.Value;
        var recoverer = Create(configuration);
        var publicKeys = new byte[BatchSize * 64];
        publicKeys.AsSpan().Fill(0xAA); // failures must be zeroed, not left as they were
        var recovered = new bool[BatchSize];

        int recoveredCount = recoverer.Recover(batch.Requests, publicKeys, recovered);

        int invalid = 0;
        var single = new byte[64];
        var signature = new byte[64];
        for (int i = 0; i < BatchSize; i++)
        {
            byte[] key = publicKeys.AsSpan(i * 64, 64).ToArray();
            EcdsaRecoveryRequest request = batch.Requests[i];
            request.R.CopyTo(signature.AsSpan(0, 32));
            request.S.CopyTo(signature.AsSpan(32));
            bool singleOk = Secp256k1.TryRecoverXY(request.MessageHash.Bytes, signature, request.RecoveryId, single);

            Assert.Equal(singleOk, recovered[i]);
            if (Defect(i) is { } defect)
            {
                invalid++;
                Assert.False(recovered[i], $"item {i} ({defect}) recovered");
                Assert.Equal(new byte[64], key);
            }
            else
            {
                Assert.True(recovered[i], $"item {i} did not recover");
                Assert.Equal(single, key);
                Assert.Equal(batch.ExpectedKeys[i], key);
            }
        }

        Assert.Equal(BatchSize - invalid, recoveredCount);
        _output.WriteLine($"{configuration}: {BatchSize} items, {recoveredCount} recovered, {invalid} invalid (as planted)");
    }

    [Fact]
    public void A_sink_sees_every_index_exactly_once_with_the_key_single_recovery_gives()
    {
        Batch batch = s_batch.Value;
        var calls = new int[BatchSize];
        var keys = new byte[BatchSize * 64];
        var sink = new RecordingSink(calls, keys);

        int recoveredCount = new EcdsaBatchRecovery(4, 5).Recover(batch.Requests, sink);

        int succeeded = 0;
        for (int i = 0; i < BatchSize; i++)
        {
            Assert.Equal(1, Math.Abs(calls[i]));
            if (calls[i] > 0)
            {
                succeeded++;
                Assert.Equal(batch.ExpectedKeys[i], keys.AsSpan(i * 64, 64).ToArray());
            }
            Assert.Equal(Defect(i) is null, calls[i] > 0);
        }
        Assert.Equal(succeeded, recoveredCount);
    }

    [Fact]
    public void A_batch_smaller_than_one_chunk_runs_inline_with_the_same_results()
    {
        Batch batch = s_batch.Value;
        const int count = 10;
        var recoverer = new EcdsaBatchRecovery();
        Assert.True(count < recoverer.ItemsPerChunk);
        var publicKeys = new byte[count * 64];
        var recovered = new bool[count];

        recoverer.Recover(batch.Requests.AsSpan(0, count), publicKeys, recovered);

        for (int i = 0; i < count; i++)
        {
            Assert.Equal(Defect(i) is null, recovered[i]);
            if (recovered[i]) Assert.Equal(batch.ExpectedKeys[i], publicKeys.AsSpan(i * 64, 64).ToArray());
        }
    }

    [Fact]
    public void An_empty_batch_recovers_nothing()
    {
        Assert.Equal(0, new EcdsaBatchRecovery().Recover([], [], []));
    }

    [Fact]
    public void Outputs_of_the_wrong_size_throw_before_any_work()
    {
        Batch batch = s_batch.Value;
        var recoverer = new EcdsaBatchRecovery();
        EcdsaRecoveryRequest[] requests = batch.Requests[..3];

        var keysError = Assert.Throws<ArgumentException>(() => recoverer.Recover(requests, new byte[3 * 65], new bool[3]));
        Assert.Equal("publicKeys", keysError.ParamName);
        Assert.Contains("192", keysError.Message);

        var flagsError = Assert.Throws<ArgumentException>(() => recoverer.Recover(requests, new byte[3 * 64], new bool[2]));
        Assert.Equal("recovered", flagsError.ParamName);
    }

    [Fact]
    public void Parallelism_and_chunk_size_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EcdsaBatchRecovery(0, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EcdsaBatchRecovery(4, 0));
    }

    [Fact]
    public void A_request_built_from_uint256_values_equals_one_built_from_the_compact_signature()
    {
        var random = new Random(Seed + 1);
        byte[] hash = RandomHash(random);
        var signature = new byte[64];
        Secp256k1.SignRecoverable(hash, RandomSecret(random), signature, out byte recoveryId);
        var messageHash = new Hash256(hash);

        var fromBytes = new EcdsaRecoveryRequest(messageHash, signature, recoveryId);
        var fromIntegers = new EcdsaRecoveryRequest(
            messageHash,
            UInt256.FromBigEndian32(signature.AsSpan(0, 32)),
            UInt256.FromBigEndian32(signature.AsSpan(32)),
            recoveryId);

        Assert.Equal(fromBytes.R, fromIntegers.R);
        Assert.Equal(fromBytes.S, fromIntegers.S);
        Assert.Equal(fromBytes.MessageHash, fromIntegers.MessageHash);
        Assert.Equal(fromBytes.RecoveryId, fromIntegers.RecoveryId);
        Assert.Throws<ArgumentException>(() => new EcdsaRecoveryRequest(messageHash, signature.AsSpan(0, 63), recoveryId));
    }

    /// <summary>Counts calls per index: +1 for recovered, −1 for failed, and keeps the keys.</summary>
    private readonly struct RecordingSink(int[] calls, byte[] keys) : IRecoveredPublicKeySink
    {
        public void OnRecovered(int index, ReadOnlySpan<byte> publicKeyXY64)
        {
            publicKeyXY64.CopyTo(keys.AsSpan(index * 64, 64));
            Interlocked.Increment(ref calls[index]);
        }

        public void OnFailed(int index) => Interlocked.Decrement(ref calls[index]);
    }

    private sealed class Batch
    {
        public required EcdsaRecoveryRequest[] Requests { get; init; }

        /// <summary>X||Y of the signer for valid items; null for planted defects.</summary>
        public required byte[]?[] ExpectedKeys { get; init; }

        public static Batch Create(int count, int seed)
        {
            var random = new Random(seed);
            // A pool of signers keeps set-up quick; every item still has its own hash.
            byte[][] secrets = new byte[32][];
            for (int k = 0; k < secrets.Length; k++) secrets[k] = RandomSecret(random);

            BigInteger offCurveR = 1;
            while (IsXOnCurve(offCurveR)) offCurveR++;

            var requests = new EcdsaRecoveryRequest[count];
            var expected = new byte[]?[count];
            var signature = new byte[64];
            for (int i = 0; i < count; i++)
            {
                byte[] secret = secrets[random.Next(secrets.Length)];
                byte[] hash = RandomHash(random);
                Secp256k1.SignRecoverable(hash, secret, signature, out byte recoveryId);
                byte[] used = signature;
                switch (Defect(i))
                {
                    case null:
                        expected[i] = PublicKey(secret)[1..];
                        break;
                    case "high-s":
                        used = WithHighS(signature);
                        recoveryId ^= 1;
                        break;
                    case "r=0":
                        used = Signature(BigInteger.Zero, FromBytes(signature.AsSpan(32)));
                        break;
                    case "s=n":
                        used = Signature(FromBytes(signature.AsSpan(0, 32)), N);
                        break;
                    case "recovery id 4":
                        recoveryId = 4;
                        break;
                    case "r not on the curve":
                        used = Signature(offCurveR, FromBytes(signature.AsSpan(32)));
                        break;
                    default:
                        throw new InvalidOperationException(Defect(i));
                }
                requests[i] = new EcdsaRecoveryRequest(new Hash256(hash), used, recoveryId);
            }
            return new Batch { Requests = requests, ExpectedKeys = expected };
        }
    }
}
