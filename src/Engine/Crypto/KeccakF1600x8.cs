using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Keccak-f[1600] on 8 independent states at once (AVX-512): lane x + 5y of state i is element i of
/// <c>state[x + 5y]</c>. The round body is the scalar <see cref="KeccakF1600"/> with each ulong replaced by a
/// Vector512&lt;ulong&gt; (the substitution was done by a script, so rotation amounts and lane positions are the scalar ones);
/// rotations are vprolq. Used where many short SHAKE computations run side by side (ML-DSA's matrix expansion).
/// </summary>
internal static class KeccakF1600x8
{
    public const int Width = 8;

    /// <summary>Applies the 24 rounds in place to 8 interleaved states.</summary>
    public static void Permute(Span<Vector512<ulong>> state)
    {
        if (state.Length != KeccakF1600.StateLanes) throw new ArgumentException($"the state is {KeccakF1600.StateLanes} vectors, got {state.Length}", nameof(state));

        ReadOnlySpan<ulong> roundConstants = KeccakF1600.RoundConstantsTable;

        Vector512<ulong> aba = state[0];
        Vector512<ulong> abe = state[1];
        Vector512<ulong> abi = state[2];
        Vector512<ulong> abo = state[3];
        Vector512<ulong> abu = state[4];
        Vector512<ulong> aga = state[5];
        Vector512<ulong> age = state[6];
        Vector512<ulong> agi = state[7];
        Vector512<ulong> ago = state[8];
        Vector512<ulong> agu = state[9];
        Vector512<ulong> aka = state[10];
        Vector512<ulong> ake = state[11];
        Vector512<ulong> aki = state[12];
        Vector512<ulong> ako = state[13];
        Vector512<ulong> aku = state[14];
        Vector512<ulong> ama = state[15];
        Vector512<ulong> ame = state[16];
        Vector512<ulong> ami = state[17];
        Vector512<ulong> amo = state[18];
        Vector512<ulong> amu = state[19];
        Vector512<ulong> asa = state[20];
        Vector512<ulong> ase = state[21];
        Vector512<ulong> asi = state[22];
        Vector512<ulong> aso = state[23];
        Vector512<ulong> asu = state[24];

        Vector512<ulong> eba, ebe, ebi, ebo, ebu, ega, ege, egi, ego, egu, eka, eke, eki;
        Vector512<ulong> eko, eku, ema, eme, emi, emo, emu, esa, ese, esi, eso, esu;
        Vector512<ulong> b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;

        for (int round = 0; round < KeccakF1600.Rounds; round += 2)
        {
            c0 = aba ^ aga ^ aka ^ ama ^ asa;
            c1 = abe ^ age ^ ake ^ ame ^ ase;
            c2 = abi ^ agi ^ aki ^ ami ^ asi;
            c3 = abo ^ ago ^ ako ^ amo ^ aso;
            c4 = abu ^ agu ^ aku ^ amu ^ asu;
            d0 = c4 ^ Avx512F.RotateLeft(c1, 1);
            d1 = c0 ^ Avx512F.RotateLeft(c2, 1);
            d2 = c1 ^ Avx512F.RotateLeft(c3, 1);
            d3 = c2 ^ Avx512F.RotateLeft(c4, 1);
            d4 = c3 ^ Avx512F.RotateLeft(c0, 1);
            b0 = aba ^ d0;
            b1 = Avx512F.RotateLeft(age ^ d1, 44);
            b2 = Avx512F.RotateLeft(aki ^ d2, 43);
            b3 = Avx512F.RotateLeft(amo ^ d3, 21);
            b4 = Avx512F.RotateLeft(asu ^ d4, 14);
            eba = b0 ^ (~b1 & b2) ^ Vector512.Create(roundConstants[round]);
            ebe = b1 ^ (~b2 & b3);
            ebi = b2 ^ (~b3 & b4);
            ebo = b3 ^ (~b4 & b0);
            ebu = b4 ^ (~b0 & b1);
            b0 = Avx512F.RotateLeft(abo ^ d3, 28);
            b1 = Avx512F.RotateLeft(agu ^ d4, 20);
            b2 = Avx512F.RotateLeft(aka ^ d0, 3);
            b3 = Avx512F.RotateLeft(ame ^ d1, 45);
            b4 = Avx512F.RotateLeft(asi ^ d2, 61);
            ega = b0 ^ (~b1 & b2);
            ege = b1 ^ (~b2 & b3);
            egi = b2 ^ (~b3 & b4);
            ego = b3 ^ (~b4 & b0);
            egu = b4 ^ (~b0 & b1);
            b0 = Avx512F.RotateLeft(abe ^ d1, 1);
            b1 = Avx512F.RotateLeft(agi ^ d2, 6);
            b2 = Avx512F.RotateLeft(ako ^ d3, 25);
            b3 = Avx512F.RotateLeft(amu ^ d4, 8);
            b4 = Avx512F.RotateLeft(asa ^ d0, 18);
            eka = b0 ^ (~b1 & b2);
            eke = b1 ^ (~b2 & b3);
            eki = b2 ^ (~b3 & b4);
            eko = b3 ^ (~b4 & b0);
            eku = b4 ^ (~b0 & b1);
            b0 = Avx512F.RotateLeft(abu ^ d4, 27);
            b1 = Avx512F.RotateLeft(aga ^ d0, 36);
            b2 = Avx512F.RotateLeft(ake ^ d1, 10);
            b3 = Avx512F.RotateLeft(ami ^ d2, 15);
            b4 = Avx512F.RotateLeft(aso ^ d3, 56);
            ema = b0 ^ (~b1 & b2);
            eme = b1 ^ (~b2 & b3);
            emi = b2 ^ (~b3 & b4);
            emo = b3 ^ (~b4 & b0);
            emu = b4 ^ (~b0 & b1);
            b0 = Avx512F.RotateLeft(abi ^ d2, 62);
            b1 = Avx512F.RotateLeft(ago ^ d3, 55);
            b2 = Avx512F.RotateLeft(aku ^ d4, 39);
            b3 = Avx512F.RotateLeft(ama ^ d0, 41);
            b4 = Avx512F.RotateLeft(ase ^ d1, 2);
            esa = b0 ^ (~b1 & b2);
            ese = b1 ^ (~b2 & b3);
            esi = b2 ^ (~b3 & b4);
            eso = b3 ^ (~b4 & b0);
            esu = b4 ^ (~b0 & b1);

            c0 = eba ^ ega ^ eka ^ ema ^ esa;
            c1 = ebe ^ ege ^ eke ^ eme ^ ese;
            c2 = ebi ^ egi ^ eki ^ emi ^ esi;
            c3 = ebo ^ ego ^ eko ^ emo ^ eso;
            c4 = ebu ^ egu ^ eku ^ emu ^ esu;
            d0 = c4 ^ Avx512F.RotateLeft(c1, 1);
            d1 = c0 ^ Avx512F.RotateLeft(c2, 1);
            d2 = c1 ^ Avx512F.RotateLeft(c3, 1);
            d3 = c2 ^ Avx512F.RotateLeft(c4, 1);
            d4 = c3 ^ Avx512F.RotateLeft(c0, 1);
            b0 = eba ^ d0;
            b1 = Avx512F.RotateLeft(ege ^ d1, 44);
            b2 = Avx512F.RotateLeft(eki ^ d2, 43);
            b3 = Avx512F.RotateLeft(emo ^ d3, 21);
            b4 = Avx512F.RotateLeft(esu ^ d4, 14);
            aba = b0 ^ (~b1 & b2) ^ Vector512.Create(roundConstants[round + 1]);
            abe = b1 ^ (~b2 & b3);
            abi = b2 ^ (~b3 & b4);
            abo = b3 ^ (~b4 & b0);
            abu = b4 ^ (~b0 & b1);
            b0 = Avx512F.RotateLeft(ebo ^ d3, 28);
            b1 = Avx512F.RotateLeft(egu ^ d4, 20);
            b2 = Avx512F.RotateLeft(eka ^ d0, 3);
            b3 = Avx512F.RotateLeft(eme ^ d1, 45);
            b4 = Avx512F.RotateLeft(esi ^ d2, 61);
            aga = b0 ^ (~b1 & b2);
            age = b1 ^ (~b2 & b3);
            agi = b2 ^ (~b3 & b4);
            ago = b3 ^ (~b4 & b0);
            agu = b4 ^ (~b0 & b1);
            b0 = Avx512F.RotateLeft(ebe ^ d1, 1);
            b1 = Avx512F.RotateLeft(egi ^ d2, 6);
            b2 = Avx512F.RotateLeft(eko ^ d3, 25);
            b3 = Avx512F.RotateLeft(emu ^ d4, 8);
            b4 = Avx512F.RotateLeft(esa ^ d0, 18);
            aka = b0 ^ (~b1 & b2);
            ake = b1 ^ (~b2 & b3);
            aki = b2 ^ (~b3 & b4);
            ako = b3 ^ (~b4 & b0);
            aku = b4 ^ (~b0 & b1);
            b0 = Avx512F.RotateLeft(ebu ^ d4, 27);
            b1 = Avx512F.RotateLeft(ega ^ d0, 36);
            b2 = Avx512F.RotateLeft(eke ^ d1, 10);
            b3 = Avx512F.RotateLeft(emi ^ d2, 15);
            b4 = Avx512F.RotateLeft(eso ^ d3, 56);
            ama = b0 ^ (~b1 & b2);
            ame = b1 ^ (~b2 & b3);
            ami = b2 ^ (~b3 & b4);
            amo = b3 ^ (~b4 & b0);
            amu = b4 ^ (~b0 & b1);
            b0 = Avx512F.RotateLeft(ebi ^ d2, 62);
            b1 = Avx512F.RotateLeft(ego ^ d3, 55);
            b2 = Avx512F.RotateLeft(eku ^ d4, 39);
            b3 = Avx512F.RotateLeft(ema ^ d0, 41);
            b4 = Avx512F.RotateLeft(ese ^ d1, 2);
            asa = b0 ^ (~b1 & b2);
            ase = b1 ^ (~b2 & b3);
            asi = b2 ^ (~b3 & b4);
            aso = b3 ^ (~b4 & b0);
            asu = b4 ^ (~b0 & b1);
        }

        state[0] = aba;
        state[1] = abe;
        state[2] = abi;
        state[3] = abo;
        state[4] = abu;
        state[5] = aga;
        state[6] = age;
        state[7] = agi;
        state[8] = ago;
        state[9] = agu;
        state[10] = aka;
        state[11] = ake;
        state[12] = aki;
        state[13] = ako;
        state[14] = aku;
        state[15] = ama;
        state[16] = ame;
        state[17] = ami;
        state[18] = amo;
        state[19] = amu;
        state[20] = asa;
        state[21] = ase;
        state[22] = asi;
        state[23] = aso;
        state[24] = asu;
    }
}
