/* Loops: counted, conditional, nested, with break and continue, and the classic integer algorithms. Every loop is
 * bounded by a small constant or by masked inputs, so the VM's gas and the test's time stay small. */
#include "diff.h"

#define NOINLINE __attribute__((noinline))

static NOINLINE u64 gcd(u64 x, u64 y)
{
    while (y != 0) {
        u64 t = x % y;
        x = y;
        y = t;
    }
    return x;
}

/* Steps of the Collatz sequence, capped. */
static NOINLINE u64 collatz(u64 n)
{
    n = (n & 0xffffff) | 1;
    u64 steps = 0;
    while (n != 1 && steps < 1000) {
        n = (n & 1) ? 3 * n + 1 : n >> 1;
        steps++;
    }
    return steps;
}

/* Integer square root by Newton's method. */
static NOINLINE u64 isqrt(u64 n)
{
    if (n < 2) return n;
    u64 x = n, y = (x >> 1) + 1;
    while (y < x) {
        x = y;
        y = (x + n / x) >> 1;
    }
    return x;
}

static NOINLINE u64 sum_series(u64 n, u64 step)
{
    u64 sum = 0;
    step = (step & 7) + 1;
    for (u64 i = 0; i < (n & 1023); i += step) sum += i * i ^ (sum >> 3);
    return sum;
}

static NOINLINE u64 nested(u64 n, u64 m)
{
    u64 acc = 0;
    for (u32 i = 0; i < (u32)(n & 31); i++) {
        for (u32 j = 0; j < (u32)(m & 31); j++) {
            if ((i ^ j) % 3 == 0) continue;
            if (i * j > 400) break;
            acc += (u64)i * 7 + j;
        }
    }
    return acc;
}

static NOINLINE u64 bit_loop(u64 x)
{
    u64 count = 0, highest = 0;
    for (int i = 0; x != 0; i++) {
        if (x & 1) {
            count++;
            highest = (u64)i;
        }
        x >>= 1;
    }
    return count | highest << 8;
}

/* Modular exponentiation with a 32-bit modulus (products fit in 64 bits). */
static NOINLINE u64 powmod(u64 base, u64 exponent, u64 modulus)
{
    modulus = (modulus & 0xffffffff) | 2;
    base %= modulus;
    u64 result = 1;
    while (exponent != 0) {
        if (exponent & 1) result = result * base % modulus;
        base = base * base % modulus;
        exponent >>= 1;
    }
    return result;
}

static NOINLINE u64 do_while(u64 x)
{
    u64 digits = 0, sum = 0;
    do {
        sum += x % 10;
        x /= 10;
        digits++;
    } while (x != 0);
    return digits << 32 | sum;
}

/* Signed loop counter counting down through zero. */
static NOINLINE u64 countdown(s64 from)
{
    s64 i = (s64)(from & 255) - 100;
    u64 acc = 0;
    for (; i > -50; i -= 3) acc = acc * 3 + (u64)(i < 0 ? -i : i);
    return acc;
}

/* A 32-bit FNV-1a over the bytes of the three operands (exercises 32-bit multiply wrap-around in a loop). */
static NOINLINE u64 fnv(u64 x, u64 y, u64 z)
{
    u32 h = 2166136261u;
    u64 words[3] = {x, y, z};
    for (int w = 0; w < 3; w++) {
        for (int i = 0; i < 8; i++) {
            h ^= (u8)(words[w] >> (8 * i));
            h *= 16777619u;
        }
    }
    return h;
}

DIFF_ENTRY u64 diff_main(u64 a, u64 b, u64 c, u64 d)
{
    switch (a % 11) {
    case 0: return gcd(b, c);
    case 1: return collatz(b);
    case 2: return isqrt(b) ^ isqrt(c >> 20) << 40;
    case 3: return sum_series(b, c);
    case 4: return nested(b, c);
    case 5: return bit_loop(b);
    case 6: return powmod(b, c, d);
    case 7: return do_while(b);
    case 8: return countdown((s64)b);
    case 9: return fnv(b, c, d);
    default: return gcd(b & 0xffff, c & 0xffff) * isqrt(d);
    }
}
