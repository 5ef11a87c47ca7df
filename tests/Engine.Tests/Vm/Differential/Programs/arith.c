/* Integer arithmetic on every width, signed and unsigned: ALU and ALU64 operations, shifts, extensions, byte swaps,
 * comparisons. Each operation is kept in its own noinline function so that clang cannot fold the widths together. */
#include "diff.h"

#define NOINLINE __attribute__((noinline))

#define UNSIGNED_OPS(T, name)                                                                                    \
    static NOINLINE u64 name##_add(T x, T y) { return (T)(x + y); }                                            \
    static NOINLINE u64 name##_sub(T x, T y) { return (T)(x - y); }                                            \
    static NOINLINE u64 name##_mul(T x, T y) { return (T)((u64)x * (u64)y); /* u16 * u16 overflows int */ }   \
    static NOINLINE u64 name##_div(T x, T y) { return y == 0 ? 0xdead : (T)(x / y); }                          \
    static NOINLINE u64 name##_mod(T x, T y) { return y == 0 ? 0xbeef : (T)(x % y); }                          \
    static NOINLINE u64 name##_bits(T x, T y) { return (u64)(T)(x & y) ^ ((u64)(T)(x | y) << 1) ^ (u64)(T)(x ^ ~y); } \
    static NOINLINE u64 name##_shl(T x, T y) { return (T)((u64)x << (y % (8 * sizeof(T)))); }                 \
    static NOINLINE u64 name##_shr(T x, T y) { return (T)(x >> (y % (8 * sizeof(T)))); }                      \
    static NOINLINE u64 name##_cmp(T x, T y) { return (u64)(x < y) | (u64)(x <= y) << 1 | (u64)(x > y) << 2 | (u64)(x >= y) << 3 | (u64)(x == y) << 4 | (u64)(x != y) << 5; }

/* Signed arithmetic without overflow: compute in the unsigned type, convert back (modulo, as both compilers define). */
#define SIGNED_OPS(S, U, name)                                                                                   \
    static NOINLINE u64 name##_add(S x, S y) { return (u64)(s64)(S)(U)((U)x + (U)y); }                         \
    static NOINLINE u64 name##_mul(S x, S y) { return (u64)(s64)(S)(U)((u64)(U)x * (u64)(U)y); }               \
    static NOINLINE u64 name##_sar(S x, S y) { return (u64)(s64)(S)(x >> ((U)y % (8 * sizeof(S)))); }         \
    static NOINLINE u64 name##_neg(S x) { return (u64)(s64)(S)(U)(0 - (U)x); }                                 \
    static NOINLINE u64 name##_cmp(S x, S y) { return (u64)(x < y) | (u64)(x <= y) << 1 | (u64)(x > y) << 2 | (u64)(x >= y) << 3 | (u64)(x == y) << 4; } \
    static NOINLINE u64 name##_widen(S x) { return (u64)(s64)x; }                                               \
    static NOINLINE u64 name##_minmax(S x, S y) { S lo = x < y ? x : y, hi = x < y ? y : x; return ((u64)(s64)lo * 3) ^ (u64)(s64)hi; }

UNSIGNED_OPS(u8, u8)
UNSIGNED_OPS(u16, u16)
UNSIGNED_OPS(u32, u32)
UNSIGNED_OPS(u64, u64)
SIGNED_OPS(s8, u8, s8)
SIGNED_OPS(s16, u16, s16)
SIGNED_OPS(s32, u32, s32)
SIGNED_OPS(s64, u64, s64)

static NOINLINE u64 swaps(u64 x)
{
    return __builtin_bswap64(x) ^ ((u64)__builtin_bswap32((u32)x) << 7) ^ __builtin_bswap16((u16)x);
}

static NOINLINE u64 rotate(u64 x, u64 y)
{
    u64 n = y & 63;
    u32 w = (u32)x, m = (u32)(y & 31);
    u64 r64 = (x << n) | (x >> ((64 - n) & 63));
    u32 r32 = (w >> m) | (w << ((32 - m) & 31));
    return r64 ^ r32;
}

static NOINLINE u64 population(u64 x) { return (u64)__builtin_popcountll(x) | (u64)__builtin_popcount((u32)x) << 8; }

/* Signed division and remainder done with unsigned operations, truncating toward zero as C does. */
static NOINLINE u64 signed_divmod(s64 x, s64 y)
{
    if (y == 0) return 0x5151;
    int negative_quotient = (x < 0) != (y < 0);
    u64 ux = x < 0 ? 0 - (u64)x : (u64)x, uy = y < 0 ? 0 - (u64)y : (u64)y;
    u64 q = ux / uy, r = ux % uy;
    q = negative_quotient ? 0 - q : q;
    r = x < 0 ? 0 - r : r;
    return q ^ (r << 1);
}

/* Truncations and extensions between every pair of widths. */
static NOINLINE u64 conversions(u64 x)
{
    s8 a = (s8)x;
    s16 b = (s16)x;
    s32 c = (s32)x;
    u8 d = (u8)x;
    u16 e = (u16)x;
    u32 f = (u32)x;
    return (u64)(s64)a + ((u64)(s64)b << 3) + ((u64)(s64)c << 5) + ((u64)d << 7) + ((u64)e << 11) + ((u64)f << 13)
        + (u64)(s64)(s16)a + (u64)(u16)(s16)c + (u64)(s64)(s32)b;
}

/* 32-bit wrap-around in a loop: ALU32 with -mcpu=v3, shifts and masks with v1. */
static NOINLINE u64 mix32(u32 x, u32 y)
{
    u32 h = x ^ 0x9e3779b9u;
    for (int i = 0; i < 8; i++) {
        h ^= y;
        h *= 0x85ebca6bu;
        h ^= h >> 13;
        y = y * 31u + (u32)i;
    }
    return h;
}

/* Multiply-high of two 64-bit numbers from 32-bit halves. */
static NOINLINE u64 mulhi(u64 a, u64 b)
{
    u64 a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
    u64 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    u64 middle = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    return p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
}

DIFF_ENTRY u64 diff_main(u64 a, u64 b, u64 c, u64 d)
{
    switch (a % 48) {
    case 0: return u8_add((u8)b, (u8)c);
    case 1: return u8_sub((u8)b, (u8)c);
    case 2: return u8_mul((u8)b, (u8)c);
    case 3: return u8_div((u8)b, (u8)c) ^ u8_mod((u8)b, (u8)c) << 16;
    case 4: return u8_bits((u8)b, (u8)c) ^ u8_shl((u8)b, (u8)c) << 20 ^ u8_shr((u8)b, (u8)c) << 40;
    case 5: return u8_cmp((u8)b, (u8)c);
    case 6: return u16_add((u16)b, (u16)c);
    case 7: return u16_sub((u16)b, (u16)c);
    case 8: return u16_mul((u16)b, (u16)c);
    case 9: return u16_div((u16)b, (u16)c) ^ u16_mod((u16)b, (u16)c) << 20;
    case 10: return u16_bits((u16)b, (u16)c) ^ u16_shl((u16)b, (u16)c) << 24 ^ u16_shr((u16)b, (u16)c) << 44;
    case 11: return u16_cmp((u16)b, (u16)c);
    case 12: return u32_add((u32)b, (u32)c);
    case 13: return u32_sub((u32)b, (u32)c);
    case 14: return u32_mul((u32)b, (u32)c);
    case 15: return u32_div((u32)b, (u32)c) ^ u32_mod((u32)b, (u32)c) << 32;
    case 16: return u32_bits((u32)b, (u32)c) ^ u32_shl((u32)b, (u32)c) ^ u32_shr((u32)b, (u32)c) << 32;
    case 17: return u32_cmp((u32)b, (u32)c);
    case 18: return u64_add(b, c);
    case 19: return u64_sub(b, c);
    case 20: return u64_mul(b, c);
    case 21: return u64_div(b, c) ^ u64_mod(b, c) * 3;
    case 22: return u64_bits(b, c) ^ u64_shl(b, c) ^ u64_shr(b, d);
    case 23: return u64_cmp(b, c);
    case 24: return s8_add((s8)b, (s8)c) ^ s8_mul((s8)b, (s8)c) << 8;
    case 25: return s8_sar((s8)b, (s8)c) ^ s8_neg((s8)b) << 4 ^ s8_widen((s8)c) << 12;
    case 26: return s8_cmp((s8)b, (s8)c) ^ s8_minmax((s8)b, (s8)c) << 5;
    case 27: return s16_add((s16)b, (s16)c) ^ s16_mul((s16)b, (s16)c) << 16;
    case 28: return s16_sar((s16)b, (s16)c) ^ s16_neg((s16)b) << 4 ^ s16_widen((s16)c) << 12;
    case 29: return s16_cmp((s16)b, (s16)c) ^ s16_minmax((s16)b, (s16)c) << 5;
    case 30: return s32_add((s32)b, (s32)c) ^ s32_mul((s32)b, (s32)c) << 32;
    case 31: return s32_sar((s32)b, (s32)c) ^ s32_neg((s32)b) << 4 ^ s32_widen((s32)c) << 12;
    case 32: return s32_cmp((s32)b, (s32)c) ^ s32_minmax((s32)b, (s32)c) << 5;
    case 33: return s64_add((s64)b, (s64)c) ^ s64_mul((s64)b, (s64)d);
    case 34: return s64_sar((s64)b, (s64)c) ^ s64_neg((s64)b) << 4 ^ s64_widen((s64)c) << 12;
    case 35: return s64_cmp((s64)b, (s64)c) ^ s64_minmax((s64)b, (s64)c) << 5;
    case 36: return swaps(b);
    case 37: return rotate(b, c);
    case 38: return population(b);
    case 39: return signed_divmod((s64)b, (s64)c);
    case 40: return signed_divmod((s64)(s32)b, (s64)(s8)c);
    case 41: return conversions(b);
    case 42: return mix32((u32)b, (u32)c);
    case 43: return mulhi(b, c);
    case 44: return b * c + d;
    case 45: return (b ^ c) - (d | 1) * 7;
    case 46: return (b >> 1) / ((c >> 3) | 1) + (u64)((s64)d >> 17);
    default: return (u64)((s64)b < (s64)c) + (u64)(b < c) * 2 + (u64)((u32)b == (u32)c) * 4 + (u64)((s32)b > (s32)d) * 8;
    }
}
