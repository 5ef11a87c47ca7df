using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// Multi-lane Keccak-256 (Ethereum's, see <see cref="Keccak256"/>): 8 messages at a time with AVX-512, 4 with AVX2,
/// one at a time otherwise. Every path gives exactly <see cref="Keccak256.Hash"/> of each input. For batches the node
/// produces: transaction hashes of one block (<see cref="HashMany(ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{int}, Span{Hash256})"/>),
/// addresses from recovered public keys and storage keys (<see cref="HashFixed(ReadOnlySpan{byte}, int, Span{Hash256})"/>).
/// </summary>
/// <remarks>
/// The sponge is the scalar one with transposed states (<see cref="IKeccakPermutation"/>): absorbing XORs each
/// message's 8-byte words into its column, the final block carries each lane's own tail and padding (0x01 after the
/// message, 0x80 in the rate's last byte), and squeezing reads the first four lanes of each column. The messages of one
/// pass need the same number of permutations; their lengths may differ within that block.
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

    /// <summary>
    /// <c>outputs[i] = Keccak-256(data[offsets[i] .. offsets[i] + lengths[i]])</c> on the best path: messages of any
    /// lengths (transaction envelopes of one block), hashed in lanes with the messages that need as many permutations.
    /// </summary>
    public static void HashMany(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, Span<Hash256> outputs) =>
        HashMany(LaneSelection.Best, data, offsets, lengths, outputs);

    /// <summary>
    /// <c>outputs[i] = Keccak-256(data[offsets[i] .. offsets[i] + lengths[i]])</c> on <paramref name="path"/>. Every
    /// slice must lie inside <paramref name="data"/>; the three index spans have one entry per output. Messages are
    /// grouped by their number of permutations (length / 136 + 1), each group hashed in passes of the path's width,
    /// so a batch of similar lengths (transfers: about 110 bytes, one permutation) fills every lane.
    /// </summary>
    public static void HashMany(LanePath path, ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, Span<Hash256> outputs)
    {
        CheckSlices(data.Length, offsets, lengths, outputs.Length);
        LaneSelection.EnsureSupported(path);
        if (outputs.Length == 0) return;

        // SAFETY: every slice was checked to lie inside data; data and outputs stay pinned for the whole batch.
        fixed (byte* input = data)
        fixed (int* offset = offsets)
        fixed (int* length = lengths)
        fixed (Hash256* output = outputs)
        {
            var batch = new Batch(input, offset, length, output, outputs.Length);
            switch (path)
            {
                case LanePath.Avx512: RunMany<KeccakF1600Avx512>(batch); break;
                case LanePath.Avx2: RunMany<KeccakF1600Avx2>(batch); break;
                default: RunMany<KeccakF1600Scalar>(batch); break;
            }
        }
    }

    private static void Run<T>(byte* input, int length, Hash256* output, int count) where T : struct, IKeccakPermutation
    {
        int width = T.Width;
        Lane* lanes = stackalloc Lane[width];
        for (int start = 0; start < count; start += width)
        {
            int used = Math.Min(width, count - start);
            for (int lane = 0; lane < used; lane++)
            {
                lanes[lane] = new Lane(input + (long)(start + lane) * length, length, output + start + lane);
            }
            if (used == width) HashGroup<T>(lanes, used, length / RateBytes);
            else HashPartial<T>(lanes, used, length / RateBytes);
        }
    }

    /// <summary>
    /// Orders the messages by permutation count (pooled key and index arrays, O(n log n) whatever the mix of
    /// lengths), then hashes each run of equal counts in full passes and one partial pass.
    /// </summary>
    private static void RunMany<T>(in Batch batch) where T : struct, IKeccakPermutation
    {
        int width = T.Width;
        int count = batch.Count;
        int[] blocks = ArrayPool<int>.Shared.Rent(count);
        int[] order = ArrayPool<int>.Shared.Rent(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                blocks[i] = batch.Lengths[i] / RateBytes;
                order[i] = i;
            }
            Array.Sort(blocks, order, 0, count);

            Lane* lanes = stackalloc Lane[width];
            int used = 0;
            for (int k = 0; k < count; k++)
            {
                int i = order[k];
                lanes[used++] = new Lane(batch.Data + batch.Offsets[i], batch.Lengths[i], batch.Outputs + i);
                bool runEnds = k + 1 == count || blocks[k + 1] != blocks[k];
                if (used == width) HashGroup<T>(lanes, used, blocks[k]);
                else if (runEnds) HashPartial<T>(lanes, used, blocks[k]);
                else continue;
                used = 0;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(order);
            ArrayPool<int>.Shared.Return(blocks);
        }
    }

    /// <summary>
    /// A pass with fewer messages than lanes. A pass costs the same however many lanes carry data; measured on the
    /// reference machine (64-byte messages): 8-lane AVX-512 pass about 320 ns, 4-lane AVX2 pass about 350 ns, scalar
    /// hash about 245 ns. So a narrower vector path never beats a partly filled wide pass; one message goes scalar.
    /// </summary>
    private static void HashPartial<T>(Lane* lanes, int used, int fullBlocks) where T : struct, IKeccakPermutation
    {
        if (used > 1) HashGroup<T>(lanes, used, fullBlocks);
        else HashGroup<KeccakF1600Scalar>(lanes, 1, fullBlocks);
    }

    /// <summary>
    /// Hashes <paramref name="used"/> messages (at most the path's width), each <paramref name="fullBlocks"/> whole rate
    /// blocks and a shorter tail (possibly empty; tails may differ between lanes), one permutation per block for all.
    /// </summary>
    [SkipLocalsInit]
    private static void HashGroup<T>(Lane* lanes, int used, int fullBlocks) where T : struct, IKeccakPermutation
    {
        int width = T.Width;
        ulong* state = stackalloc ulong[KeccakF1600.StateLanes * width];
        new Span<ulong>(state, KeccakF1600.StateLanes * width).Clear();

        for (int block = 0; block < fullBlocks; block++)
        {
            for (int lane = 0; lane < used; lane++) Absorb(lanes[lane].Input + block * RateBytes, state + lane, width);
            T.Permute(state);
        }

        // The final block of each lane: its tail and the padding after it (as Keccak256.AbsorbFinalBlock does), XORed
        // in place: whole words, then the partial word with the first pad byte 0x01 after it, then 0x80 in the rate's
        // last byte (both land in byte 135 when the tail is 135 bytes long, making 0x81).
        for (int lane = 0; lane < used; lane++)
        {
            byte* tail = lanes[lane].Input + fullBlocks * RateBytes;
            int tailLength = lanes[lane].Length - fullBlocks * RateBytes;
            ulong* column = state + lane;
            int whole = tailLength / sizeof(ulong);
            for (int i = 0; i < whole; i++) column[i * width] ^= ReadWord(tail + 8 * i);
            ulong last = 0;
            int rest = tailLength - whole * sizeof(ulong);
            for (int j = 0; j < rest; j++) last |= (ulong)tail[8 * whole + j] << (8 * j);
            column[whole * width] ^= last ^ (0x01UL << (8 * rest));
            column[(RateLanes - 1) * width] ^= 0x80UL << 56;
        }
        T.Permute(state);

        for (int lane = 0; lane < used; lane++)
        {
            ulong* digest = (ulong*)lanes[lane].Output;
            for (int i = 0; i < Keccak256.HashLength / sizeof(ulong); i++)
            {
                Unsafe.WriteUnaligned(digest + i, BitConverter.IsLittleEndian ? state[i * width + lane] : BinaryPrimitives.ReverseEndianness(state[i * width + lane]));
            }
        }
    }

    private static void CheckSlices(int dataLength, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int outputCount)
    {
        if (offsets.Length != outputCount || lengths.Length != outputCount) ThrowSliceCounts(offsets.Length, lengths.Length, outputCount);
        for (int i = 0; i < outputCount; i++)
        {
            if (offsets[i] < 0 || lengths[i] < 0 || (long)offsets[i] + lengths[i] > dataLength) ThrowSlice(i, offsets[i], lengths[i], dataLength);
        }
    }

    [DoesNotReturn]
    private static void ThrowSliceCounts(int offsetCount, int lengthCount, int outputCount) =>
        throw new ArgumentException($"HashMany needs one offset and one length per output: got {offsetCount} offsets and {lengthCount} lengths for {outputCount} outputs");

    [DoesNotReturn]
    private static void ThrowSlice(int index, int offset, int length, int dataLength) =>
        throw new ArgumentException($"HashMany message {index} (offset {offset}, length {length}) does not lie inside the {dataLength}-byte data");

    /// <summary>One message of a pass: where it starts, how long it is, where its digest goes.</summary>
    private readonly struct Lane(byte* input, int length, Hash256* output)
    {
        public readonly byte* Input = input;
        public readonly int Length = length;
        public readonly Hash256* Output = output;
    }

    /// <summary>A pinned <see cref="HashMany(LanePath, ReadOnlySpan{byte}, ReadOnlySpan{int}, ReadOnlySpan{int}, Span{Hash256})"/> call.</summary>
    private readonly struct Batch(byte* data, int* offsets, int* lengths, Hash256* outputs, int count)
    {
        public readonly byte* Data = data;
        public readonly int* Offsets = offsets;
        public readonly int* Lengths = lengths;
        public readonly Hash256* Outputs = outputs;
        public readonly int Count = count;
    }

    /// <summary>XORs one rate block (17 little-endian words) into column <c>state[0]</c>, <c>state[width]</c>, ...</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Absorb(byte* block, ulong* column, int width)
    {
        for (int i = 0; i < RateLanes; i++) column[i * width] ^= ReadWord(block + 8 * i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadWord(byte* at)
    {
        ulong word = Unsafe.ReadUnaligned<ulong>(at);
        return BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);
    }
}
