using System.Runtime.Intrinsics;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// Keccak-f[1600] on 4 independent states at once (AVX2): lane x + 5y of state i is element i of
/// <c>state[x + 5y]</c>. The round body is the scalar <see cref="KeccakF1600"/> with each ulong replaced by a
/// Vector256&lt;ulong&gt; (the substitution was done by a script, so rotation amounts and lane positions are the scalar ones);
/// rotations are a shift pair, AVX2 having no 64-bit rotate. Used where many short SHAKE computations run side by side (ML-DSA's matrix expansion).
/// </summary>
internal static class KeccakF1600x4
{
    public const int Width = 4;

    /// <summary>Applies the 24 rounds in place to 4 interleaved states.</summary>
    public static void Permute(Span<Vector256<ulong>> state)
    {
        if (state.Length != KeccakF1600.StateLanes) throw new ArgumentException($"the state is {KeccakF1600.StateLanes} vectors, got {state.Length}", nameof(state));

        ReadOnlySpan<ulong> roundConstants = KeccakF1600.RoundConstantsTable;

        Vector256<ulong> aba = state[0];
        Vector256<ulong> abe = state[1];
        Vector256<ulong> abi = state[2];
        Vector256<ulong> abo = state[3];
        Vector256<ulong> abu = state[4];
        Vector256<ulong> aga = state[5];
        Vector256<ulong> age = state[6];
        Vector256<ulong> agi = state[7];
        Vector256<ulong> ago = state[8];
        Vector256<ulong> agu = state[9];
        Vector256<ulong> aka = state[10];
        Vector256<ulong> ake = state[11];
        Vector256<ulong> aki = state[12];
        Vector256<ulong> ako = state[13];
        Vector256<ulong> aku = state[14];
        Vector256<ulong> ama = state[15];
        Vector256<ulong> ame = state[16];
        Vector256<ulong> ami = state[17];
        Vector256<ulong> amo = state[18];
        Vector256<ulong> amu = state[19];
        Vector256<ulong> asa = state[20];
        Vector256<ulong> ase = state[21];
        Vector256<ulong> asi = state[22];
        Vector256<ulong> aso = state[23];
        Vector256<ulong> asu = state[24];

        Vector256<ulong> eba, ebe, ebi, ebo, ebu, ega, ege, egi, ego, egu, eka, eke, eki;
        Vector256<ulong> eko, eku, ema, eme, emi, emo, emu, esa, ese, esi, eso, esu;
        Vector256<ulong> b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;

        for (int round = 0; round < KeccakF1600.Rounds; round += 2)
        {
            c0 = aba ^ aga ^ aka ^ ama ^ asa;
            c1 = abe ^ age ^ ake ^ ame ^ ase;
            c2 = abi ^ agi ^ aki ^ ami ^ asi;
            c3 = abo ^ ago ^ ako ^ amo ^ aso;
            c4 = abu ^ agu ^ aku ^ amu ^ asu;
            d0 = c4 ^ ((c1) << 1 | (c1) >>> 63);
            d1 = c0 ^ ((c2) << 1 | (c2) >>> 63);
            d2 = c1 ^ ((c3) << 1 | (c3) >>> 63);
            d3 = c2 ^ ((c4) << 1 | (c4) >>> 63);
            d4 = c3 ^ ((c0) << 1 | (c0) >>> 63);
            b0 = aba ^ d0;
            b1 = ((age ^ d1) << 44 | (age ^ d1) >>> 20);
            b2 = ((aki ^ d2) << 43 | (aki ^ d2) >>> 21);
            b3 = ((amo ^ d3) << 21 | (amo ^ d3) >>> 43);
            b4 = ((asu ^ d4) << 14 | (asu ^ d4) >>> 50);
            eba = b0 ^ (~b1 & b2) ^ Vector256.Create(roundConstants[round]);
            ebe = b1 ^ (~b2 & b3);
            ebi = b2 ^ (~b3 & b4);
            ebo = b3 ^ (~b4 & b0);
            ebu = b4 ^ (~b0 & b1);
            b0 = ((abo ^ d3) << 28 | (abo ^ d3) >>> 36);
            b1 = ((agu ^ d4) << 20 | (agu ^ d4) >>> 44);
            b2 = ((aka ^ d0) << 3 | (aka ^ d0) >>> 61);
            b3 = ((ame ^ d1) << 45 | (ame ^ d1) >>> 19);
            b4 = ((asi ^ d2) << 61 | (asi ^ d2) >>> 3);
            ega = b0 ^ (~b1 & b2);
            ege = b1 ^ (~b2 & b3);
            egi = b2 ^ (~b3 & b4);
            ego = b3 ^ (~b4 & b0);
            egu = b4 ^ (~b0 & b1);
            b0 = ((abe ^ d1) << 1 | (abe ^ d1) >>> 63);
            b1 = ((agi ^ d2) << 6 | (agi ^ d2) >>> 58);
            b2 = ((ako ^ d3) << 25 | (ako ^ d3) >>> 39);
            b3 = ((amu ^ d4) << 8 | (amu ^ d4) >>> 56);
            b4 = ((asa ^ d0) << 18 | (asa ^ d0) >>> 46);
            eka = b0 ^ (~b1 & b2);
            eke = b1 ^ (~b2 & b3);
            eki = b2 ^ (~b3 & b4);
            eko = b3 ^ (~b4 & b0);
            eku = b4 ^ (~b0 & b1);
            b0 = ((abu ^ d4) << 27 | (abu ^ d4) >>> 37);
            b1 = ((aga ^ d0) << 36 | (aga ^ d0) >>> 28);
            b2 = ((ake ^ d1) << 10 | (ake ^ d1) >>> 54);
            b3 = ((ami ^ d2) << 15 | (ami ^ d2) >>> 49);
            b4 = ((aso ^ d3) << 56 | (aso ^ d3) >>> 8);
            ema = b0 ^ (~b1 & b2);
            eme = b1 ^ (~b2 & b3);
            emi = b2 ^ (~b3 & b4);
            emo = b3 ^ (~b4 & b0);
            emu = b4 ^ (~b0 & b1);
            b0 = ((abi ^ d2) << 62 | (abi ^ d2) >>> 2);
            b1 = ((ago ^ d3) << 55 | (ago ^ d3) >>> 9);
            b2 = ((aku ^ d4) << 39 | (aku ^ d4) >>> 25);
            b3 = ((ama ^ d0) << 41 | (ama ^ d0) >>> 23);
            b4 = ((ase ^ d1) << 2 | (ase ^ d1) >>> 62);
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
            d0 = c4 ^ ((c1) << 1 | (c1) >>> 63);
            d1 = c0 ^ ((c2) << 1 | (c2) >>> 63);
            d2 = c1 ^ ((c3) << 1 | (c3) >>> 63);
            d3 = c2 ^ ((c4) << 1 | (c4) >>> 63);
            d4 = c3 ^ ((c0) << 1 | (c0) >>> 63);
            b0 = eba ^ d0;
            b1 = ((ege ^ d1) << 44 | (ege ^ d1) >>> 20);
            b2 = ((eki ^ d2) << 43 | (eki ^ d2) >>> 21);
            b3 = ((emo ^ d3) << 21 | (emo ^ d3) >>> 43);
            b4 = ((esu ^ d4) << 14 | (esu ^ d4) >>> 50);
            aba = b0 ^ (~b1 & b2) ^ Vector256.Create(roundConstants[round + 1]);
            abe = b1 ^ (~b2 & b3);
            abi = b2 ^ (~b3 & b4);
            abo = b3 ^ (~b4 & b0);
            abu = b4 ^ (~b0 & b1);
            b0 = ((ebo ^ d3) << 28 | (ebo ^ d3) >>> 36);
            b1 = ((egu ^ d4) << 20 | (egu ^ d4) >>> 44);
            b2 = ((eka ^ d0) << 3 | (eka ^ d0) >>> 61);
            b3 = ((eme ^ d1) << 45 | (eme ^ d1) >>> 19);
            b4 = ((esi ^ d2) << 61 | (esi ^ d2) >>> 3);
            aga = b0 ^ (~b1 & b2);
            age = b1 ^ (~b2 & b3);
            agi = b2 ^ (~b3 & b4);
            ago = b3 ^ (~b4 & b0);
            agu = b4 ^ (~b0 & b1);
            b0 = ((ebe ^ d1) << 1 | (ebe ^ d1) >>> 63);
            b1 = ((egi ^ d2) << 6 | (egi ^ d2) >>> 58);
            b2 = ((eko ^ d3) << 25 | (eko ^ d3) >>> 39);
            b3 = ((emu ^ d4) << 8 | (emu ^ d4) >>> 56);
            b4 = ((esa ^ d0) << 18 | (esa ^ d0) >>> 46);
            aka = b0 ^ (~b1 & b2);
            ake = b1 ^ (~b2 & b3);
            aki = b2 ^ (~b3 & b4);
            ako = b3 ^ (~b4 & b0);
            aku = b4 ^ (~b0 & b1);
            b0 = ((ebu ^ d4) << 27 | (ebu ^ d4) >>> 37);
            b1 = ((ega ^ d0) << 36 | (ega ^ d0) >>> 28);
            b2 = ((eke ^ d1) << 10 | (eke ^ d1) >>> 54);
            b3 = ((emi ^ d2) << 15 | (emi ^ d2) >>> 49);
            b4 = ((eso ^ d3) << 56 | (eso ^ d3) >>> 8);
            ama = b0 ^ (~b1 & b2);
            ame = b1 ^ (~b2 & b3);
            ami = b2 ^ (~b3 & b4);
            amo = b3 ^ (~b4 & b0);
            amu = b4 ^ (~b0 & b1);
            b0 = ((ebi ^ d2) << 62 | (ebi ^ d2) >>> 2);
            b1 = ((ego ^ d3) << 55 | (ego ^ d3) >>> 9);
            b2 = ((eku ^ d4) << 39 | (eku ^ d4) >>> 25);
            b3 = ((ema ^ d0) << 41 | (ema ^ d0) >>> 23);
            b4 = ((ese ^ d1) << 2 | (ese ^ d1) >>> 62);
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
