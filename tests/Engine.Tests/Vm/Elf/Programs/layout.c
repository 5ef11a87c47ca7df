/* Every kind of section and relocation the loader handles, with contents the tests can recognise
 * (ElfLoaderTests reads the addresses out of the relocated lddw instructions and checks what lies there). */
typedef unsigned long u64;

extern u64 host_one(u64 a);
extern u64 host_two(const void *p, u64 n);

const char greeting[] = "hello, rodata";                     /* .rodata, global symbol */
static const char *const names[] = {"alpha", "beta", "gamma"}; /* .rodata with R_BPF_64_ABS64 into .rodata.str1.1 */
int counter = 0x12345678;                                    /* .data */
char *mutable_names[] = {"delta", "epsilon"};                /* .data with R_BPF_64_ABS64 */
long zeros[16];                                              /* .bss */
static long static_zeros[16];                                /* .bss through the section symbol plus an addend */
__attribute__((aligned(64))) long aligned_zeros[8];          /* .bss, 64-byte aligned */
__attribute__((aligned(32))) long aligned_data[4] = {7, 8, 9, 10}; /* .data, 32-byte aligned */

const char *greeting_address(void) { return greeting; }
const char *message_address(void) { return "a static string"; }
const char *const *names_address(void) { return names; }
int *counter_address(void) { return &counter; }
char **mutable_names_address(void) { return mutable_names; }
long *zeros_address(void) { return zeros; }
long *static_zeros_address(void) { return static_zeros; }
long *aligned_zeros_address(void) { return aligned_zeros; }
long *aligned_data_address(void) { return aligned_data; }

static __attribute__((noinline)) u64 static_helper(u64 x) { return x * 3 + (u64)counter; }
__attribute__((noinline, section("helpers"))) u64 global_in_other_section(u64 x) { return x ^ 0x55; }
static __attribute__((noinline, section("helpers"))) u64 static_in_other_section(u64 x) { return x + 11; }

__attribute__((section("entry_section"))) u64 entry(u64 a)
{
    zeros[a & 15] = a;
    u64 r = host_one(a) + host_two(greeting, sizeof greeting);
    r += static_helper(a) + global_in_other_section(a) + static_in_other_section(a);
    return r + (u64)names[a % 3][0] + (u64)mutable_names[a & 1][0];
}
