using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using NexusFast.Engine.Crypto;
using NexusFast.Engine.Primitives;

namespace NexusFast.Benchmarks;

/// <summary>
/// The Merkle root (<see cref="MerkleRoot"/>) of 1,048,576 leaves, the same tree hashed four ways: a loop calling
/// <c>SHA256.HashData</c> per node (the baseline the issue names), the platform hasher with one reused digest context
/// (<see cref="Sha256NodeHasher"/>, what the node used before the lanes), multi-lane SHA-256 on one core
/// (<see cref="Sha256LaneHasher"/>, best path) and the lanes spread over every core (the state commitment's default).
/// The 6x target in Report/Targets.cs reads the one-core lanes row, so the speed-up is the lanes', not the cores'.
/// </summary>
[MemoryDiagnoser]
public class MerkleRootBenchmarks
{
    private const int LeafCount = 1 << 20;

    private Hash256[] _leaves = [];
    private ParallelNodeHasher _parallel = null!;

    [GlobalSetup]
    public void Setup()
    {
        byte[] bytes = new byte[LeafCount * Hash256.Size];
        new Random(20).NextBytes(bytes);
        _leaves = MemoryMarshal.Cast<byte, Hash256>(bytes).ToArray();
        _parallel = ParallelNodeHasher.ForLanes();
    }

    [Benchmark(Baseline = true)]
    public Hash256 HashDataLoop() => MerkleRoot.Compute(_leaves, new HashDataLoopHasher());

    [Benchmark]
    public Hash256 PlatformHasher() => MerkleRoot.Compute(_leaves, new Sha256NodeHasher());

    [Benchmark]
    public Hash256 LanesOneCore() => MerkleRoot.Compute(_leaves, new Sha256LaneHasher());

    [Benchmark]
    public Hash256 LanesAllCores() => MerkleRoot.Compute(_leaves, _parallel);

    /// <summary>One <c>SHA256.HashData</c> call per node: the plain loop a first implementation would write.</summary>
    private readonly struct HashDataLoopHasher : INodeHasher
    {
        public void HashPairs(ReadOnlySpan<Hash256> pairs, Span<Hash256> parents)
        {
            ReadOnlySpan<byte> input = MemoryMarshal.AsBytes(pairs);
            Span<byte> output = MemoryMarshal.AsBytes(parents);
            for (int i = 0; i < parents.Length; i++) SHA256.HashData(input.Slice(64 * i, 64), output.Slice(32 * i, 32));
        }

        public void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs)
        {
            Span<byte> output = MemoryMarshal.AsBytes(outputs);
            for (int i = 0; i < outputs.Length; i++) SHA256.HashData(inputs.Slice(inputLength * i, inputLength), output.Slice(32 * i, 32));
        }
    }
}
