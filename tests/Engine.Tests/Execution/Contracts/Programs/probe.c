/* A contract that exercises every host function, for the executor's tests (ContractExecutionTests.cs).
 * Selectors are small numbers, not Solidity's, so the tests stay readable; arguments are ABI words. */
#include "nexus.h"

#define SEL_SET 1u            /* set(v): slot 0 = v, log Set(v) */
#define SEL_GET 2u            /* get() -> slot 0 */
#define SEL_SET_REVERT 3u     /* set slot 0 = v, then revert with Error("nope") */
#define SEL_FORWARD 4u        /* forward(target, selector, v): slot 5 = 1, call target, return (status, returned size) */
#define SEL_RECURSE 5u        /* recurse(n): call itself with n + 1; the deepest frame stores n in slot 4 */
#define SEL_SPIN 6u           /* loops until the gas runs out */
#define SEL_CONTEXT 7u        /* -> caller, origin, self, value, block number, timestamp */
#define SEL_HASHES 8u         /* -> keccak256 and sha256 of the input after the selector */
#define SEL_RECOVER 9u        /* recover(hash, v, r, s) -> (status, signer) */
#define SEL_PAY 10u           /* pay(to, amount) -> status */
#define SEL_BALANCE 11u       /* balance(account) -> wei */
#define SEL_FAULT 12u         /* reads an unmapped address */

static const nexus_word TOPIC_SET = {{0x5e, 0x70}};

static nexus_word slot(uint64_t n)
{
    nexus_word w;
    nexus_word_from_u64(n, &w);
    return w;
}

static uint8_t out[256];
static uint8_t call_input[4 + 32];

NEXUS_CONSTRUCTOR(input, input_len)
{
    /* Constructor input: one word, stored in slot 1; the deployer goes to slot 2. */
    nexus_word initial, deployer, key;
    nexus_address who;
    if (input_len != 32) { nexus_revert_error("constructor takes one word"); return 1; }
    nexus_copy(initial.bytes, input, 32);
    key = slot(1);
    nexus_storage_store(&key, &initial);
    nexus_caller(&who);
    nexus_word_from_address(&who, &deployer);
    key = slot(2);
    nexus_storage_store(&key, &deployer);
    return 0;
}

NEXUS_ENTRY(input, input_len)
{
    nexus_word a, b, c, d, key;
    nexus_address target;
    switch (nexus_selector(input, input_len)) {
    case SEL_SET:
        if (nexus_abi_word(input, input_len, 0, &a)) return 1;
        key = slot(0);
        nexus_storage_store(&key, &a);
        nexus_emit_log(&TOPIC_SET, 1, a.bytes, 32);
        return 0;
    case SEL_GET:
        key = slot(0);
        nexus_storage_load(&key, &a);
        nexus_return(a.bytes, 32);
        return 0;
    case SEL_SET_REVERT:
        if (nexus_abi_word(input, input_len, 0, &a)) return 1;
        key = slot(0);
        nexus_storage_store(&key, &a);
        nexus_emit_log(&TOPIC_SET, 1, a.bytes, 32);
        nexus_revert_error("nope");
        return 1;
    case SEL_FORWARD: {
        if (nexus_abi_address(input, input_len, 0, &target) || nexus_abi_word(input, input_len, 1, &b)
            || nexus_abi_word(input, input_len, 2, &c)) return 1;
        key = slot(5);
        nexus_word one = slot(1);
        nexus_storage_store(&key, &one);
        nexus_copy(call_input, b.bytes + 28, 4);
        nexus_copy(call_input + 4, c.bytes, 32);
        nexus_word zero = slot(0);
        uint64_t status = nexus_call_contract(&target, &zero, call_input, sizeof call_input, nexus_gas_left());
        nexus_word_from_u64(status, (nexus_word *)out);
        nexus_word_from_u64(nexus_return_data_size(), (nexus_word *)(out + 32));
        uint64_t size = nexus_return_data_size();
        if (size > 128) size = 128;
        if (nexus_return_data_copy(out + 64, 0, size)) return 1;
        nexus_return(out, 64 + size);
        return 0;
    }
    case SEL_RECURSE: {
        nexus_u256 n;
        if (nexus_abi_u256(input, input_len, 0, &n)) return 1;
        nexus_address self;
        nexus_self_address(&self);
        nexus_u256 next = n, one = nexus_u256_from_u64(1);
        nexus_u256_add(&next, &next, &one);
        call_input[0] = 0; call_input[1] = 0; call_input[2] = 0; call_input[3] = SEL_RECURSE;
        nexus_u256_to_word(&next, (nexus_word *)(call_input + 4));
        nexus_word zero = slot(0);
        if (nexus_call_contract(&self, &zero, call_input, sizeof call_input, nexus_gas_left()) != 0) {
            key = slot(4);
            nexus_u256_to_word(&n, &a);
            nexus_storage_store(&key, &a);
        }
        return 0;
    }
    case SEL_SPIN: {
        volatile uint64_t i = 0;
        for (;;) i++;
        return 0;
    }
    case SEL_CONTEXT: {
        nexus_address who;
        nexus_caller(&who);
        nexus_word_from_address(&who, (nexus_word *)out);
        nexus_origin(&who);
        nexus_word_from_address(&who, (nexus_word *)(out + 32));
        nexus_self_address(&who);
        nexus_word_from_address(&who, (nexus_word *)(out + 64));
        nexus_call_value((nexus_word *)(out + 96));
        nexus_word_from_u64(nexus_block_number(), (nexus_word *)(out + 128));
        nexus_word_from_u64(nexus_block_timestamp(), (nexus_word *)(out + 160));
        nexus_return(out, 192);
        return 0;
    }
    case SEL_HASHES:
        nexus_keccak256(input + 4, input_len - 4, (nexus_word *)out);
        nexus_sha256(input + 4, input_len - 4, (nexus_word *)(out + 32));
        nexus_return(out, 64);
        return 0;
    case SEL_RECOVER: {
        uint8_t signature[65];
        nexus_address signer;
        if (nexus_abi_word(input, input_len, 0, &a) || nexus_abi_word(input, input_len, 1, &b)
            || nexus_abi_word(input, input_len, 2, &c) || nexus_abi_word(input, input_len, 3, &d)) return 1;
        nexus_copy(signature, c.bytes, 32);
        nexus_copy(signature + 32, d.bytes, 32);
        signature[64] = b.bytes[31];
        nexus_fill(signer.bytes, 0, 20);
        uint64_t status = nexus_ecrecover(&a, signature, &signer);
        nexus_word_from_u64(status, (nexus_word *)out);
        nexus_word_from_address(&signer, (nexus_word *)(out + 32));
        nexus_return(out, 64);
        return 0;
    }
    case SEL_PAY:
        if (nexus_abi_address(input, input_len, 0, &target) || nexus_abi_word(input, input_len, 1, &a)) return 1;
        nexus_word_from_u64(nexus_transfer(&target, &a), (nexus_word *)out);
        nexus_return(out, 32);
        return 0;
    case SEL_BALANCE:
        if (nexus_abi_address(input, input_len, 0, &target)) return 1;
        nexus_balance(&target, (nexus_word *)out);
        nexus_return(out, 32);
        return 0;
    case SEL_FAULT:
        return *(volatile uint64_t *)0x10;
    default:
        nexus_revert_error("unknown selector");
        return 1;
    }
}
