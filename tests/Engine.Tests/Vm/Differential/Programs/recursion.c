/* Recursion: local calls with their own frames, r6-r9 kept across calls, depths well below the VM's 64 frames. */
#include "diff.h"

#define NOINLINE __attribute__((noinline))

static NOINLINE u64 fib(u64 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static NOINLINE u64 ackermann(u64 m, u64 n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static NOINLINE int is_odd(u64 n);
static NOINLINE int is_even(u64 n) { return n == 0 ? 1 : is_odd(n - 1); }
static NOINLINE int is_odd(u64 n) { return n == 0 ? 0 : is_even(n - 1); }

static NOINLINE u64 hanoi(u64 n, u64 from, u64 to, u64 via)
{
    if (n == 0) return 0;
    u64 moves = hanoi(n - 1, from, via, to);
    moves += 1 + ((from * 3 + to) & 1);
    return moves + hanoi(n - 1, via, to, from);
}

/* Five arguments (the most BPF passes in registers) and live values across a call: r1-r5 in, r6-r9 preserved. */
static NOINLINE u64 spill(u64 p, u64 q, u64 r, u64 s, u64 depth)
{
    u64 local1 = p * 3 + q, local2 = r ^ s, local3 = s + depth, local4 = p - r;
    if (depth == 0) return local1 ^ local2 ^ local3 ^ local4;
    u64 inner = spill(q, r, s, p + 1, depth - 1);
    return inner + local1 * 5 + (local2 ^ local3) - local4;
}

static NOINLINE u64 binary_search_recursive(const u32 *items, s64 low, s64 high, u32 key)
{
    if (low > high) return 0xffff;
    s64 middle = low + (s64)((u64)(high - low) >> 1);
    if (items[middle] == key) return (u64)middle;
    if (items[middle] < key) return binary_search_recursive(items, middle + 1, high, key);
    return binary_search_recursive(items, low, middle - 1, key);
}

static NOINLINE u64 search(u64 seed, u64 pick)
{
    u32 items[32];
    u32 value = (u32)seed & 0xff;
    for (int i = 0; i < 32; i++) {
        value += 1 + (u32)((seed >> (i & 31)) & 7);
        items[i] = value;
    }
    u32 key = (pick & 1) ? items[pick % 32] : (u32)pick;
    return binary_search_recursive(items, 0, 31, key);
}

static NOINLINE u64 digit_sum(u64 n) { return n < 10 ? n : n % 10 + digit_sum(n / 10); }

DIFF_ENTRY u64 diff_main(u64 a, u64 b, u64 c, u64 d)
{
    switch (a % 7) {
    case 0: return fib(b % 21);
    case 1: return ackermann(b % 3, c % 6);
    case 2: return (u64)is_even(b % 50) | (u64)is_odd(c % 41) << 1;
    case 3: return hanoi(b % 11, c, d, b);
    case 4: return spill(b, c, d, a ^ b, d % 30);
    case 5: return search(b, c);
    default: return digit_sum(b) + digit_sum(c) * 100;
    }
}
