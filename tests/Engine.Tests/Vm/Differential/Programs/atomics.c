/* Atomic read-modify-write operations (BPF_ATOMIC, -mcpu=v3 only: v1 has just the result-less add) on 32- and 64-bit
 * words in .bss and on the stack. The VM runs one thread, so each must act as its plain read-modify-write. */
#include "diff.h"

#define NOINLINE __attribute__((noinline))

static u64 word64;
static u32 word32;

static NOINLINE u64 fetch_ops(u64 a, u64 b)
{
    word64 = a;
    u64 r = __sync_fetch_and_add(&word64, b);
    r ^= __sync_fetch_and_and(&word64, a | 1) << 1;
    r ^= __sync_fetch_and_or(&word64, b << 3) << 2;
    r ^= __sync_fetch_and_xor(&word64, 0x5555aaaa5555aaaaull) << 3;
    return r ^ word64;
}

static NOINLINE u64 exchange_ops(u64 a, u64 b)
{
    word64 = a;
    u64 r = __sync_lock_test_and_set(&word64, a + 7);
    r ^= __sync_val_compare_and_swap(&word64, a + 7, b) << 1;       /* matches: swaps in b */
    r ^= __sync_val_compare_and_swap(&word64, b + 1, 99) << 2;      /* does not match */
    r ^= (u64)__sync_bool_compare_and_swap(&word64, b, a) << 3;
    return r ^ word64;
}

static NOINLINE u64 narrow_ops(u64 a, u64 b)
{
    word32 = (u32)a;
    u32 r = __sync_fetch_and_add(&word32, (u32)b);
    r ^= __sync_fetch_and_or(&word32, (u32)(b >> 32));
    r ^= __sync_fetch_and_and(&word32, (u32)(a >> 16) | 0xff);
    r ^= __sync_fetch_and_xor(&word32, 0x0f0f0f0fu);
    r ^= __sync_lock_test_and_set(&word32, (u32)(a * 3));
    r ^= __sync_val_compare_and_swap(&word32, (u32)(a * 3), (u32)b);
    return (u64)r << 32 | word32;
}

static NOINLINE u64 on_stack(u64 a, u64 b)
{
    u64 words[4] = {a, b, a ^ b, a + b};
    for (int i = 0; i < 4; i++) __sync_fetch_and_add(&words[i], (u64)i * b); /* result unused: the v1 form */
    u64 r = 0;
    for (int i = 0; i < 4; i++) r = r * 31 + __sync_fetch_and_xor(&words[(i + 1) & 3], words[i]);
    return r ^ words[0] ^ words[3];
}

DIFF_ENTRY u64 diff_main(u64 a, u64 b, u64 c, u64 d)
{
    switch (a % 4) {
    case 0: return fetch_ops(b, c);
    case 1: return exchange_ops(b, c ^ d);
    case 2: return narrow_ops(b, c);
    default: return on_stack(b, d);
    }
}
