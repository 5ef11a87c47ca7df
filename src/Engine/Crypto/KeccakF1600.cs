using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace NexusFast.Engine.Crypto;

/// <summary>
/// The Keccak-f[1600] permutation (FIPS 202 section 3.3; Keccak reference 3.0), scalar. Kept apart from the sponge
/// so that multi-lane SIMD permutations can sit beside it in their own files behind the same sponge code.
/// </summary>
/// <remarks>
/// Lane naming follows the Keccak team's XKCP "compact" code: in <c>a{row}{column}</c> the row y is one of
/// b g k m s (y = 0..4) and the column x is one of a e i o u (x = 0..4); lane (x, y) is state[x + 5y].
/// Each loop iteration runs two rounds, A -> E -> A, so the 25 lanes live in locals and are never copied back
/// between rounds. The straight-line body was generated from the rho offsets and the pi map of the spec rather than
/// typed, so every rotation amount and lane position traces back to the definition.
/// </remarks>
internal static class KeccakF1600
{
    public const int StateLanes = 25;
    public const int Rounds = 24;

    // Iota round constants RC[i] (FIPS 202 algorithm 6); stored as RVA data, so reading them never allocates.
    internal static ReadOnlySpan<ulong> RoundConstantsTable => RoundConstants;

    private static ReadOnlySpan<ulong> RoundConstants =>
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808AUL, 0x8000000080008000UL,
        0x000000000000808BUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008AUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000AUL,
        0x000000008000808BUL, 0x800000000000008BUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800AUL, 0x800000008000000AUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    /// <summary>Applies the 24 rounds in place to the 25 lanes of <paramref name="state"/>.</summary>
    public static void Permute(Span<ulong> state)
    {
        // Checking the exact length once lets the JIT drop the bounds checks on the constant indices below.
        if (state.Length != StateLanes) ThrowWrongStateLength(state.Length);

        ReadOnlySpan<ulong> roundConstants = RoundConstants;

        ulong aba = state[0];
        ulong abe = state[1];
        ulong abi = state[2];
        ulong abo = state[3];
        ulong abu = state[4];
        ulong aga = state[5];
        ulong age = state[6];
        ulong agi = state[7];
        ulong ago = state[8];
        ulong agu = state[9];
        ulong aka = state[10];
        ulong ake = state[11];
        ulong aki = state[12];
        ulong ako = state[13];
        ulong aku = state[14];
        ulong ama = state[15];
        ulong ame = state[16];
        ulong ami = state[17];
        ulong amo = state[18];
        ulong amu = state[19];
        ulong asa = state[20];
        ulong ase = state[21];
        ulong asi = state[22];
        ulong aso = state[23];
        ulong asu = state[24];

        ulong eba, ebe, ebi, ebo, ebu, ega, ege, egi, ego, egu, eka, eke, eki;
        ulong eko, eku, ema, eme, emi, emo, emu, esa, ese, esi, eso, esu;
        ulong b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;

        for (int round = 0; round < Rounds; round += 2)
        {
            c0 = aba ^ aga ^ aka ^ ama ^ asa;
            c1 = abe ^ age ^ ake ^ ame ^ ase;
            c2 = abi ^ agi ^ aki ^ ami ^ asi;
            c3 = abo ^ ago ^ ako ^ amo ^ aso;
            c4 = abu ^ agu ^ aku ^ amu ^ asu;
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            b0 = aba ^ d0;
            b1 = BitOperations.RotateLeft(age ^ d1, 44);
            b2 = BitOperations.RotateLeft(aki ^ d2, 43);
            b3 = BitOperations.RotateLeft(amo ^ d3, 21);
            b4 = BitOperations.RotateLeft(asu ^ d4, 14);
            eba = b0 ^ (~b1 & b2) ^ roundConstants[round];
            ebe = b1 ^ (~b2 & b3);
            ebi = b2 ^ (~b3 & b4);
            ebo = b3 ^ (~b4 & b0);
            ebu = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(abo ^ d3, 28);
            b1 = BitOperations.RotateLeft(agu ^ d4, 20);
            b2 = BitOperations.RotateLeft(aka ^ d0, 3);
            b3 = BitOperations.RotateLeft(ame ^ d1, 45);
            b4 = BitOperations.RotateLeft(asi ^ d2, 61);
            ega = b0 ^ (~b1 & b2);
            ege = b1 ^ (~b2 & b3);
            egi = b2 ^ (~b3 & b4);
            ego = b3 ^ (~b4 & b0);
            egu = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(abe ^ d1, 1);
            b1 = BitOperations.RotateLeft(agi ^ d2, 6);
            b2 = BitOperations.RotateLeft(ako ^ d3, 25);
            b3 = BitOperations.RotateLeft(amu ^ d4, 8);
            b4 = BitOperations.RotateLeft(asa ^ d0, 18);
            eka = b0 ^ (~b1 & b2);
            eke = b1 ^ (~b2 & b3);
            eki = b2 ^ (~b3 & b4);
            eko = b3 ^ (~b4 & b0);
            eku = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(abu ^ d4, 27);
            b1 = BitOperations.RotateLeft(aga ^ d0, 36);
            b2 = BitOperations.RotateLeft(ake ^ d1, 10);
            b3 = BitOperations.RotateLeft(ami ^ d2, 15);
            b4 = BitOperations.RotateLeft(aso ^ d3, 56);
            ema = b0 ^ (~b1 & b2);
            eme = b1 ^ (~b2 & b3);
            emi = b2 ^ (~b3 & b4);
            emo = b3 ^ (~b4 & b0);
            emu = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(abi ^ d2, 62);
            b1 = BitOperations.RotateLeft(ago ^ d3, 55);
            b2 = BitOperations.RotateLeft(aku ^ d4, 39);
            b3 = BitOperations.RotateLeft(ama ^ d0, 41);
            b4 = BitOperations.RotateLeft(ase ^ d1, 2);
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
            d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            b0 = eba ^ d0;
            b1 = BitOperations.RotateLeft(ege ^ d1, 44);
            b2 = BitOperations.RotateLeft(eki ^ d2, 43);
            b3 = BitOperations.RotateLeft(emo ^ d3, 21);
            b4 = BitOperations.RotateLeft(esu ^ d4, 14);
            aba = b0 ^ (~b1 & b2) ^ roundConstants[round + 1];
            abe = b1 ^ (~b2 & b3);
            abi = b2 ^ (~b3 & b4);
            abo = b3 ^ (~b4 & b0);
            abu = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(ebo ^ d3, 28);
            b1 = BitOperations.RotateLeft(egu ^ d4, 20);
            b2 = BitOperations.RotateLeft(eka ^ d0, 3);
            b3 = BitOperations.RotateLeft(eme ^ d1, 45);
            b4 = BitOperations.RotateLeft(esi ^ d2, 61);
            aga = b0 ^ (~b1 & b2);
            age = b1 ^ (~b2 & b3);
            agi = b2 ^ (~b3 & b4);
            ago = b3 ^ (~b4 & b0);
            agu = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(ebe ^ d1, 1);
            b1 = BitOperations.RotateLeft(egi ^ d2, 6);
            b2 = BitOperations.RotateLeft(eko ^ d3, 25);
            b3 = BitOperations.RotateLeft(emu ^ d4, 8);
            b4 = BitOperations.RotateLeft(esa ^ d0, 18);
            aka = b0 ^ (~b1 & b2);
            ake = b1 ^ (~b2 & b3);
            aki = b2 ^ (~b3 & b4);
            ako = b3 ^ (~b4 & b0);
            aku = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(ebu ^ d4, 27);
            b1 = BitOperations.RotateLeft(ega ^ d0, 36);
            b2 = BitOperations.RotateLeft(eke ^ d1, 10);
            b3 = BitOperations.RotateLeft(emi ^ d2, 15);
            b4 = BitOperations.RotateLeft(eso ^ d3, 56);
            ama = b0 ^ (~b1 & b2);
            ame = b1 ^ (~b2 & b3);
            ami = b2 ^ (~b3 & b4);
            amo = b3 ^ (~b4 & b0);
            amu = b4 ^ (~b0 & b1);
            b0 = BitOperations.RotateLeft(ebi ^ d2, 62);
            b1 = BitOperations.RotateLeft(ego ^ d3, 55);
            b2 = BitOperations.RotateLeft(eku ^ d4, 39);
            b3 = BitOperations.RotateLeft(ema ^ d0, 41);
            b4 = BitOperations.RotateLeft(ese ^ d1, 2);
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

    [DoesNotReturn]
    private static void ThrowWrongStateLength(int length) =>
        throw new ArgumentException($"Keccak-f[1600] state must be {StateLanes} lanes, got {length}", "state");
}
