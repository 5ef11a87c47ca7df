using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// Multi-lane Keccak-256 (Ethereum's, see <see cref="Keccak256"/>) of many messages of one length: 8 at a time with
/// AVX-512, 4 with AVX2, one at a time otherwise. Every path gives exactly <see cref="Keccak256.Hash"/> of each input.
/// For batches the node produces: transaction hashes of one block, addresses from public keys, storage keys.
/// </summary>
/// <remarks>
/// The sponge is the scalar one with transposed states (<see cref="IKeccakPermutation"/>): absorbing XORs each
/// message's 8-byte words into its column, the padding (0x01 after the message, 0x80 in the rate's last byte) is the
/// same for all lanes because the lengths are, and squeezing reads the first four lanes of each column.
/// </remarks>
public static unsafe class Keccak256Lanes
{
    private const int RateBytes = Keccak256.RateBytes;
    private const int RateLanes = Keccak256.RateLanes;

    /// <summary><c>outputs[i] = Keccak-256(inputs[i*inputLength .. (i+1)*inputLength])</c> on the best path.</summary>
    public static void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs) =>
        HashFixed(LaneSelection.Best, inputs, inputLength, outputs);

    /// <summary>
    /// <c>outputs[i] = Keccak-256(inputs[i*inputLength .. (i+1)*inputLength])</c> on <paramref name="path"/> (which
    /// must be supported). <paramref name="inputs"/> holds exactly <c>outputs.Length * inputLength</c> bytes.
    /// </summary>
    public static void HashFixed(LanePath path, ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs)
    {
        Sha256NodeHasher.CheckFixed(inputs.Length, inputLength, outputs.Length);
        LaneSelection.EnsureSupported(path);
        if (outputs.Length == 0) return;

        // SAFETY: both spans are pinned for the whole batch; the drivers read at most outputs.Length * inputLength
        // bytes and write at most outputs.Length hashes.
        fixed (byte* input = inputs)
        fixed (Hash256* output = outputs)
        {
            switch (path)
            {
                case LanePath.Avx512: Run<KeccakF1600Avx512>(input, inputLength, output, outputs.Length); break;
                case LanePath.Avx2: Run<KeccakF1600Avx2>(input, inputLength, output, outputs.Length); break;
                default: Run<KeccakF1600Scalar>(input, inputLength, output, outputs.Length); break;
            }
        }
    }

    private static void Run<T>(byte* input, int length, Hash256* output, int count) where T : struct, IKeccakPermutation
    {
        int width = T.Width;
        int full = count - count % width;
        for (int i = 0; i < full; i += width) HashGroup<T>(input + (long)i * length, length, output + i, width);

        int rest = count - full;
        if (rest == 0) return;
        input += (long)full * length;
        output += full;
        // A pass costs the same however many of its lanes carry data; a remainder goes to a narrower path when one
        // covers it, and single messages to the scalar permutation.
        if (width == 8 && rest <= 4 && Avx2.IsSupported) Run<KeccakF1600Avx2>(input, length, output, rest);
        else if (width > 1 && rest > 1) HashGroup<T>(input, length, output, rest);
        else Run<KeccakF1600Scalar>(input, length, output, rest);
    }

    /// <summary>Hashes <paramref name="lanes"/> (at most the path's width) consecutive messages in one pass per block.</summary>
    [SkipLocalsInit]
    private static void HashGroup<T>(byte* input, int length, Hash256* output, int lanes) where T : struct, IKeccakPermutation
    {
        int width = T.Width;
        ulong* state = stackalloc ulong[KeccakF1600.StateLanes * width];
        new Span<ulong>(state, KeccakF1600.StateLanes * width).Clear();

        int fullBlocks = length / RateBytes;
        for (int block = 0; block < fullBlocks; block++)
        {
            for (int lane = 0; lane < lanes; lane++) Absorb(input + (long)lane * length + block * RateBytes, state + lane, width);
            T.Permute(state);
        }

        // The final block: each lane's tail, then the padding every lane shares (Keccak256.AbsorbFinalBlock).
        int tail = length - fullBlocks * RateBytes;
        byte* last = stackalloc byte[RateBytes];
        for (int lane = 0; lane < lanes; lane++)
        {
            Span<byte> block = new(last, RateBytes);
            block.Clear();
            new ReadOnlySpan<byte>(input + (long)lane * length + fullBlocks * RateBytes, tail).CopyTo(block);
            block[tail] ^= 0x01;
            block[RateBytes - 1] ^= 0x80;
            Absorb(last, state + lane, width);
        }
        T.Permute(state);

        for (int lane = 0; lane < lanes; lane++)
        {
            ulong* digest = (ulong*)(output + lane);
            for (int i = 0; i < Keccak256.HashLength / sizeof(ulong); i++)
            {
                Unsafe.WriteUnaligned(digest + i, BitConverter.IsLittleEndian ? state[i * width + lane] : BinaryPrimitives.ReverseEndianness(state[i * width + lane]));
            }
        }
    }

    /// <summary>XORs one rate block (17 little-endian words) into column <c>state[0]</c>, <c>state[width]</c>, ...</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Absorb(byte* block, ulong* column, int width)
    {
        for (int i = 0; i < RateLanes; i++)
        {
            ulong word = Unsafe.ReadUnaligned<ulong>(block + 8 * i);
            column[i * width] ^= BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
        }
    }
}
