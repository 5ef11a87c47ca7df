namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// One instruction-set path of the SHA-256 compression function (FIPS 180-4 section 6.2.2) over <see cref="Width"/>
/// independent messages at once. Implemented by structs and taken as a type parameter, so the batch driver in
/// <see cref="Sha256Lanes"/> is compiled once per path with every call inlined (STYLE habit 6).
/// </summary>
/// <remarks>
/// Data is transposed ("word-sliced"): row i of a buffer holds word i of every lane, so one vector register holds
/// the same word of <see cref="Width"/> messages and each SHA-256 operation is one vector instruction.
/// <code>
///   state  (8 rows):  H0[lane 0] H0[lane 1] ... H0[lane W-1] | H1[lane 0] ... | ... | H7[lane W-1]
///   words (16 rows):  M0[lane 0] M0[lane 1] ... M0[lane W-1] | M1[lane 0] ... | ... | M15[lane W-1]   (big-endian words, already swapped)
/// </code>
/// </remarks>
internal unsafe interface ISha256Compressor
{
    /// <summary>Messages per pass.</summary>
    static abstract int Width { get; }

    /// <summary>
    /// Fills the 16 word rows with one 64-byte block of each of <see cref="Width"/> messages, the first at
    /// <paramref name="first"/> and the others <paramref name="stride"/> bytes apart: the transposition and the
    /// big-endian byte swap (FIPS 180-4 reads words most significant byte first).
    /// </summary>
    static abstract void LoadBlocks(byte* first, int stride, uint* words);

    /// <summary>Folds one message block per lane into the chaining values: full schedule, 64 rounds.</summary>
    static abstract void Compress(uint* state, uint* words);

    /// <summary>
    /// Folds one block that every lane shares (the padding block of equal-length messages) into the chaining values.
    /// Its message schedule is the same for every lane, so the caller computes it once and passes the 64 round inputs
    /// <c>K[t] + W[t]</c>: the lanes then run only the rounds, not the schedule.
    /// </summary>
    static abstract void CompressShared(uint* state, uint* roundInputs);
}
