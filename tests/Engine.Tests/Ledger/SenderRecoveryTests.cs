using System.Numerics;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;
using Xunit.Abstractions;
using static NexusFast.Engine.Tests.Support.Secp256k1Math;

namespace NexusFast.Engine.Tests.Ledger;

public class SenderRecoveryTests
{
    private const int Seed = 20_240_601;
    private const int BatchSize = 3_000;
    private const int SignerCount = 24;

    private static readonly Lazy<Batch> s_batch = new(() => Batch.Create(BatchSize, Seed));

    /// <summary>A stale sender every test transaction carries before recovery, which recovery must overwrite or clear.</summary>
    private static readonly Address s_stale = Address.Parse("0x" + new string('e', 40));

    private readonly ITestOutputHelper _output;

    public SenderRecoveryTests(ITestOutputHelper output) => _output = output;

    /// <summary>The defect planted at <paramref name="index"/>, if any.</summary>
    private static string? Defect(int index) => index switch
    {
        _ when index % 97 == 13 => "high-s",
        _ when index % 101 == 7 => "r=0",
        _ when index % 103 == 5 => "r not on the curve",
        _ when index % 107 == 17 => "yParity=2",
        _ when index % 89 == 3 => "value changed after signing",
        BatchSize - 1 => "high-s",
        _ => null,
    };

    private static TxError ExpectedError(string? defect) => defect switch
    {
        "high-s" or "r=0" or "yParity=2" => TxError.InvalidSignature,
        "r not on the curve" => TxError.SenderRecoveryFailed,
        _ => TxError.None, // a changed field still recovers, to someone else
    };

    public static TheoryData<string> Configurations => ["default", "4 workers, 7 per chunk", "2 workers, 1 per chunk", "1 worker"];

    private static SenderRecovery Create(string configuration) => configuration switch
    {
        "default" => new SenderRecovery(),
        "4 workers, 7 per chunk" => new SenderRecovery(new EcdsaBatchRecovery(4, 7)),
        "2 workers, 1 per chunk" => new SenderRecovery(new EcdsaBatchRecovery(2, 1)),
        "1 worker" => new SenderRecovery(new EcdsaBatchRecovery(1, EcdsaBatchRecovery.DefaultItemsPerChunk)),
        _ => throw new ArgumentOutOfRangeException(nameof(configuration)),
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Batch_recovery_equals_single_recovery_on_3000_transactions_with_defects_at_known_positions(string configuration)
    {
        Batch batch = s_batch.Value;
        Transaction[] forBatch = batch.Fresh();
        Transaction[] forSingle = batch.Fresh();
        var results = new TxError[BatchSize];
        Array.Fill(results, TxError.TooLarge); // every slot must be written

        int recovered = Create(configuration).RecoverSenders(forBatch, results);

        int planted = 0;
        int otherSender = 0;
        for (int i = 0; i < BatchSize; i++)
        {
            TxError single = SenderRecovery.RecoverSender(forSingle[i]);
            Assert.Equal(single, results[i]);
            Assert.Equal(forSingle[i].HasSender, forBatch[i].HasSender);
            Assert.Equal(forSingle[i].Sender, forBatch[i].Sender);

            string? defect = Defect(i);
            if (defect is not null) planted++;
            Assert.True(ExpectedError(defect) == results[i], $"item {i} ({defect ?? "intact"}): expected {ExpectedError(defect)}, got {results[i]}");
            if (results[i] != TxError.None)
            {
                Assert.False(forBatch[i].HasSender);
                Assert.Equal(default, forBatch[i].Sender);
                continue;
            }

            Assert.True(forBatch[i].HasSender);
            if (defect is null)
            {
                Assert.Equal(batch.Signers[i], forBatch[i].Sender);
            }
            else
            {
                otherSender++;
                Assert.NotEqual(batch.Signers[i], forBatch[i].Sender);
                Assert.NotEqual(s_stale, forBatch[i].Sender);
            }
        }

        int failed = results.Count(r => r != TxError.None);
        Assert.Equal(BatchSize - failed, recovered);
        _output.WriteLine($"{configuration}: {BatchSize} transactions, {recovered} recovered ({otherSender} to another sender after tampering), " +
                          $"{results.Count(r => r == TxError.InvalidSignature)} invalid signature values, {results.Count(r => r == TxError.SenderRecoveryFailed)} unrecoverable; {planted} defects planted");
    }

    [Fact]
    public void Every_transaction_type_is_in_the_batch()
    {
        Batch batch = s_batch.Value;
        Assert.Contains(batch.Signed, tx => tx.Type == TxType.Legacy && tx.IsUnprotectedLegacy);
        Assert.Contains(batch.Signed, tx => tx.Type == TxType.Legacy && !tx.IsUnprotectedLegacy);
        Assert.Contains(batch.Signed, tx => tx.Type == TxType.AccessList && tx.AccessList.Length > 0);
        Assert.Contains(batch.Signed, tx => tx.Type == TxType.DynamicFee);
    }

    [Fact]
    public void An_empty_batch_recovers_nothing()
    {
        Assert.Equal(0, new SenderRecovery().RecoverSenders([], []));
    }

    [Fact]
    public void A_batch_refuses_a_results_span_of_another_length_and_null_transactions()
    {
        Transaction[] txs = s_batch.Value.Fresh()[..3];
        var recovery = new SenderRecovery();

        var lengthError = Assert.Throws<ArgumentException>(() => recovery.RecoverSenders(txs, new TxError[2]));
        Assert.Equal("results", lengthError.ParamName);

        txs[1] = null!;
        var nullError = Assert.Throws<ArgumentException>(() => recovery.RecoverSenders(txs, new TxError[3]));
        Assert.Contains("txs[1]", nullError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transaction_decoded_from_its_signed_bytes_recovers_the_signer()
    {
        Batch batch = s_batch.Value;
        for (int i = 0; i < 64; i++)
        {
            if (Defect(i) is not null) continue;
            var decoded = new Transaction();
            Assert.Equal(TxError.None, TransactionDecoder.TryDecode(TransactionEncoder.Encode(batch.Signed[i]), decoded, out _));
            Assert.True(SenderRecovery.TryRecoverSender(decoded));
            Assert.Equal(batch.Signers[i], decoded.Sender);
        }
    }

    /// <summary>Seeded transactions of all types, signed by <see cref="TransactionSigner"/>, then defects planted.</summary>
    private sealed class Batch
    {
        public required Transaction[] Signed { get; init; }

        public required Address[] Signers { get; init; }

        /// <summary>Independent copies carrying a stale sender, for one recovery run.</summary>
        public Transaction[] Fresh()
        {
            var copies = new Transaction[Signed.Length];
            for (int i = 0; i < copies.Length; i++)
            {
                copies[i] = Copy(Signed[i]);
                copies[i].Sender = s_stale;
                copies[i].HasSender = true;
            }
            return copies;
        }

        public static Batch Create(int count, int seed)
        {
            var random = new Random(seed);
            byte[][] secrets = new byte[SignerCount][];
            var addresses = new Address[SignerCount];
            for (int k = 0; k < SignerCount; k++)
            {
                secrets[k] = RandomSecret(random);
                addresses[k] = Address.FromPublicKey(PublicKey(secrets[k]));
            }

            byte[] offCurveR = OffCurveX(random);
            var signed = new Transaction[count];
            var signers = new Address[count];
            for (int i = 0; i < count; i++)
            {
                int signer = random.Next(SignerCount);
                Transaction tx = RandomTransaction(random, i);
                TransactionSigner.Sign(tx, secrets[signer]);
                Assert.Equal(addresses[signer], tx.Sender);
                signers[i] = addresses[signer];

                switch (Defect(i))
                {
                    case "high-s":
                        tx.S = UInt256.FromBigEndian32(ToBytes32(N - tx.S.ToBigInteger()));
                        tx.YParity ^= 1; // the same signature's other form: only EIP-2 rejects it
                        break;
                    case "r=0":
                        tx.R = UInt256.Zero;
                        break;
                    case "r not on the curve":
                        tx.R = UInt256.FromBigEndian32(offCurveR);
                        break;
                    case "yParity=2":
                        tx.YParity = 2;
                        break;
                    case "value changed after signing":
                        tx.Value += UInt256.One;
                        break;
                }
                signed[i] = tx;
            }
            return new Batch { Signed = signed, Signers = signers };
        }

        private static Transaction RandomTransaction(Random random, int index)
        {
            var tx = new Transaction
            {
                Type = (index % 4) switch { 0 or 1 => TxType.Legacy, 2 => TxType.AccessList, _ => TxType.DynamicFee },
                ChainId = index % 4 == 0 ? 0ul : 31337ul,
                Nonce = (ulong)random.Next(0, 1000),
                GasLimit = 21_000 + (ulong)random.Next(0, 100_000),
                Value = new UInt256((ulong)random.NextInt64()),
                Data = random.Next(3) == 0 ? RandomBytes(random, random.Next(1, 200)) : ReadOnlyMemory<byte>.Empty,
            };
            if (random.Next(10) != 0) tx.To = new Address(RandomBytes(random, 20));
            if (tx.Type == TxType.DynamicFee)
            {
                tx.MaxPriorityFeePerGas = new UInt256((ulong)random.Next(1, 1_000_000_000));
                tx.MaxFeePerGas = tx.MaxPriorityFeePerGas + new UInt256((ulong)random.Next(0, 1_000_000_000));
            }
            else
            {
                tx.GasPrice = new UInt256((ulong)random.Next(1, 1_000_000_000));
            }
            if (tx.Type != TxType.Legacy && random.Next(2) == 0)
            {
                tx.AccessList = [new AccessListEntry(new Address(RandomBytes(random, 20)), [new Hash256(RandomBytes(random, 32))])];
            }
            return tx;
        }

        private static byte[] RandomBytes(Random random, int length)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            return bytes;
        }

        /// <summary>An r below n that is no curve point's x (x³ + 7 is not a square mod p), so recovery must fail.</summary>
        private static byte[] OffCurveX(Random random)
        {
            while (true)
            {
                BigInteger x = FromBytes(RandomHash(random)) % N;
                if (!x.IsZero && !IsXOnCurve(x)) return ToBytes32(x);
            }
        }

        private static Transaction Copy(Transaction source) => new()
        {
            Type = source.Type,
            ChainId = source.ChainId,
            Nonce = source.Nonce,
            MaxPriorityFeePerGas = source.MaxPriorityFeePerGas,
            MaxFeePerGas = source.MaxFeePerGas,
            GasLimit = source.GasLimit,
            To = source.To,
            Value = source.Value,
            Data = source.Data,
            AccessList = source.AccessList,
            YParity = source.YParity,
            V = source.V,
            R = source.R,
            S = source.S,
            Hash = source.Hash,
            EncodedLength = source.EncodedLength,
        };
    }
}
