/* Naive recursive Fibonacci: call and return cost. */
#include "bench.h"

static __attribute__((noinline)) u64 fib(u64 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

BENCH_ENTRY u64 bench_main(u64 n, u8 *memory)
{
    (void)memory;
    return fib(n);
}
