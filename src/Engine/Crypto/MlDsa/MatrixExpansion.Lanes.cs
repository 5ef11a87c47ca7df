using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>A Keccak-f[1600] that permutes <see cref="Width"/> interleaved states (lane j of state i at j * Width + i).</summary>
internal interface IKeccakLanes
{
    static abstract int Width { get; }

    static abstract void Permute(Span<ulong> interleaved);
}

/// <summary>4 states with AVX2 (<see cref="KeccakF1600x4"/>).</summary>
internal readonly struct KeccakLanes4 : IKeccakLanes
{
    public static int Width => KeccakF1600x4.Width;

    public static void Permute(Span<ulong> interleaved) => KeccakF1600x4.Permute(MemoryMarshal.Cast<ulong, Vector256<ulong>>(interleaved));
}

/// <summary>8 states with AVX-512 (<see cref="KeccakF1600x8"/>).</summary>
internal readonly struct KeccakLanes8 : IKeccakLanes
{
    public static int Width => KeccakF1600x8.Width;

    public static void Permute(Span<ulong> interleaved) => KeccakF1600x8.Permute(MemoryMarshal.Cast<ulong, Vector512<ulong>>(interleaved));
}

/// <summary>
/// ExpandA with several SHAKE-128 instances in SIMD lanes: the k*l entries go through the permutation
/// <typeparamref name="TLanes"/>.Width at a time (ML-DSA-65's 30 entries: 4 batches of 8 with AVX-512, 8 of 4 with
/// AVX2). Each batch squeezes the 5 blocks that nearly always suffice, then more blocks for all lanes while any entry
/// is short. Same output as the scalar expansion (a test compares them); the seed is public, so branching is fine.
/// </summary>
internal static partial class MatrixExpansion
{
    private const int RateLanes = KeccakSponge.Rate128 / 8;

    /// <param name="initialBlocks">
    /// Blocks squeezed before the first sampling pass (at most <see cref="Sampling.UniformBlocks"/>); tests pass fewer to
    /// reach the extra-block loop, which real seeds essentially never need.
    /// </param>
    internal static void ExpandLanes<TLanes>(MlDsaParameters parameters, ReadOnlySpan<byte> rho, Span<int> matrix, int initialBlocks = Sampling.UniformBlocks)
        where TLanes : struct, IKeccakLanes
    {
        if (initialBlocks < 1 || initialBlocks > Sampling.UniformBlocks) throw new ArgumentOutOfRangeException(nameof(initialBlocks));
        int width = TLanes.Width;
        int count = parameters.K * parameters.L;
        Span<ulong> state = stackalloc ulong[KeccakF1600.StateLanes * 8];
        state = state[..(KeccakF1600.StateLanes * width)];
        int blockBytes = KeccakSponge.Rate128;
        Span<byte> output = stackalloc byte[8 * Sampling.UniformBlocks * KeccakSponge.Rate128];
        int streamBytes = Sampling.UniformBlocks * blockBytes;
        Span<int> filled = stackalloc int[8];

        for (int first = 0; first < count; first += width)
        {
            // Absorb rho || s || r (34 bytes) and the SHAKE padding into every lane; lanes past the last entry repeat it.
            state.Clear();
            for (int word = 0; word < 4; word++)
            {
                ulong value = BinaryPrimitives.ReadUInt64LittleEndian(rho[(8 * word)..]);
                for (int i = 0; i < width; i++) state[word * width + i] = value;
            }
            for (int i = 0; i < width; i++)
            {
                int entry = Math.Min(first + i, count - 1);
                int row = entry / parameters.L;
                int column = entry % parameters.L;
                state[4 * width + i] = (uint)column | ((uint)row << 8) | (0x1FUL << 16);
                state[(RateLanes - 1) * width + i] = 0x80UL << 56;
            }

            for (int block = 0; block < initialBlocks; block++)
            {
                TLanes.Permute(state);
                ExtractRate(state, width, output, block * blockBytes, streamBytes);
            }
            int live = Math.Min(width, count - first);
            bool anyShort = false;
            for (int i = 0; i < live; i++)
            {
                filled[i] = Sampling.RejectUniform(Entry(matrix, first + i), 0, output.Slice(i * streamBytes, initialBlocks * blockBytes));
                anyShort |= filled[i] < MlDsaField.N;
            }
            while (anyShort)
            {
                TLanes.Permute(state);
                ExtractRate(state, width, output, 0, streamBytes);
                anyShort = false;
                for (int i = 0; i < live; i++)
                {
                    filled[i] = Sampling.RejectUniform(Entry(matrix, first + i), filled[i], output.Slice(i * streamBytes, blockBytes));
                    anyShort |= filled[i] < MlDsaField.N;
                }
            }
        }
        state.Clear();
    }

    private static Span<int> Entry(Span<int> matrix, int entry) => matrix.Slice(entry * MlDsaField.N, MlDsaField.N);

    /// <summary>Writes the 168 rate bytes of every lane's state to its stream at <paramref name="offset"/>.</summary>
    private static void ExtractRate(ReadOnlySpan<ulong> state, int width, Span<byte> output, int offset, int streamBytes)
    {
        for (int lane = 0; lane < RateLanes; lane++)
        {
            for (int i = 0; i < width; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(output[(i * streamBytes + offset + 8 * lane)..], state[lane * width + i]);
            }
        }
    }
}
