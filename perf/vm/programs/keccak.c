/* n Keccak-f[1600] permutations (FIPS 202) over one 200-byte state: 64-bit rotations and xors, what contracts hash with. */
#include "bench.h"

static const u64 round_constants[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};
static const u8 rotations[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};

static u64 rotl(u64 x, u64 n) { return n == 0 ? x : (x << n) | (x >> (64 - n)); }

static __attribute__((noinline)) void keccak_f(u64 *state)
{
    u64 c[5], b[25];
    for (int round = 0; round < 24; round++) {
        for (int x = 0; x < 5; x++) c[x] = state[x] ^ state[x + 5] ^ state[x + 10] ^ state[x + 15] ^ state[x + 20];
        for (int x = 0; x < 5; x++) {
            u64 d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5) state[y + x] ^= d;
        }
        for (int x = 0; x < 5; x++) {
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(state[x + 5 * y], rotations[x + 5 * y]);
        }
        for (int y = 0; y < 25; y += 5) {
            for (int x = 0; x < 5; x++) state[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
        }
        state[0] ^= round_constants[round];
    }
}

BENCH_ENTRY u64 bench_main(u64 n, u8 *memory)
{
    (void)memory;
    u64 state[25];
    for (int i = 0; i < 25; i++) state[i] = (u64)i;
    for (u64 k = 0; k < n; k++) keccak_f(state);
    return state[0] ^ state[24];
}
