namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>The scalar path: one state per pass, the existing <see cref="KeccakF1600"/> (a one-lane row is the plain layout).</summary>
internal readonly unsafe struct KeccakF1600Scalar : IKeccakPermutation
{
    public static int Width => 1;

    // SAFETY: the batch sponge hands over 25 lanes of one state.
    public static void Permute(ulong* state) => KeccakF1600.Permute(new Span<ulong>(state, KeccakF1600.StateLanes));
}
