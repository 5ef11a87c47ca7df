/* The smallest useful contract: a counter anyone can increment (increment() and get() in Solidity terms). */
#include "nexus.h"
#define SEL_INCREMENT 0xd09de08au
#define SEL_GET 0x6d4ce63cu
static const nexus_word COUNT_SLOT = {{0}};
NEXUS_ENTRY(input, input_len)
{
    nexus_u256 one = nexus_u256_from_u64(1), count;
    switch (nexus_selector(input, input_len)) {
    case SEL_INCREMENT:
        count = nexus_storage_load_u256(&COUNT_SLOT);
        if (nexus_u256_add(&count, &count, &one)) { nexus_revert_error("overflow"); return 1; }
        nexus_storage_store_u256(&COUNT_SLOT, &count);
        return 0;
    case SEL_GET:
        count = nexus_storage_load_u256(&COUNT_SLOT);
        nexus_return_u256(&count);
        return 0;
    default:
        nexus_revert_error("unknown selector");
        return 1;
    }
}
