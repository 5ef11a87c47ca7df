using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NexusFast.Engine.Crypto.Lanes;

/// <summary>
/// Keccak-f[1600] over 4 states in the 64-bit lanes of 256-bit AVX2 registers. The round body is
/// <see cref="KeccakF1600"/>'s, generated from it with every <c>ulong</c> a <c>Vector256&lt;ulong&gt;</c>. AVX2 has no
/// 64-bit rotate (two shifts and an OR) but has <c>vpandn</c> for chi's <c>~b &amp; c</c>.
/// <code>
///   Vector256&lt;ulong&gt; for Keccak lane A[i]:   [ A[i](msg 0) | A[i](msg 1) | A[i](msg 2) | A[i](msg 3) ]
/// </code>
/// With 16 registers for 50-odd live values the JIT spills heavily; measured as for the AVX-512 path, a 64-byte hash
/// costs about 90 ns a lane against 255 ns scalar.
/// </summary>
internal readonly unsafe struct KeccakF1600Avx2 : IKeccakPermutation
{
    public static int Width => 4;

    public static void Permute(ulong* state)
    {
        ReadOnlySpan<ulong> roundConstants = KeccakF1600.RoundConstants;
        const int Rounds = KeccakF1600.Rounds;

        Vector256<ulong> aba = Vector256.Load(state + 0);
        Vector256<ulong> abe = Vector256.Load(state + 4);
        Vector256<ulong> abi = Vector256.Load(state + 8);
        Vector256<ulong> abo = Vector256.Load(state + 12);
        Vector256<ulong> abu = Vector256.Load(state + 16);
        Vector256<ulong> aga = Vector256.Load(state + 20);
        Vector256<ulong> age = Vector256.Load(state + 24);
        Vector256<ulong> agi = Vector256.Load(state + 28);
        Vector256<ulong> ago = Vector256.Load(state + 32);
        Vector256<ulong> agu = Vector256.Load(state + 36);
        Vector256<ulong> aka = Vector256.Load(state + 40);
        Vector256<ulong> ake = Vector256.Load(state + 44);
        Vector256<ulong> aki = Vector256.Load(state + 48);
        Vector256<ulong> ako = Vector256.Load(state + 52);
        Vector256<ulong> aku = Vector256.Load(state + 56);
        Vector256<ulong> ama = Vector256.Load(state + 60);
        Vector256<ulong> ame = Vector256.Load(state + 64);
        Vector256<ulong> ami = Vector256.Load(state + 68);
        Vector256<ulong> amo = Vector256.Load(state + 72);
        Vector256<ulong> amu = Vector256.Load(state + 76);
        Vector256<ulong> asa = Vector256.Load(state + 80);
        Vector256<ulong> ase = Vector256.Load(state + 84);
        Vector256<ulong> asi = Vector256.Load(state + 88);
        Vector256<ulong> aso = Vector256.Load(state + 92);
        Vector256<ulong> asu = Vector256.Load(state + 96);

        Vector256<ulong> eba, ebe, ebi, ebo, ebu, ega, ege, egi, ego, egu, eka, eke, eki;
        Vector256<ulong> eko, eku, ema, eme, emi, emo, emu, esa, ese, esi, eso, esu;
        Vector256<ulong> b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;

        for (int round = 0; round < Rounds; round += 2)
        {
            c0 = aba ^ aga ^ aka ^ ama ^ asa;
            c1 = abe ^ age ^ ake ^ ame ^ ase;
            c2 = abi ^ agi ^ aki ^ ami ^ asi;
            c3 = abo ^ ago ^ ako ^ amo ^ aso;
            c4 = abu ^ agu ^ aku ^ amu ^ asu;
            d0 = c4 ^ RotateLeft(c1, 1);
            d1 = c0 ^ RotateLeft(c2, 1);
            d2 = c1 ^ RotateLeft(c3, 1);
            d3 = c2 ^ RotateLeft(c4, 1);
            d4 = c3 ^ RotateLeft(c0, 1);
            b0 = aba ^ d0;
            b1 = RotateLeft(age ^ d1, 44);
            b2 = RotateLeft(aki ^ d2, 43);
            b3 = RotateLeft(amo ^ d3, 21);
            b4 = RotateLeft(asu ^ d4, 14);
            eba = Chi(b0, b1, b2) ^ Vector256.Create(roundConstants[round]);
            ebe = Chi(b1, b2, b3);
            ebi = Chi(b2, b3, b4);
            ebo = Chi(b3, b4, b0);
            ebu = Chi(b4, b0, b1);
            b0 = RotateLeft(abo ^ d3, 28);
            b1 = RotateLeft(agu ^ d4, 20);
            b2 = RotateLeft(aka ^ d0, 3);
            b3 = RotateLeft(ame ^ d1, 45);
            b4 = RotateLeft(asi ^ d2, 61);
            ega = Chi(b0, b1, b2);
            ege = Chi(b1, b2, b3);
            egi = Chi(b2, b3, b4);
            ego = Chi(b3, b4, b0);
            egu = Chi(b4, b0, b1);
            b0 = RotateLeft(abe ^ d1, 1);
            b1 = RotateLeft(agi ^ d2, 6);
            b2 = RotateLeft(ako ^ d3, 25);
            b3 = RotateLeft(amu ^ d4, 8);
            b4 = RotateLeft(asa ^ d0, 18);
            eka = Chi(b0, b1, b2);
            eke = Chi(b1, b2, b3);
            eki = Chi(b2, b3, b4);
            eko = Chi(b3, b4, b0);
            eku = Chi(b4, b0, b1);
            b0 = RotateLeft(abu ^ d4, 27);
            b1 = RotateLeft(aga ^ d0, 36);
            b2 = RotateLeft(ake ^ d1, 10);
            b3 = RotateLeft(ami ^ d2, 15);
            b4 = RotateLeft(aso ^ d3, 56);
            ema = Chi(b0, b1, b2);
            eme = Chi(b1, b2, b3);
            emi = Chi(b2, b3, b4);
            emo = Chi(b3, b4, b0);
            emu = Chi(b4, b0, b1);
            b0 = RotateLeft(abi ^ d2, 62);
            b1 = RotateLeft(ago ^ d3, 55);
            b2 = RotateLeft(aku ^ d4, 39);
            b3 = RotateLeft(ama ^ d0, 41);
            b4 = RotateLeft(ase ^ d1, 2);
            esa = Chi(b0, b1, b2);
            ese = Chi(b1, b2, b3);
            esi = Chi(b2, b3, b4);
            eso = Chi(b3, b4, b0);
            esu = Chi(b4, b0, b1);

            c0 = eba ^ ega ^ eka ^ ema ^ esa;
            c1 = ebe ^ ege ^ eke ^ eme ^ ese;
            c2 = ebi ^ egi ^ eki ^ emi ^ esi;
            c3 = ebo ^ ego ^ eko ^ emo ^ eso;
            c4 = ebu ^ egu ^ eku ^ emu ^ esu;
            d0 = c4 ^ RotateLeft(c1, 1);
            d1 = c0 ^ RotateLeft(c2, 1);
            d2 = c1 ^ RotateLeft(c3, 1);
            d3 = c2 ^ RotateLeft(c4, 1);
            d4 = c3 ^ RotateLeft(c0, 1);
            b0 = eba ^ d0;
            b1 = RotateLeft(ege ^ d1, 44);
            b2 = RotateLeft(eki ^ d2, 43);
            b3 = RotateLeft(emo ^ d3, 21);
            b4 = RotateLeft(esu ^ d4, 14);
            aba = Chi(b0, b1, b2) ^ Vector256.Create(roundConstants[round + 1]);
            abe = Chi(b1, b2, b3);
            abi = Chi(b2, b3, b4);
            abo = Chi(b3, b4, b0);
            abu = Chi(b4, b0, b1);
            b0 = RotateLeft(ebo ^ d3, 28);
            b1 = RotateLeft(egu ^ d4, 20);
            b2 = RotateLeft(eka ^ d0, 3);
            b3 = RotateLeft(eme ^ d1, 45);
            b4 = RotateLeft(esi ^ d2, 61);
            aga = Chi(b0, b1, b2);
            age = Chi(b1, b2, b3);
            agi = Chi(b2, b3, b4);
            ago = Chi(b3, b4, b0);
            agu = Chi(b4, b0, b1);
            b0 = RotateLeft(ebe ^ d1, 1);
            b1 = RotateLeft(egi ^ d2, 6);
            b2 = RotateLeft(eko ^ d3, 25);
            b3 = RotateLeft(emu ^ d4, 8);
            b4 = RotateLeft(esa ^ d0, 18);
            aka = Chi(b0, b1, b2);
            ake = Chi(b1, b2, b3);
            aki = Chi(b2, b3, b4);
            ako = Chi(b3, b4, b0);
            aku = Chi(b4, b0, b1);
            b0 = RotateLeft(ebu ^ d4, 27);
            b1 = RotateLeft(ega ^ d0, 36);
            b2 = RotateLeft(eke ^ d1, 10);
            b3 = RotateLeft(emi ^ d2, 15);
            b4 = RotateLeft(eso ^ d3, 56);
            ama = Chi(b0, b1, b2);
            ame = Chi(b1, b2, b3);
            ami = Chi(b2, b3, b4);
            amo = Chi(b3, b4, b0);
            amu = Chi(b4, b0, b1);
            b0 = RotateLeft(ebi ^ d2, 62);
            b1 = RotateLeft(ego ^ d3, 55);
            b2 = RotateLeft(eku ^ d4, 39);
            b3 = RotateLeft(ema ^ d0, 41);
            b4 = RotateLeft(ese ^ d1, 2);
            asa = Chi(b0, b1, b2);
            ase = Chi(b1, b2, b3);
            asi = Chi(b2, b3, b4);
            aso = Chi(b3, b4, b0);
            asu = Chi(b4, b0, b1);
        }

        aba.Store(state + 0);
        abe.Store(state + 4);
        abi.Store(state + 8);
        abo.Store(state + 12);
        abu.Store(state + 16);
        aga.Store(state + 20);
        age.Store(state + 24);
        agi.Store(state + 28);
        ago.Store(state + 32);
        agu.Store(state + 36);
        aka.Store(state + 40);
        ake.Store(state + 44);
        aki.Store(state + 48);
        ako.Store(state + 52);
        aku.Store(state + 56);
        ama.Store(state + 60);
        ame.Store(state + 64);
        ami.Store(state + 68);
        amo.Store(state + 72);
        amu.Store(state + 76);
        asa.Store(state + 80);
        ase.Store(state + 84);
        asi.Store(state + 88);
        aso.Store(state + 92);
        asu.Store(state + 96);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> RotateLeft(Vector256<ulong> x, int bits) => Vector256.ShiftLeft(x, bits) | Vector256.ShiftRightLogical(x, 64 - bits);

    // Avx2.AndNot(b, c) is ~b & c (vpandn), the operand order chi needs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Chi(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c) => a ^ Avx2.AndNot(b, c);
}
