/* The calling half of the static-call pair (StaticCallTests.cs): makes a read-only call into view_target.c and reports
 * what came back, then writes its own storage to show that the caller itself is not read-only. */
#include "nexus.h"

#define SEL_STATIC 1u /* static(target, selector) -> (status, return data size, first word of return data); slot 9 = 1 */
#define SEL_PLAIN 2u  /* plain(target, selector): the same through nexus_call_contract, for comparison */

static uint8_t out[96];
static uint8_t call_input[4];

NEXUS_ENTRY(input, input_len)
{
    nexus_address target;
    nexus_word selector, key, one;
    if (input_len == 0) return 0; /* a plain payment (view_target.c sends one back) */
    uint32_t which = nexus_selector(input, input_len);
    if (which != SEL_STATIC && which != SEL_PLAIN) return 1;
    if (nexus_abi_address(input, input_len, 0, &target) || nexus_abi_word(input, input_len, 1, &selector)) return 1;
    nexus_copy(call_input, selector.bytes + 28, 4);
    uint64_t status;
    if (which == SEL_STATIC) {
        status = nexus_static_call(&target, call_input, sizeof call_input, nexus_gas_left());
    } else {
        nexus_word zero;
        nexus_word_from_u64(0, &zero);
        status = nexus_call_contract(&target, &zero, call_input, sizeof call_input, nexus_gas_left());
    }
    uint64_t size = nexus_return_data_size();
    nexus_fill(out, 0, sizeof out);
    nexus_word_from_u64(status, (nexus_word *)out);
    nexus_word_from_u64(size, (nexus_word *)(out + 32));
    if (size > 0) nexus_return_data_copy(out + 64, 0, size < 32 ? size : 32);
    key = (nexus_word){{0}};
    key.bytes[31] = 9;
    nexus_word_from_u64(1, &one);
    nexus_storage_store(&key, &one);
    nexus_return(out, sizeof out);
    return 0;
}
