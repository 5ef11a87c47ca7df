/* The VM comparison workloads (perf/vm/run.sh): each is compiled by clang-14 for BPF (run in the NexusFast VM by
 * perf/VmCompare) and by gcc -O2 for this machine (run natively by native_main.c), and perf/vm/lua has the same
 * algorithm in Lua. bench_main(n, memory) returns a checksum that all runners must agree on; memory points at a
 * zeroed scratch area of at least n + 1 bytes (the VM's heap, or malloc natively). */
#ifndef BENCH_H
#define BENCH_H

typedef unsigned char u8;
typedef unsigned long long u64;

#ifdef __bpf__
#define BENCH_ENTRY __attribute__((section("bench/entry")))
#else
#define BENCH_ENTRY
#endif

u64 bench_main(u64 n, u8 *memory);

#endif
