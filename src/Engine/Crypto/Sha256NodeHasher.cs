using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// The scalar reference <see cref="INodeHasher"/>: one <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>
/// call per input (about 400 ns per call on the reference machine whatever the input size up to 2 blocks, so the
/// number of calls, not the bytes, is what costs). SIMD engines are tested against this one.
/// </summary>
public readonly struct Sha256NodeHasher : INodeHasher
{
    public void HashPairs(ReadOnlySpan<Hash256> pairs, Span<Hash256> parents)
    {
        CheckPairs(pairs.Length, parents.Length);
        ReadOnlySpan<byte> input = MemoryMarshal.AsBytes(pairs);
        Span<byte> output = MemoryMarshal.AsBytes(parents);
        for (int i = 0; i < parents.Length; i++)
        {
            SHA256.HashData(input.Slice(i * 2 * Hash256.Size, 2 * Hash256.Size), output.Slice(i * Hash256.Size, Hash256.Size));
        }
    }

    public void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs)
    {
        CheckFixed(inputs.Length, inputLength, outputs.Length);
        Span<byte> output = MemoryMarshal.AsBytes(outputs);
        for (int i = 0; i < outputs.Length; i++)
        {
            SHA256.HashData(inputs.Slice(i * inputLength, inputLength), output.Slice(i * Hash256.Size, Hash256.Size));
        }
    }

    internal static void CheckPairs(int pairCount, int parentCount)
    {
        if (pairCount != 2 * parentCount) ThrowPairs(pairCount, parentCount);
    }

    internal static void CheckFixed(int inputBytes, int inputLength, int outputCount)
    {
        if (inputLength < 0 || (long)inputLength * outputCount != inputBytes) ThrowFixed(inputBytes, inputLength, outputCount);
    }

    [DoesNotReturn]
    private static void ThrowPairs(int pairCount, int parentCount) =>
        throw new ArgumentException($"HashPairs needs exactly 2 input hashes per parent: got {pairCount} inputs for {parentCount} parents");

    [DoesNotReturn]
    private static void ThrowFixed(int inputBytes, int inputLength, int outputCount) =>
        throw new ArgumentException($"HashFixed needs {outputCount} inputs of {inputLength} bytes, got {inputBytes} bytes");
}
