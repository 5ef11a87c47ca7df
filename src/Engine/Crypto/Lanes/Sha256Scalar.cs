using System.Numerics;
using System.Runtime.CompilerServices;

namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// The scalar SHA-256 compression function, one message per pass: the fallback on CPUs without AVX2, the path for
/// remainders too small to fill vector lanes, and the reference the vector paths follow line by line.
/// </summary>
internal readonly unsafe struct Sha256Scalar : ISha256Compressor
{
    public static int Width => 1;

    public static void LoadBlocks(byte* first, int stride, uint* words) => Sha256Lanes.LoadBlocksScalar(first, stride, words, 1);

    [SkipLocalsInit]
    public static void Compress(uint* state, uint* words)
    {
        uint* w = stackalloc uint[64];
        for (int t = 0; t < 16; t++) w[t] = words[t];
        for (int t = 16; t < 64; t++)
        {
            w[t] = Sha256Constants.SmallSigma1(w[t - 2]) + w[t - 7] + Sha256Constants.SmallSigma0(w[t - 15]) + w[t - 16];
        }

        ReadOnlySpan<uint> k = Sha256Constants.RoundConstants;
        for (int t = 0; t < 64; t++) w[t] += k[t];
        CompressShared(state, w);
    }

    public static void CompressShared(uint* state, uint* roundInputs)
    {
        uint a = state[0], b = state[1], c = state[2], d = state[3];
        uint e = state[4], f = state[5], g = state[6], h = state[7];

        // Eight rounds per iteration with the variables renamed instead of shifted (a..h rotate by one each round).
        for (int t = 0; t < 64; t += 8)
        {
            Round(a, b, c, ref d, e, f, g, ref h, roundInputs[t]);
            Round(h, a, b, ref c, d, e, f, ref g, roundInputs[t + 1]);
            Round(g, h, a, ref b, c, d, e, ref f, roundInputs[t + 2]);
            Round(f, g, h, ref a, b, c, d, ref e, roundInputs[t + 3]);
            Round(e, f, g, ref h, a, b, c, ref d, roundInputs[t + 4]);
            Round(d, e, f, ref g, h, a, b, ref c, roundInputs[t + 5]);
            Round(c, d, e, ref f, g, h, a, ref b, roundInputs[t + 6]);
            Round(b, c, d, ref e, f, g, h, ref a, roundInputs[t + 7]);
        }

        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }

    /// <summary>One round (FIPS 180-4 6.2.2 step 3): d += T1, h = T1 + T2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(uint a, uint b, uint c, ref uint d, uint e, uint f, uint g, ref uint h, uint roundInput)
    {
        uint t1 = h + BigSigma1(e) + ((e & f) ^ (~e & g)) + roundInput;
        uint t2 = BigSigma0(a) + ((a & b) ^ (a & c) ^ (b & c));
        d += t1;
        h = t1 + t2;
    }

    private static uint BigSigma0(uint x) => BitOperations.RotateRight(x, 2) ^ BitOperations.RotateRight(x, 13) ^ BitOperations.RotateRight(x, 22);

    private static uint BigSigma1(uint x) => BitOperations.RotateRight(x, 6) ^ BitOperations.RotateRight(x, 11) ^ BitOperations.RotateRight(x, 25);
}
