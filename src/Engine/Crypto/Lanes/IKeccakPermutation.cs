namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// One instruction-set path of Keccak-f[1600] over <see cref="Width"/> independent states at once, taken as a struct
/// type parameter by the batch sponge in <see cref="Keccak256Lanes"/>.
/// </summary>
/// <remarks>
/// States are transposed like the SHA-256 words: row i holds lane i (FIPS 202's A[x, y] with i = x + 5y) of every
/// state, so one register carries the same Keccak lane of <see cref="Width"/> messages.
/// <code>
///   state (25 rows):  A0[msg 0] A0[msg 1] ... A0[msg W-1] | A1[msg 0] ... | ... | A24[msg W-1]
/// </code>
/// </remarks>
internal unsafe interface IKeccakPermutation
{
    /// <summary>States per pass.</summary>
    static abstract int Width { get; }

    /// <summary>Applies the 24 rounds to every state in place.</summary>
    static abstract void Permute(ulong* state);
}
