/* Sieve of Eratosthenes up to n over a byte array: memory loads and stores. Returns the number of primes <= n. */
#include "bench.h"

BENCH_ENTRY u64 bench_main(u64 n, u8 *composite)
{
    u64 count = 0;
    for (u64 i = 2; i <= n; i++) {
        if (composite[i]) continue;
        count++;
        for (u64 j = i * i; j <= n; j += i) composite[j] = 1;
    }
    return count;
}
