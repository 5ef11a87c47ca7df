/* Switches: dense and sparse case sets, fall-through, a small bytecode interpreter driven by a switch in a loop, and
 * lookup tables in .rodata indexed by computed values. */
#include "diff.h"

#define NOINLINE __attribute__((noinline))

static const u16 lookup[32] = {
    3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5,
};

static NOINLINE u64 dense(u64 x)
{
    switch (x & 15) {
    case 0: return 100;
    case 1: return 7;
    case 2: return x * 3;
    case 3: return x ^ 0xff;
    case 4: return 1234567;
    case 5: return x >> 3;
    case 6: return x + 99;
    case 7: return 0;
    case 8: return x | 1;
    case 9: return (u64)-1;
    case 10: return x << 2;
    case 11: return 42;
    case 12: return x & 0xf0f0;
    case 13: return x % 13;
    case 14: return x / 14;
    default: return 15;
    }
}

static NOINLINE u64 sparse(u64 x)
{
    switch (x % 100000) {
    case 7: return 1;
    case 100: return 2;
    case 1000: return 3;
    case 4242: return 4;
    case 65535: return 5;
    case 99999: return 6;
    default: return x % 7 == 0 ? 7 : 8;
    }
}

static NOINLINE u64 fallthrough(u64 x)
{
    u64 acc = 0;
    switch (x & 7) {
    case 0: acc += 1; /* fall through */
    case 1: acc += 10; /* fall through */
    case 2: acc += 100; break;
    case 3: acc += 1000; /* fall through */
    case 4: acc += 10000; break;
    default: acc = x;
    }
    return acc;
}

/* A tiny stack machine: 3-bit opcodes read from the program word, operating on an accumulator and a small stack. */
static NOINLINE u64 interpret(u64 program, u64 input)
{
    u64 stack[8];
    int sp = 0;
    u64 acc = input;
    for (int pc = 0; pc < 21; pc++) {
        switch ((program >> (3 * pc)) & 7) {
        case 0: acc += 1; break;
        case 1: acc *= 3; break;
        case 2: if (sp < 8) stack[sp++] = acc; break;
        case 3: if (sp > 0) acc ^= stack[--sp]; break;
        case 4: acc >>= 1; break;
        case 5: acc = acc * acc + 7; break;
        case 6: if ((acc & 1) == 0) pc++; break;
        default: acc = ~acc; break;
        }
    }
    while (sp > 0) acc += stack[--sp];
    return acc;
}

static NOINLINE u64 tables(u64 x)
{
    u64 acc = 0;
    for (int i = 0; i < 12; i++) {
        acc = acc * 10 + lookup[(x >> (i * 5)) & 31];
    }
    return acc;
}

static NOINLINE u64 classify(s64 v)
{
    u64 kind;
    if (v < -1000) kind = 0;
    else if (v < 0) kind = 1;
    else if (v == 0) kind = 2;
    else if (v <= 1000) kind = 3;
    else kind = 4;
    switch (kind) {
    case 0: return 11;
    case 1: return (u64)(-v) * 2;
    case 2: return 0;
    case 3: return (u64)v + 5;
    default: return (u64)v >> 4;
    }
}

DIFF_ENTRY u64 diff_main(u64 a, u64 b, u64 c, u64 d)
{
    switch (a % 6) {
    case 0: return dense(b) ^ dense(c) << 1;
    case 1: return sparse(b) | sparse(c & 0xffff) << 4;
    case 2: return fallthrough(b);
    case 3: return interpret(b, c);
    case 4: return tables(b ^ d);
    default: return classify((s64)b) ^ classify((s64)(s16)c) << 8;
    }
}
