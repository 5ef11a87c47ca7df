/* Memory: stack arrays, .data and .rodata tables, .bss buffers, loads and stores of every width (sign-extending ones
 * included), unaligned-free byte packing, sorting in place. */
#include "diff.h"

#define NOINLINE __attribute__((noinline))

static const u32 primes[16] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};
static const s8 signed_bytes[8] = {-128, -1, 0, 1, 127, -77, 42, -3};
static u64 table[8] = {11, 22, 33, 44, 55, 66, 77, 88};
static u8 sieve_buffer[4096];
static u64 scratch[64];

static NOINLINE u64 widths(u64 x)
{
    u8 bytes[16];
    for (int i = 0; i < 8; i++) bytes[i] = (u8)(x >> (8 * i));
    for (int i = 8; i < 16; i++) bytes[i] = (u8)(bytes[i - 8] * 3 + 1);
    u64 acc = 0;
    for (int i = 0; i < 16; i += 2) acc = acc * 31 + ((u16)bytes[i] | (u16)bytes[i + 1] << 8);
    for (int i = 0; i < 16; i++) acc += (u64)(s64)(s8)bytes[i];
    return acc;
}

/* Stores of one width read back through another: byte-wise assembly as both compilers see the same bytes. */
static NOINLINE u64 reinterpret(u64 x, u64 y)
{
    union { u64 word; u32 halves[2]; u16 quarters[4]; u8 bytes[8]; s8 signed_bytes[8]; s16 signed_quarters[4]; s32 signed_halves[2]; } u;
    u.word = x;
    u.halves[1] ^= (u32)y;
    u.quarters[1] += (u16)(y >> 32);
    u.bytes[7] = (u8)(u.bytes[0] + u.bytes[3]);
    return u.word ^ (u64)(s64)u.signed_bytes[5] ^ ((u64)(s64)u.signed_quarters[2] << 3) ^ ((u64)(s64)u.signed_halves[0] << 7);
}

static NOINLINE u64 insertion_sort(u64 seed, u64 stride)
{
    u64 items[24];
    u64 v = seed;
    for (int i = 0; i < 24; i++) {
        v = v * 6364136223846793005ull + (stride | 1);
        items[i] = v >> 40;
    }
    for (int i = 1; i < 24; i++) {
        u64 key = items[i];
        int j = i - 1;
        while (j >= 0 && items[j] > key) {
            items[j + 1] = items[j];
            j--;
        }
        items[j + 1] = key;
    }
    u64 h = 0;
    for (int i = 0; i < 24; i++) h = h * 1000003 ^ items[i];
    return h;
}

static NOINLINE NO_BUILTIN u64 count_primes(u64 limit)
{
    u64 n = limit % 4096;
    for (u64 i = 0; i < n; i++) sieve_buffer[i] = 1;
    u64 count = 0;
    for (u64 i = 2; i < n; i++) {
        if (!sieve_buffer[i]) continue;
        count++;
        for (u64 j = i * i; j < n; j += i) sieve_buffer[j] = 0;
    }
    return count;
}

static NOINLINE u64 tables(u64 x, u64 y)
{
    u64 acc = 0;
    for (int i = 0; i < 8; i++) table[i] += x * (u64)i;
    for (int i = 0; i < 16; i++) acc += primes[(x + (u64)i) % 16] * table[(y + (u64)i) % 8];
    for (int i = 0; i < 8; i++) acc ^= (u64)(s64)signed_bytes[(x >> i) & 7] << i;
    for (int i = 0; i < 8; i++) table[i] -= x * (u64)i; /* leave the table as the next native call expects it */
    return acc;
}

static NOINLINE u64 prefix_sums(u64 x, u64 y)
{
    for (int i = 0; i < 64; i++) scratch[i] = (x >> (i & 63)) ^ (y * (u64)i);
    for (int i = 1; i < 64; i++) scratch[i] += scratch[i - 1];
    u64 acc = 0;
    for (int i = 0; i < 64; i += 7) acc ^= scratch[i];
    return acc;
}

/* Pointer arithmetic across a stack buffer, including negative offsets from a middle pointer. */
static NOINLINE u64 pointers(u64 x)
{
    u32 buffer[20];
    for (int i = 0; i < 20; i++) buffer[i] = (u32)(x >> i) + (u32)i;
    u32 *middle = buffer + 10;
    u64 acc = 0;
    for (int i = -10; i < 10; i++) acc = acc * 7 + middle[i];
    return acc + (u64)(middle - buffer);
}

DIFF_ENTRY u64 diff_main(u64 a, u64 b, u64 c, u64 d)
{
    switch (a % 7) {
    case 0: return widths(b);
    case 1: return reinterpret(b, c);
    case 2: return insertion_sort(b, c);
    case 3: return count_primes(b);
    case 4: return tables(b, c);
    case 5: return prefix_sums(b, d);
    default: return pointers(b);
    }
}
