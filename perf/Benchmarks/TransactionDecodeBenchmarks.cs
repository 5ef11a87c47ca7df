using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Ledger;
using NexusFast.Engine.Primitives;

namespace NexusFast.Benchmarks;

/// <summary>
/// The ingest path's per-transaction codec work on a plain transfer (no data, no access list): decoding (which
/// includes the Keccak-256 transaction hash), encoding and the signing hash. The baseline is the Keccak-256 of the
/// raw bytes alone, the part of decoding no decoder can avoid; a transfer decodes into a reused
/// <see cref="Transaction"/> without allocating.
/// </summary>
[MemoryDiagnoser]
public class TransactionDecodeBenchmarks
{
    private byte[] _legacyTransfer = [];
    private byte[] _eip1559Transfer = [];
    private byte[] _encodeBuffer = [];
    private readonly Transaction _decoded = new();
    private Transaction _eip1559 = null!;

    [GlobalSetup]
    public void Setup()
    {
        byte[] secret = Convert.FromHexString("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
        var to = Address.Parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

        var legacy = new Transaction { Type = TxType.Legacy, ChainId = 31337, Nonce = 42, GasPrice = new UInt256(2_000_000_000), GasLimit = 21_000, To = to, Value = new UInt256(1_000_000_000_000_000_000) };
        TransactionSigner.Sign(legacy, secret);
        _legacyTransfer = TransactionEncoder.Encode(legacy);

        _eip1559 = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = 31337,
            Nonce = 42,
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            MaxFeePerGas = new UInt256(3_000_000_000),
            GasLimit = 21_000,
            To = to,
            Value = new UInt256(1_000_000_000_000_000_000),
        };
        TransactionSigner.Sign(_eip1559, secret);
        _eip1559Transfer = TransactionEncoder.Encode(_eip1559);
        _encodeBuffer = new byte[_eip1559Transfer.Length];
    }

    [Benchmark(Baseline = true)]
    public Hash256 KeccakOfEip1559Bytes() => Keccak256.Compute(_eip1559Transfer);

    [Benchmark]
    public TxError DecodeLegacyTransfer() => TransactionDecoder.TryDecode(_legacyTransfer, _decoded, out _);

    [Benchmark]
    public TxError DecodeEip1559Transfer() => TransactionDecoder.TryDecode(_eip1559Transfer, _decoded, out _);

    [Benchmark]
    public int EncodeEip1559Transfer() => TransactionEncoder.Encode(_eip1559, _encodeBuffer);

    [Benchmark]
    public Hash256 SigningHashEip1559Transfer() => TransactionEncoder.ComputeSigningHash(_eip1559);
}
