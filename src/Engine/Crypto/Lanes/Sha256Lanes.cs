using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// Multi-lane SHA-256 of many messages of one length: 16 at a time with AVX-512, 8 with AVX2, one at a time in plain
/// code otherwise (<see cref="LaneSelection.Best"/>). Every path gives exactly <c>SHA256.HashData</c> of each input.
/// </summary>
/// <remarks>
/// <para>Why lanes: a Merkle level is thousands of independent 64-byte hashes. The platform SHA-256 costs about 340 to
/// 575 ns a call on the reference machine, almost all of it per-call overhead (OpenSSL's SHA-NI block function is
/// about 150 ns); sixteen messages in the lanes of 512-bit registers share one instruction stream instead.</para>
/// <para>Why 64-byte inputs are cheap: a 64-byte message is one block of data plus a padding block (0x80, zeros, the
/// bit length 512) that is the same for every node, so its message schedule is computed once per call and the lanes
/// run only its 64 rounds (<see cref="ISha256Compressor.CompressShared"/>). Any length works the same way: the
/// blocks before the last are the lanes' own, the last one carries each lane's tail and the shared padding.</para>
/// <para>SHA-NI (the x86 SHA extensions) would beat the lanes on one message, but .NET 10 exposes no intrinsics for
/// it (System.Runtime.Intrinsics.X86 has no Sha class), so the platform hasher's SHA-NI is reachable only through its
/// per-call overhead.</para>
/// </remarks>
public static unsafe class Sha256Lanes
{
    private const int BlockSize = 64;
    private const int BlockWords = BlockSize / sizeof(uint);

    /// <summary>The shared padding block's round inputs for 64-byte messages (Merkle nodes), computed once.</summary>
    private static readonly uint[] s_pairRoundInputs = PairRoundInputs();

    /// <summary><c>parents[i] = SHA-256(pairs[2i] || pairs[2i+1])</c> on the best path.</summary>
    public static void HashPairs(ReadOnlySpan<Hash256> pairs, Span<Hash256> parents) => HashPairs(LaneSelection.Best, pairs, parents);

    /// <summary><c>parents[i] = SHA-256(pairs[2i] || pairs[2i+1])</c> on <paramref name="path"/> (which must be supported).</summary>
    public static void HashPairs(LanePath path, ReadOnlySpan<Hash256> pairs, Span<Hash256> parents)
    {
        Sha256NodeHasher.CheckPairs(pairs.Length, parents.Length);
        HashFixed(path, MemoryMarshal.AsBytes(pairs), 2 * Hash256.Size, parents);
    }

    /// <summary><c>outputs[i] = SHA-256(inputs[i*inputLength .. (i+1)*inputLength])</c> on the best path.</summary>
    public static void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs) =>
        HashFixed(LaneSelection.Best, inputs, inputLength, outputs);

    /// <summary>
    /// <c>outputs[i] = SHA-256(inputs[i*inputLength .. (i+1)*inputLength])</c> on <paramref name="path"/>.
    /// <paramref name="inputs"/> holds exactly <c>outputs.Length * inputLength</c> bytes; the spans must not overlap.
    /// </summary>
    public static void HashFixed(LanePath path, ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs)
    {
        Sha256NodeHasher.CheckFixed(inputs.Length, inputLength, outputs.Length);
        LaneSelection.EnsureSupported(path);
        if (outputs.Length == 0) return;

        byte* lastBlock = stackalloc byte[BlockSize];
        uint* sharedRoundInputs = stackalloc uint[64];
        var padding = new Padding(inputLength, lastBlock, sharedRoundInputs);

        // SAFETY: both spans are pinned for the whole batch; every read stays within outputs.Length * inputLength bytes
        // of input and every write within outputs.Length hashes (the drivers take lane counts, never read past them).
        fixed (byte* input = inputs)
        fixed (Hash256* output = outputs)
        {
            switch (path)
            {
                case LanePath.Avx512: Run<Sha256Avx512>(input, output, outputs.Length, padding); break;
                case LanePath.Avx2: Run<Sha256Avx2>(input, output, outputs.Length, padding); break;
                default: Run<Sha256Scalar>(input, output, outputs.Length, padding); break;
            }
        }
    }

    /// <summary>Full passes of <typeparamref name="T"/>, then the remainder: one partly filled pass, or scalar for one message.</summary>
    private static void Run<T>(byte* input, Hash256* output, int count, in Padding padding) where T : struct, ISha256Compressor
    {
        int width = T.Width;
        int full = count - count % width;
        for (int i = 0; i < full; i += width) HashGroup<T>(input + (long)i * padding.Length, output + i, width, padding);

        int rest = count - full;
        if (rest == 0) return;
        input += (long)full * padding.Length;
        output += full;
        // A pass costs the same however many of its lanes carry data. Measured on the reference machine (per 64-byte
        // message): 16-lane AVX-512 pass about 750 ns, 8-lane AVX2 pass about 800 ns, scalar hash about 380 ns; so a
        // narrower vector path never beats a partly filled wide pass, and only a single message is cheaper scalar.
        if (rest > 1) HashGroup<T>(input, output, rest, padding);
        else HashGroup<Sha256Scalar>(input, output, 1, padding);
    }

    /// <summary>Hashes <paramref name="lanes"/> (at most the path's width) consecutive messages in one pass.</summary>
    [SkipLocalsInit]
    private static void HashGroup<T>(byte* input, Hash256* output, int lanes, in Padding padding) where T : struct, ISha256Compressor
    {
        int width = T.Width;
        int length = padding.Length;
        uint* state = stackalloc uint[8 * width];
        uint* words = stackalloc uint[BlockWords * width];

        // Lanes past `lanes` carry whatever the buffer held: their digests are computed and never written out.
        if (lanes < width) new Span<uint>(words, BlockWords * width).Clear();

        ReadOnlySpan<uint> initial = Sha256Constants.InitialHash;
        for (int i = 0; i < 8; i++) new Span<uint>(state + i * width, width).Fill(initial[i]);

        for (int block = 0; block < padding.FullBlocks; block++)
        {
            if (lanes == width) T.LoadBlocks(input + block * BlockSize, length, words);
            else for (int lane = 0; lane < lanes; lane++) Transpose(input + (long)lane * length + block * BlockSize, words + lane, width);
            T.Compress(state, words);
        }

        if (padding.TailLength > 0)
        {
            byte* last = stackalloc byte[BlockSize];
            for (int lane = 0; lane < lanes; lane++)
            {
                new ReadOnlySpan<byte>(padding.LastBlock, BlockSize).CopyTo(new Span<byte>(last, BlockSize));
                new ReadOnlySpan<byte>(input + (long)lane * length + padding.FullBlocks * BlockSize, padding.TailLength)
                    .CopyTo(new Span<byte>(last, BlockSize));
                Transpose(last, words + lane, width);
            }
            T.Compress(state, words);
        }

        if (padding.HasSharedBlock) T.CompressShared(state, padding.SharedRoundInputs);

        for (int lane = 0; lane < lanes; lane++)
        {
            byte* digest = (byte*)(output + lane);
            for (int i = 0; i < 8; i++) Unsafe.WriteUnaligned(digest + 4 * i, BinaryPrimitives.ReverseEndianness(state[i * width + lane]));
        }
    }

    /// <summary>
    /// Reads one 64-byte block of each of <paramref name="width"/> messages (<paramref name="stride"/> bytes apart)
    /// into the word rows: the plain way, for paths without a faster transposition.
    /// </summary>
    internal static void LoadBlocksScalar(byte* first, int stride, uint* words, int width)
    {
        for (int lane = 0; lane < width; lane++) Transpose(first + (long)lane * stride, words + lane, width);
    }

    /// <summary>Reads one 64-byte block as 16 big-endian words into column <c>words[0]</c>, <c>words[width]</c>, ...</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(byte* block, uint* column, int width)
    {
        for (int i = 0; i < BlockWords; i++) column[i * width] = BinaryPrimitives.ReverseEndianness(Unsafe.ReadUnaligned<uint>(block + 4 * i));
    }

    private static uint[] PairRoundInputs()
    {
        byte* lastBlock = stackalloc byte[BlockSize];
        uint[] roundInputs = new uint[64];
        fixed (uint* shared = roundInputs) _ = new Padding(2 * Hash256.Size, lastBlock, shared);
        return roundInputs;
    }

    /// <summary>
    /// How messages of one length end (FIPS 180-4 section 5.1.1: a 1 bit, zeros, the 64-bit bit length, to a multiple
    /// of 512 bits). With t = length mod 64 bytes of tail:
    /// <code>
    ///   t = 0        the lanes' blocks end on a boundary; one shared block  [80 00 .. 00 | bit length]
    ///   0 &lt; t &lt; 56   one lane block  [tail | 80 00 .. 00 | bit length]
    ///   56 &lt;= t      one lane block  [tail | 80 00 .. 00], then one shared block [00 .. 00 | bit length]
    /// </code>
    /// </summary>
    private readonly struct Padding
    {
        public readonly int Length;
        public readonly int FullBlocks;
        public readonly int TailLength;
        public readonly bool HasSharedBlock;

        /// <summary>The lane block's template: zeros where the tail goes, then 0x80, zeros and the length if it fits.</summary>
        public readonly byte* LastBlock;

        /// <summary><c>K[t] + W[t]</c> of the shared block, when there is one.</summary>
        public readonly uint* SharedRoundInputs;

        public Padding(int length, byte* lastBlock, uint* sharedRoundInputs)
        {
            Length = length;
            FullBlocks = length / BlockSize;
            TailLength = length % BlockSize;
            HasSharedBlock = TailLength == 0 || TailLength >= BlockSize - sizeof(ulong);
            LastBlock = lastBlock;
            SharedRoundInputs = sharedRoundInputs;

            // SAFETY: the caller passes a 64-byte block and 64 round inputs.
            ulong bitLength = (ulong)length * 8;
            Span<byte> last = new(lastBlock, BlockSize);
            last.Clear();
            Span<byte> shared = stackalloc byte[BlockSize];
            shared.Clear();
            if (TailLength == 0)
            {
                shared[0] = 0x80;
                BinaryPrimitives.WriteUInt64BigEndian(shared[(BlockSize - sizeof(ulong))..], bitLength);
            }
            else
            {
                last[TailLength] = 0x80;
                if (HasSharedBlock) BinaryPrimitives.WriteUInt64BigEndian(shared[(BlockSize - sizeof(ulong))..], bitLength);
                else BinaryPrimitives.WriteUInt64BigEndian(last[(BlockSize - sizeof(ulong))..], bitLength);
            }

            if (!HasSharedBlock) return;
            if (length == 2 * Hash256.Size && s_pairRoundInputs is { } cached)
            {
                cached.CopyTo(new Span<uint>(sharedRoundInputs, 64));
                return;
            }
            Span<uint> words = stackalloc uint[BlockWords];
            for (int i = 0; i < BlockWords; i++) words[i] = BinaryPrimitives.ReadUInt32BigEndian(shared[(4 * i)..]);
            Sha256Constants.RoundInputs(words, new Span<uint>(sharedRoundInputs, 64));
        }
    }
}
