/* Sum of i * i mod 7 for i < n: a tight loop of arithmetic on one register set. */
#include "bench.h"

BENCH_ENTRY u64 bench_main(u64 n, u8 *memory)
{
    (void)memory;
    u64 sum = 0;
    for (u64 i = 0; i < n; i++) sum += (i * i) & 7;
    return sum;
}
