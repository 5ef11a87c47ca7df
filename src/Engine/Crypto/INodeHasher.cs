using NexusFast.Engine.Primitives;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Batch SHA-256 for Merkle trees: one call per tree level, so that a multi-lane (SIMD) engine can hash many
/// independent inputs at once. Every implementation gives exactly SHA-256 of each input, bit for bit.
/// </summary>
/// <remarks>
/// Callers hand over a whole level per call, so dispatch through this interface costs nothing measurable; take it
/// as a struct type parameter (<c>where THasher : INodeHasher</c>) where a call site is generic anyway.
/// </remarks>
public interface INodeHasher
{
    /// <summary>
    /// <c>parents[i] = SHA-256(pairs[2i] || pairs[2i+1])</c>: each input is exactly 64 bytes, two adjacent hashes.
    /// <paramref name="pairs"/> holds exactly twice as many hashes as <paramref name="parents"/>; the spans must not
    /// overlap (a parallel implementation writes some parents while other inputs are still being read).
    /// </summary>
    void HashPairs(ReadOnlySpan<Hash256> pairs, Span<Hash256> parents);

    /// <summary>
    /// <c>outputs[i] = SHA-256(inputs[i*inputLength .. (i+1)*inputLength])</c>: many messages of one fixed length
    /// (tree leaves, key hashes). <paramref name="inputs"/> holds exactly <c>outputs.Length * inputLength</c> bytes.
    /// </summary>
    void HashFixed(ReadOnlySpan<byte> inputs, int inputLength, Span<Hash256> outputs);
}
