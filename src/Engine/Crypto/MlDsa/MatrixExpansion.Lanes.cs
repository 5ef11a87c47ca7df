using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

using NexusFast.Engine.Crypto.Lanes;

namespace NexusFast.Engine.Crypto.MlDsa;

/// <summary>A Keccak-f[1600] that permutes <see cref="Width"/> interleaved states (lane j of state i at j * Width + i).</summary>
internal interface IKeccakLanes
{
    static abstract int Width { get; }

    static abstract void Permute(Span<ulong> interleaved);
}

/// <summary>4 states with AVX2: the batch Keccak-256's permutation (<see cref="KeccakF1600Avx2"/>), same interleaving.</summary>
internal readonly unsafe struct KeccakLanes4 : IKeccakLanes
{
    public static int Width => KeccakF1600Avx2.Width;

    public static void Permute(Span<ulong> interleaved)
    {
        CheckLength(interleaved, Width);
        fixed (ulong* state = interleaved) KeccakF1600Avx2.Permute(state);
    }

    internal static void CheckLength(Span<ulong> interleaved, int width)
    {
        if (interleaved.Length != KeccakF1600.StateLanes * width)
            throw new ArgumentException($"{width} interleaved states are {KeccakF1600.StateLanes * width} lanes, got {interleaved.Length}", nameof(interleaved));
    }
}

/// <summary>8 states with AVX-512 (<see cref="KeccakF1600Avx512"/>).</summary>
internal readonly unsafe struct KeccakLanes8 : IKeccakLanes
{
    public static int Width => KeccakF1600Avx512.Width;

    public static void Permute(Span<ulong> interleaved)
    {
        KeccakLanes4.CheckLength(interleaved, Width);
        fixed (ulong* state = interleaved) KeccakF1600Avx512.Permute(state);
    }
}

/// <summary>
/// ExpandA with several SHAKE-128 instances in SIMD lanes: the k*l entries go through the permutation
/// <typeparamref name="TLanes"/>.Width at a time (ML-DSA-65's 30 entries: 4 batches of 8 with AVX-512, 8 of 4 with
/// AVX2). Each batch squeezes the 5 blocks that nearly always suffice, then more blocks for all lanes while any entry
/// is short. Same output as the scalar expansion (a test compares them); the seed is public, so branching is fine.
/// </summary>
internal static partial class MatrixExpansion
{
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
        int rate = KeccakSponge.Rate128;
        int stride = Sampling.UniformBlocks * rate;
        Span<ulong> state = stackalloc ulong[KeccakF1600.StateLanes * 8];
        state = state[..(KeccakF1600.StateLanes * width)];
        Span<byte> output = stackalloc byte[8 * Sampling.UniformBlocks * KeccakSponge.Rate128];
        Span<int> counters = stackalloc int[8];
        Span<int> filled = stackalloc int[8];

        for (int first = 0; first < count; first += width)
        {
            int live = Math.Min(width, count - first);
            for (int i = 0; i < live; i++)
            {
                int entry = first + i;
                counters[i] = entry % parameters.L | (entry / parameters.L << 8); // rho || s || r
            }
            MultiLaneShake<TLanes>.Start(state, rate, rho, counters[..live]);
            MultiLaneShake<TLanes>.Squeeze(state, rate, output, stride, 0, initialBlocks);
            bool anyShort = false;
            for (int i = 0; i < live; i++)
            {
                filled[i] = Sampling.RejectUniform(Entry(matrix, first + i), 0, output.Slice(i * stride, initialBlocks * rate));
                anyShort |= filled[i] < MlDsaField.N;
            }
            while (anyShort)
            {
                MultiLaneShake<TLanes>.Squeeze(state, rate, output, stride, 0, 1);
                anyShort = false;
                for (int i = 0; i < live; i++)
                {
                    filled[i] = Sampling.RejectUniform(Entry(matrix, first + i), filled[i], output.Slice(i * stride, rate));
                    anyShort |= filled[i] < MlDsaField.N;
                }
            }
        }
        state.Clear();
    }

    private static Span<int> Entry(Span<int> matrix, int entry) => matrix.Slice(entry * MlDsaField.N, MlDsaField.N);
}
