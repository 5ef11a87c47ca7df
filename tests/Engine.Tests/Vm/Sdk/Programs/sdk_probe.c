/* Exercises nexus.h from inside the VM: each "selector" (a small number here, not a Keccak selector) runs one group of
 * SDK helpers on ABI-encoded arguments and returns the results ABI-encoded, for SdkTests to compare with BigInteger and
 * its own ABI encoding. */
#include "nexus.h"

enum { OP_ADD = 1, OP_SUB, OP_MUL, OP_DIVMOD, OP_CMP, OP_ECHO_BYTES, OP_ADDRESS, OP_BOOL, OP_MAPPING_SLOT, OP_U64, OP_CALLER_STORAGE };

static uint8_t out[1024];

static uint64_t bad_input(void)
{
    nexus_revert_error("bad input");
    return 1;
}

/* Returns r and a flag as two words. */
static uint64_t return_pair(const nexus_u256 *r, uint64_t flag)
{
    nexus_abi_writer w;
    nexus_abi_writer_init(&w, out, sizeof out, 2);
    nexus_abi_put_u256(&w, r);
    nexus_abi_put_u64(&w, flag);
    nexus_return(out, nexus_abi_length(&w));
    return 0;
}

NEXUS_ENTRY(input, input_len)
{
    nexus_u256 a, b, r, q;
    nexus_abi_writer w;
    uint32_t op = nexus_selector(input, input_len);
    if (op >= OP_ADD && op <= OP_CMP) {
        if (nexus_abi_u256(input, input_len, 0, &a) || nexus_abi_u256(input, input_len, 1, &b)) return bad_input();
    }
    switch (op) {
    case OP_ADD: return return_pair(&r, (uint64_t)nexus_u256_add(&r, &a, &b));
    case OP_SUB: return return_pair(&r, (uint64_t)nexus_u256_sub(&r, &a, &b));
    case OP_MUL: return return_pair(&r, (uint64_t)nexus_u256_mul(&r, &a, &b));
    case OP_DIVMOD: {
        int zero = nexus_u256_divmod(&q, &r, &a, &b);
        nexus_abi_writer_init(&w, out, sizeof out, 3);
        nexus_abi_put_u256(&w, &q);
        nexus_abi_put_u256(&w, &r);
        nexus_abi_put_bool(&w, zero);
        nexus_return(out, nexus_abi_length(&w));
        return 0;
    }
    case OP_CMP: {
        r = nexus_u256_from_u64((uint64_t)(nexus_u256_cmp(&a, &b) + 1));
        return return_pair(&r, (uint64_t)nexus_u256_eq(&a, &b) | (uint64_t)nexus_u256_is_zero(&a) << 1);
    }
    case OP_ECHO_BYTES: {
        const uint8_t *data;
        uint64_t len;
        if (nexus_abi_bytes(input, input_len, 0, &data, &len)) return bad_input();
        /* (bytes data, uint256 length): a dynamic value then a static one, as ethers encodes them. */
        nexus_abi_writer_init(&w, out, sizeof out, 2);
        nexus_abi_put_bytes(&w, data, len);
        nexus_abi_put_u64(&w, len);
        if (w.overflow) return bad_input();
        nexus_return(out, nexus_abi_length(&w));
        return 0;
    }
    case OP_ADDRESS: {
        nexus_address address;
        if (nexus_abi_address(input, input_len, 0, &address)) return bad_input();
        nexus_abi_writer_init(&w, out, sizeof out, 1);
        nexus_abi_put_address(&w, &address);
        nexus_return(out, nexus_abi_length(&w));
        return 0;
    }
    case OP_BOOL: {
        int value;
        if (nexus_abi_bool(input, input_len, 0, &value)) return bad_input();
        nexus_return_bool(!value);
        return 0;
    }
    case OP_MAPPING_SLOT: {
        nexus_word key, slot, result;
        if (nexus_abi_word(input, input_len, 0, &key) || nexus_abi_word(input, input_len, 1, &slot)) return bad_input();
        nexus_mapping_slot(&key, &slot, &result);
        nexus_return(result.bytes, 32);
        return 0;
    }
    case OP_U64: {
        uint64_t value;
        if (nexus_abi_u64(input, input_len, 0, &value)) return bad_input();
        r = nexus_u256_from_u64(value);
        nexus_return_u256(&r);
        return 0;
    }
    case OP_CALLER_STORAGE: {
        /* Stores the caller as a word under key 7 and reads it back through storage. */
        nexus_address caller;
        nexus_word key, value, loaded;
        nexus_caller(&caller);
        nexus_word_from_u64(7, &key);
        nexus_word_from_address(&caller, &value);
        nexus_storage_store(&key, &value);
        nexus_storage_load(&key, &loaded);
        nexus_return(loaded.bytes, 32);
        return 0;
    }
    default:
        return 2; /* reverts with empty data */
    }
}
