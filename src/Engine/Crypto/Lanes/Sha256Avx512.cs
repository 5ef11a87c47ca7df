using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// SHA-256 compression over 16 messages in the 32-bit lanes of 512-bit AVX-512F registers. Against the AVX2 path:
/// twice the lanes, a native rotate (<c>vprord</c>), and <c>vpternlogd</c>, which evaluates any three-input boolean
/// function in one instruction: the three-way XORs of the sigmas, Ch and Maj are one instruction each.
/// <code>
///   Vector512&lt;uint&gt; for word X:   [ X(lane 0) | X(lane 1) | ... | X(lane 15) ]
///   ternary-logic tables (bit index = 4a + 2b + c):  0x96 = a ^ b ^ c,  0xCA = a ? b : c (Ch),  0xE8 = majority (Maj)
/// </code>
/// </summary>
internal readonly unsafe struct Sha256Avx512 : ISha256Compressor
{
    private const byte Xor3 = 0x96;
    private const byte Choose = 0xCA;
    private const byte Majority = 0xE8;

    public static int Width => 16;

    /// <summary>
    /// Loads one 64-byte block of 16 messages as 16 rows and transposes them in registers, a 16x16 matrix of 32-bit
    /// words in four steps (instead of 256 scalar loads and stores):
    /// <code>
    ///   rows r0..r15 (one message each, words byte-swapped)
    ///   1. unpack 32-bit pairs   (r0,r1) (r2,r3) ...   -> per 128-bit chunk k: [r0[4k] r1[4k] r0[4k+1] r1[4k+1]], ...
    ///   2. unpack 64-bit pairs                          -> u[m], u[4+m], u[8+m], u[12+m]: word 4k+m of rows 0-3, 4-7, 8-11, 12-15
    ///   3. shuffle 128-bit chunks 0x44 / 0xEE          -> chunks 0,1 / 2,3 of two row groups side by side
    ///   4. shuffle 128-bit chunks 0x88 / 0xDD          -> W[4k+m] = [rows 0-3 | rows 4-7 | rows 8-11 | rows 12-15]
    /// </code>
    /// </summary>
    public static void LoadBlocks(byte* first, int stride, uint* words)
    {
        if (!Avx512BW.IsSupported)
        {
            // The byte swap below needs AVX-512BW's vpshufb; every AVX-512 CPU since Skylake has it.
            Sha256Lanes.LoadBlocksScalar(first, stride, words, Width);
            return;
        }

        // vpshufb mask reversing the bytes of every 32-bit word.
        Vector512<byte> swap = Vector512.Create(
            (byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
            3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
        Vector512<uint>* u = stackalloc Vector512<uint>[16];
        for (int group = 0; group < 4; group++)
        {
            byte* row = first + (long)4 * group * stride;
            Vector512<uint> r0 = Avx512BW.Shuffle(Vector512.Load(row), swap).AsUInt32();
            Vector512<uint> r1 = Avx512BW.Shuffle(Vector512.Load(row + stride), swap).AsUInt32();
            Vector512<uint> r2 = Avx512BW.Shuffle(Vector512.Load(row + 2 * (long)stride), swap).AsUInt32();
            Vector512<uint> r3 = Avx512BW.Shuffle(Vector512.Load(row + 3 * (long)stride), swap).AsUInt32();
            Vector512<ulong> t0 = Avx512F.UnpackLow(r0, r1).AsUInt64();
            Vector512<ulong> t1 = Avx512F.UnpackHigh(r0, r1).AsUInt64();
            Vector512<ulong> t2 = Avx512F.UnpackLow(r2, r3).AsUInt64();
            Vector512<ulong> t3 = Avx512F.UnpackHigh(r2, r3).AsUInt64();
            u[4 * group] = Avx512F.UnpackLow(t0, t2).AsUInt32();
            u[4 * group + 1] = Avx512F.UnpackHigh(t0, t2).AsUInt32();
            u[4 * group + 2] = Avx512F.UnpackLow(t1, t3).AsUInt32();
            u[4 * group + 3] = Avx512F.UnpackHigh(t1, t3).AsUInt32();
        }
        for (int m = 0; m < 4; m++)
        {
            Vector512<uint> v0 = Avx512F.Shuffle4x128(u[m], u[4 + m], 0x44);
            Vector512<uint> v1 = Avx512F.Shuffle4x128(u[m], u[4 + m], 0xEE);
            Vector512<uint> w0 = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0x44);
            Vector512<uint> w1 = Avx512F.Shuffle4x128(u[8 + m], u[12 + m], 0xEE);
            Avx512F.Shuffle4x128(v0, w0, 0x88).Store(words + 16 * m);
            Avx512F.Shuffle4x128(v0, w0, 0xDD).Store(words + 16 * (4 + m));
            Avx512F.Shuffle4x128(v1, w1, 0x88).Store(words + 16 * (8 + m));
            Avx512F.Shuffle4x128(v1, w1, 0xDD).Store(words + 16 * (12 + m));
        }
    }

    [SkipLocalsInit]
    public static void Compress(uint* state, uint* words)
    {
        Vector512<uint>* w = stackalloc Vector512<uint>[64];
        for (int t = 0; t < 16; t++) w[t] = Vector512.Load(words + 16 * t);
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
        Vector512<uint> a = Vector512.Load(state), b = Vector512.Load(state + 16), c = Vector512.Load(state + 32), d = Vector512.Load(state + 48);
        Vector512<uint> e = Vector512.Load(state + 64), f = Vector512.Load(state + 80), g = Vector512.Load(state + 96), h = Vector512.Load(state + 112);

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

        (Vector512.Load(state) + a).Store(state);
        (Vector512.Load(state + 16) + b).Store(state + 16);
        (Vector512.Load(state + 32) + c).Store(state + 32);
        (Vector512.Load(state + 48) + d).Store(state + 48);
        (Vector512.Load(state + 64) + e).Store(state + 64);
        (Vector512.Load(state + 80) + f).Store(state + 80);
        (Vector512.Load(state + 96) + g).Store(state + 96);
        (Vector512.Load(state + 112) + h).Store(state + 112);
    }

    /// <summary>Where round t's input comes from, as a struct type parameter so each source compiles to its own loop.</summary>
    private interface IRoundInputs
    {
        Vector512<uint> At(int t);
    }

    /// <summary>A lane block: its schedule W[t] per lane, plus K[t] broadcast (folded into the round, no extra pass).</summary>
    private readonly struct ScheduleInputs(Vector512<uint>* schedule, uint* roundConstants) : IRoundInputs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<uint> At(int t) => schedule[t] + Vector512.Create(roundConstants[t]);
    }

    /// <summary>A shared block: one precomputed K[t] + W[t] for every lane, broadcast as the round reads it.</summary>
    private readonly struct SharedInputs(uint* roundInputs) : IRoundInputs
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<uint> At(int t) => Vector512.Create(roundInputs[t]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        Vector512<uint> a, Vector512<uint> b, Vector512<uint> c, ref Vector512<uint> d,
        Vector512<uint> e, Vector512<uint> f, Vector512<uint> g, ref Vector512<uint> h, Vector512<uint> roundInput)
    {
        Vector512<uint> t1 = h + BigSigma1(e) + Avx512F.TernaryLogic(e, f, g, Choose) + roundInput;
        Vector512<uint> t2 = BigSigma0(a) + Avx512F.TernaryLogic(a, b, c, Majority);
        d += t1;
        h = t1 + t2;
    }

    private static Vector512<uint> BigSigma0(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 2), Avx512F.RotateRight(x, 13), Avx512F.RotateRight(x, 22), Xor3);

    private static Vector512<uint> BigSigma1(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 6), Avx512F.RotateRight(x, 11), Avx512F.RotateRight(x, 25), Xor3);

    private static Vector512<uint> SmallSigma0(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 7), Avx512F.RotateRight(x, 18), Avx512F.ShiftRightLogical(x, 3), Xor3);

    private static Vector512<uint> SmallSigma1(Vector512<uint> x) =>
        Avx512F.TernaryLogic(Avx512F.RotateRight(x, 17), Avx512F.RotateRight(x, 19), Avx512F.ShiftRightLogical(x, 10), Xor3);
}
