/* Runs one workload natively: `native N RUNS` prints "checksum median_ns". Built with gcc -O2 by perf/vm/run.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench.h"

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int compare(const void *a, const void *b) { long long x = *(const long long *)a, y = *(const long long *)b; return (x > y) - (x < y); }

int main(int argc, char **argv)
{
    u64 n = strtoull(argv[1], 0, 10);
    int runs = atoi(argv[2]);
    u8 *memory = malloc(n + 16);
    long long times[64];
    u64 checksum = 0;
    for (int r = 0; r < runs && r < 64; r++) {
        memset(memory, 0, n + 16);
        long long start = now_ns();
        checksum = bench_main(n, memory);
        times[r] = now_ns() - start;
    }
    qsort(times, runs, sizeof times[0], compare);
    printf("%llu %lld\n", checksum, times[runs / 2]);
    return 0;
}
