using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto;

namespace NexusFast.Benchmarks;

/// <summary>
/// Scalar Keccak-256 at the sizes the node hashes most: 32 and 64 bytes (trie keys, address derivation), exactly
/// one rate block (136) and a typical transaction (1000, eight permutations). .NET's SHA3_256 cannot stand in for
/// Ethereum's Keccak (different padding, and absent on some OpenSSL builds), so platform SHA-256 is the baseline:
/// the Ratio column says how our Keccak compares with a hardware-assisted hash at each size. The multi-lane batch
/// version is measured against the scalar one in BatchKeccakBenchmarks.
/// </summary>
[MemoryDiagnoser]
public class KeccakBenchmarks
{
    private readonly byte[] _output = new byte[32];
    private byte[] _input = [];

    [Params(32, 64, 136, 1000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Size];
        new Random(42).NextBytes(_input);
    }

    [Benchmark(Baseline = true)]
    public int Sha256Platform() => SHA256.HashData(_input, _output);

    [Benchmark]
    public void Keccak256Scalar() => Keccak256.Hash(_input, _output);

    // Input arriving in two pieces, as when an RLP header and its payload are hashed without joining them.
    [Benchmark]
    public void Keccak256Incremental()
    {
        var hasher = new Keccak256Hasher();
        int half = _input.Length / 2;
        hasher.Update(_input.AsSpan(0, half));
        hasher.Update(_input.AsSpan(half));
        hasher.Finish(_output);
    }
}
