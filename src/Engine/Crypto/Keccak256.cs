using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Ethereum's Keccak-256: the original Keccak submission with capacity 512 bits and the multi-rate padding
/// <c>pad10*1</c> starting with byte 0x01. It is not FIPS 202 SHA3-256, whose domain suffix makes the first pad
/// byte 0x06; the two differ on every input (Ethereum Yellow Paper, appendix on hashing).
/// </summary>
public static class Keccak256
{
    public const int HashLength = 32;

    /// <summary>Bytes absorbed per permutation: (1600 - 2 * 256) / 8.</summary>
    public const int RateBytes = 136;

    internal const int RateLanes = RateBytes / sizeof(ulong);

    // Keccak pad10*1: the first padding bit is the lowest bit of the byte after the message, the last is the
    // highest bit of the block's last byte; when the message leaves one free byte both land in it (0x81).
    private const byte PadFirst = 0x01;
    private const byte PadLast = 0x80;

    /// <summary>Writes the 32-byte Keccak-256 of <paramref name="input"/> to the start of <paramref name="output32"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output32)
    {
        if (output32.Length < HashLength) ThrowOutputTooShort(output32.Length);

        KeccakState state = default;
        Span<ulong> lanes = state;
        while (input.Length >= RateBytes)
        {
            AbsorbBlock(lanes, input);
            KeccakF1600.Permute(lanes);
            input = input.Slice(RateBytes);
        }

        AbsorbFinalBlock(lanes, input);
        KeccakF1600.Permute(lanes);
        Squeeze(lanes, output32);
    }

    /// <summary>The Keccak-256 of <paramref name="input"/> as a <see cref="Hash256"/>.</summary>
    public static Hash256 Compute(ReadOnlySpan<byte> input)
    {
        Span<byte> digest = stackalloc byte[HashLength];
        Hash(input, digest);
        return new Hash256(digest);
    }

    /// <summary>XORs the first <see cref="RateBytes"/> bytes of <paramref name="block"/> into the rate lanes.</summary>
    internal static void AbsorbBlock(Span<ulong> lanes, ReadOnlySpan<byte> block)
    {
        block = block.Slice(0, RateBytes);
        for (int i = 0; i < RateLanes; i++)
        {
            lanes[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block.Slice(i * sizeof(ulong)));
        }
    }

    /// <summary>Pads the last, partial block (shorter than the rate, possibly empty) and absorbs it.</summary>
    internal static void AbsorbFinalBlock(Span<ulong> lanes, ReadOnlySpan<byte> tail)
    {
        Span<byte> block = stackalloc byte[RateBytes];
        tail.CopyTo(block);
        block.Slice(tail.Length).Clear();
        block[tail.Length] ^= PadFirst;
        block[RateBytes - 1] ^= PadLast;
        AbsorbBlock(lanes, block);
    }

    internal static void Squeeze(ReadOnlySpan<ulong> lanes, Span<byte> output32)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output32, lanes[0]);
        BinaryPrimitives.WriteUInt64LittleEndian(output32.Slice(8), lanes[1]);
        BinaryPrimitives.WriteUInt64LittleEndian(output32.Slice(16), lanes[2]);
        BinaryPrimitives.WriteUInt64LittleEndian(output32.Slice(24), lanes[3]);
    }

    [DoesNotReturn]
    internal static void ThrowOutputTooShort(int length) =>
        throw new ArgumentException($"Keccak-256 output needs {HashLength} bytes, the span has {length}", "output32");
}
