/* Shared by the differential programs: each is compiled by clang-14 for BPF (run in our VM) and by gcc for this
 * machine (run natively through native_main.c), and both must return the same value for the same four inputs.
 * Rules that keep the two builds comparable: no undefined behaviour (signed overflow is done in unsigned arithmetic,
 * shift counts are masked, arrays stay in bounds, nothing is read before it is written), no signed division (clang
 * 14's BPF back end cannot emit it), no globals carried from one call to the next (the VM starts every run from the
 * initial images, the native harness calls diff_main repeatedly in one process). */
#ifndef DIFF_H
#define DIFF_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

#ifdef __bpf__
#define DIFF_ENTRY __attribute__((section("diff/entry")))
#else
#define DIFF_ENTRY
#endif

/* Keeps clang from turning a fill or copy loop into a memset/memcpy call, which BPF cannot make. */
#ifdef __clang__
#define NO_BUILTIN __attribute__((no_builtin))
#else
#define NO_BUILTIN
#endif

/* a usually selects the operation; b, c and d are operands. */
u64 diff_main(u64 a, u64 b, u64 c, u64 d);

#endif
