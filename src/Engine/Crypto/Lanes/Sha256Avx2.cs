using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// SHA-256 compression over 8 messages in the 32-bit lanes of 256-bit AVX2 registers: the scalar path
/// (<see cref="Sha256Scalar"/>) with every <c>uint</c> a <c>Vector256&lt;uint&gt;</c>. AVX2 has no vector rotate,
/// so rotations are two shifts and an OR.
/// <code>
///   Vector256&lt;uint&gt; for word X:   [ X(lane 0) | X(lane 1) | ... | X(lane 7) ]
/// </code>
/// </summary>
internal readonly unsafe struct Sha256Avx2 : ISha256Compressor
{
    public static int Width => 8;

    /// <summary>
    /// Loads one 64-byte block of 8 messages and transposes it in registers, as two 8x8 matrices of 32-bit words
    /// (words 0-7, then 8-15):
    /// <code>
    ///   rows r0..r7 (half a block of one message each, words byte-swapped)
    ///   1. unpack 32-bit pairs (r0,r1) (r2,r3) ...   -> per 128-bit half: [r0[i] r1[i] r0[i+1] r1[i+1]]
    ///   2. unpack 64-bit pairs                        -> u[m] = [word m of rows 0-3 | word m+4 of rows 0-3], u[4+m] rows 4-7
    ///   3. swap 128-bit halves 0x20 / 0x31            -> W[m] = [rows 0-3 | rows 4-7], W[m+4] likewise
    /// </code>
    /// </summary>
    public static void LoadBlocks(byte* first, int stride, uint* words)
    {
        // vpshufb mask reversing the bytes of every 32-bit word.
        Vector256<byte> swap = Vector256.Create(
            (byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
        Vector256<uint>* u = stackalloc Vector256<uint>[8];
        for (int half = 0; half < 2; half++)
        {
            for (int group = 0; group < 2; group++)
            {
                byte* row = first + (long)4 * group * stride + 32 * half;
                Vector256<uint> r0 = Avx2.Shuffle(Vector256.Load(row), swap).AsUInt32();
                Vector256<uint> r1 = Avx2.Shuffle(Vector256.Load(row + stride), swap).AsUInt32();
                Vector256<uint> r2 = Avx2.Shuffle(Vector256.Load(row + 2 * (long)stride), swap).AsUInt32();
                Vector256<uint> r3 = Avx2.Shuffle(Vector256.Load(row + 3 * (long)stride), swap).AsUInt32();
                Vector256<ulong> t0 = Avx2.UnpackLow(r0, r1).AsUInt64();
                Vector256<ulong> t1 = Avx2.UnpackHigh(r0, r1).AsUInt64();
                Vector256<ulong> t2 = Avx2.UnpackLow(r2, r3).AsUInt64();
                Vector256<ulong> t3 = Avx2.UnpackHigh(r2, r3).AsUInt64();
                u[4 * group] = Avx2.UnpackLow(t0, t2).AsUInt32();
                u[4 * group + 1] = Avx2.UnpackHigh(t0, t2).AsUInt32();
                u[4 * group + 2] = Avx2.UnpackLow(t1, t3).AsUInt32();
                u[4 * group + 3] = Avx2.UnpackHigh(t1, t3).AsUInt32();
            }
            uint* row0 = words + 8 * 8 * half;
            for (int m = 0; m < 4; m++)
            {
                Avx2.Permute2x128(u[m], u[4 + m], 0x20).Store(row0 + 8 * m);
                Avx2.Permute2x128(u[m], u[4 + m], 0x31).Store(row0 + 8 * (4 + m));
            }
        }
    }

    [SkipLocalsInit]
    public static void Compress(uint* state, uint* words)
    {
        Vector256<uint>* w = stackalloc Vector256<uint>[64];
        for (int t = 0; t < 16; t++) w[t] = Vector256.Load(words + 8 * t);
        for (int t = 16; t < 64; t++) w[t] = SmallSigma1(w[t - 2]) + w[t - 7] + SmallSigma0(w[t - 15]) + w[t - 16];

        fixed (uint* k = Sha256Constants.RoundConstants)
        {
            Rounds<ScheduleInputs>(state, new ScheduleInputs(w, k));
        }
    }

    public static void CompressShared(uint* state, uint* roundInputs) => Rounds<SharedInputs>(state, new SharedInputs(roundInputs));

    /// <summary>The 64 rounds; <typeparamref name="TInputs"/> supplies <c>K[t] + W[t]</c> for round t.</summary>
    private static void Rounds<TInputs>(uint* state, TInputs inputs) where TInputs : struct, IRoundInputs
    {
        Vector256<uint> a = Vector256.Load(state), b = Vector256.Load(state + 8), c = Vector256.Load(state + 16), d = Vector256.Load(state + 24);
        Vector256<uint> e = Vector256.Load(state + 32), f = Vector256.Load(state + 40), g = Vector256.Load(state + 48), h = Vector256.Load(state + 56);

        for (int t = 0; t < 64; t += 8)
        {
            Round(a, b, c, ref d, e, f, g, ref h, inputs.At(t));
            Round(h, a, b, ref c, d, e, f, ref g, inputs.At(t + 1));
            Round(g, h, a, ref b, c, d, e, ref f, inputs.At(t + 2));
            Round(f, g, h, ref a, b, c, d, ref e, inputs.At(t + 3));
            Round(e, f, g, ref h, a, b, c, ref d, inputs.At(t + 4));
            Round(d, e, f, ref g, h, a, b, ref c, inputs.At(t + 5));
            Round(c, d, e, ref f, g, h, a, ref b, inputs.At(t + 6));
            Round(b, c, d, ref e, f, g, h, ref a, inputs.At(t + 7));
        }

        (Vector256.Load(state) + a).Store(state);
        (Vector256.Load(state + 8) + b).Store(state + 8);
        (Vector256.Load(state + 16) + c).Store(state + 16);
        (Vector256.Load(state + 24) + d).Store(state + 24);
        (Vector256.Load(state + 32) + e).Store(state + 32);
        (Vector256.Load(state + 40) + f).Store(state + 40);
        (Vector256.Load(state + 48) + g).Store(state + 48);
        (Vector256.Load(state + 56) + h).Store(state + 56);
    }

    /// <summary>Where round t's input comes from, as a struct type parameter so each source compiles to its own loop.</summary>
    private interface IRoundInputs
    {
        Vector256<uint> At(int t);
    }

    /// <summary>A lane block: its schedule W[t] per lane, plus K[t] broadcast (folded into the round, no extra pass).</summary>
    private readonly struct ScheduleInputs(Vector256<uint>* schedule, uint* roundConstants) : IRoundInputs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<uint> At(int t) => schedule[t] + Vector256.Create(roundConstants[t]);
    }

    /// <summary>A shared block: one precomputed K[t] + W[t] for every lane, broadcast as the round reads it.</summary>
    private readonly struct SharedInputs(uint* roundInputs) : IRoundInputs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<uint> At(int t) => Vector256.Create(roundInputs[t]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, ref Vector256<uint> d,
        Vector256<uint> e, Vector256<uint> f, Vector256<uint> g, ref Vector256<uint> h, Vector256<uint> roundInput)
    {
        // Ch(e, f, g) = g ^ (e & (f ^ g)); Maj(a, b, c) = (a & b) | (c & (a | b)): one operation fewer than the
        // textbook forms, same truth tables.
        Vector256<uint> t1 = h + BigSigma1(e) + (g ^ (e & (f ^ g))) + roundInput;
        Vector256<uint> t2 = BigSigma0(a) + ((a & b) | (c & (a | b)));
        d += t1;
        h = t1 + t2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RotateRight(Vector256<uint> x, int bits) =>
        Vector256.ShiftRightLogical(x, bits) | Vector256.ShiftLeft(x, 32 - bits);

    private static Vector256<uint> BigSigma0(Vector256<uint> x) => RotateRight(x, 2) ^ RotateRight(x, 13) ^ RotateRight(x, 22);

    private static Vector256<uint> BigSigma1(Vector256<uint> x) => RotateRight(x, 6) ^ RotateRight(x, 11) ^ RotateRight(x, 25);

    private static Vector256<uint> SmallSigma0(Vector256<uint> x) => RotateRight(x, 7) ^ RotateRight(x, 18) ^ Avx2.ShiftRightLogical(x, 3);

    private static Vector256<uint> SmallSigma1(Vector256<uint> x) => RotateRight(x, 17) ^ RotateRight(x, 19) ^ Avx2.ShiftRightLogical(x, 10);
}
