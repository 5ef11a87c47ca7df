/* An M-of-N multisig wallet: owners submit transactions (destination, wei, call data), confirm them, and any owner
 * executes one once `threshold` owners have confirmed; the wallet then calls the destination with the value and data.
 *
 * Constructor: (uint256 threshold, address[] owners), 1 <= threshold <= owners, at most MAX_OWNERS distinct non-zero
 * owners. Functions (Solidity ABI):
 *   submit(address to, uint256 value, bytes data) returns (uint256 id)   also confirms for the submitter
 *   confirm(uint256 id), revoke(uint256 id), execute(uint256 id)
 *   isOwner(address) returns (bool), threshold() returns (uint256), transactionCount() returns (uint256)
 *   getTransaction(uint256 id) returns (address to, uint256 value, bool executed, uint256 confirmations)
 * Call data that is empty receives wei (Deposit event). Events: Submission(uint256 indexed id),
 * Confirmation(address indexed owner, uint256 indexed id), Revocation(address indexed owner, uint256 indexed id),
 * Execution(uint256 indexed id), Deposit(address indexed sender, uint256 value).
 * A failing call at execution reverts the execute (its error data is passed on), so the transaction stays pending. */
/* The largest call data a transaction carries; the SDK's scratch buffer holds a failed call's revert data up to this
 * much and a little more (nexus_call_or_revert). */
#define MAX_DATA 1024
#define NEXUS_SCRATCH_SIZE (MAX_DATA + 64)
#include "nexus.h"

#define SEL_SUBMIT 0x14de327fu
#define SEL_CONFIRM 0xba0179b5u
#define SEL_REVOKE 0x20c5429bu
#define SEL_EXECUTE 0xfe0d94c1u
#define SEL_IS_OWNER 0x2f54bf6eu
#define SEL_THRESHOLD 0x42cde4e8u
#define SEL_TRANSACTION_COUNT 0xb77bf600u
#define SEL_GET_TRANSACTION 0x33ea3dc8u

#define MAX_OWNERS 16

/* Storage: slot 0 threshold, slot 1 transaction count, mapping(address => bool) owners at slot 2,
 * transaction id's fields from keccak(id . 3) on (to, value, executed, confirmations, data length, data words...),
 * mapping(uint256 => mapping(address => bool)) confirmed at slot 4. */
#define SLOT_THRESHOLD 0
#define SLOT_COUNT 1
#define SLOT_OWNERS 2
#define SLOT_TRANSACTIONS 3
#define SLOT_CONFIRMED 4
#define FIELD_TO 0
#define FIELD_VALUE 1
#define FIELD_EXECUTED 2
#define FIELD_CONFIRMATIONS 3
#define FIELD_DATA_LENGTH 4 /* then the data words (nexus_storage_store_bytes) */

#define HELPER static __attribute__((noinline))

static uint8_t buffer[MAX_DATA + 64];
static uint8_t out[128];

HELPER void simple_slot(uint64_t n, nexus_word *out_word) { nexus_word_from_u64(n, out_word); }

/* keccak(key . slot) for a mapping at `slot` */
HELPER void mapping_at(const nexus_word *key, uint64_t slot, nexus_word *out_word)
{
    nexus_word s;
    nexus_word_from_u64(slot, &s);
    nexus_mapping_slot(key, &s, out_word);
}

/* The slot of field `field` of transaction `id`: keccak(id . 3) + field. */
HELPER void field_slot(uint64_t id, uint64_t field, nexus_word *out_word)
{
    nexus_word key;
    nexus_word_from_u64(id, &key);
    nexus_mapping_field_slot(&key, SLOT_TRANSACTIONS, field, out_word);
}

HELPER void owner_slot(const nexus_address *owner, nexus_word *out_word)
{
    nexus_word key;
    nexus_word_from_address(owner, &key);
    mapping_at(&key, SLOT_OWNERS, out_word);
}

HELPER void confirmed_slot(uint64_t id, const nexus_address *owner, nexus_word *out_word)
{
    nexus_word outer, inner;
    nexus_word_from_u64(id, &outer);
    nexus_word_from_address(owner, &inner);
    nexus_nested_mapping_slot(&outer, &inner, SLOT_CONFIRMED, out_word);
}

HELPER int is_owner(const nexus_address *who)
{
    nexus_word slot;
    owner_slot(who, &slot);
    return nexus_storage_load_u64(&slot) == 1;
}

HELPER void emit_owner_id(const char *signature, const nexus_address *owner, uint64_t id)
{
    nexus_word a, b;
    nexus_word_from_address(owner, &a);
    nexus_word_from_u64(id, &b);
    nexus_emit_event(signature, &a, &b, 0, 0);
}

HELPER void return_u64(uint64_t value)
{
    nexus_word w;
    nexus_word_from_u64(value, &w);
    nexus_return(w.bytes, 32);
}

/* Requires an existing, unexecuted transaction; 0 when it is one, else it has reverted. */
HELPER int require_pending(uint64_t id)
{
    nexus_word slot;
    simple_slot(SLOT_COUNT, &slot);
    if (id >= nexus_storage_load_u64(&slot)) return nexus_fail("multisig: no such transaction");
    field_slot(id, FIELD_EXECUTED, &slot);
    if (nexus_storage_load_u64(&slot) != 0) return nexus_fail("multisig: already executed");
    return 0;
}

HELPER int confirm(uint64_t id, const nexus_address *owner)
{
    nexus_word slot;
    confirmed_slot(id, owner, &slot);
    if (nexus_storage_load_u64(&slot) == 1) return nexus_fail("multisig: already confirmed");
    nexus_storage_store_u64(&slot, 1);
    field_slot(id, FIELD_CONFIRMATIONS, &slot);
    nexus_storage_store_u64(&slot, nexus_storage_load_u64(&slot) + 1);
    emit_owner_id("Confirmation(address,uint256)", owner, id);
    return 0;
}

HELPER int submit(const uint8_t *input, uint64_t input_len, const nexus_address *sender)
{
    nexus_address to;
    nexus_word value, slot, word;
    const uint8_t *data;
    uint64_t data_len;
    if (nexus_abi_address(input, input_len, 0, &to) || nexus_abi_word(input, input_len, 1, &value)
        || nexus_abi_bytes(input, input_len, 2, &data, &data_len)) return nexus_fail("multisig: malformed call data");
    if (data_len > MAX_DATA) return nexus_fail("multisig: call data too long");
    simple_slot(SLOT_COUNT, &slot);
    uint64_t id = nexus_storage_load_u64(&slot);
    nexus_storage_store_u64(&slot, id + 1);
    field_slot(id, FIELD_TO, &slot);
    nexus_word_from_address(&to, &word);
    nexus_storage_store(&slot, &word);
    field_slot(id, FIELD_VALUE, &slot);
    nexus_storage_store(&slot, &value);
    nexus_word id_word;
    nexus_word_from_u64(id, &id_word);
    nexus_storage_store_bytes(&id_word, SLOT_TRANSACTIONS, FIELD_DATA_LENGTH, data, data_len);
    nexus_emit_event("Submission(uint256)", &id_word, 0, 0, 0);
    if (confirm(id, sender)) return 1;
    return_u64(id);
    return 0;
}

HELPER int execute(uint64_t id)
{
    nexus_word slot, word, value;
    nexus_address to;
    if (require_pending(id)) return 1;
    field_slot(id, FIELD_CONFIRMATIONS, &slot);
    uint64_t confirmations = nexus_storage_load_u64(&slot);
    simple_slot(SLOT_THRESHOLD, &slot);
    if (confirmations < nexus_storage_load_u64(&slot)) return nexus_fail("multisig: not enough confirmations");
    /* Marked executed before the call, so that the destination cannot execute it again from inside the call. */
    field_slot(id, FIELD_EXECUTED, &slot);
    nexus_storage_store_u64(&slot, 1);
    field_slot(id, FIELD_TO, &slot);
    nexus_storage_load(&slot, &word);
    nexus_word_to_address(&word, &to);
    field_slot(id, FIELD_VALUE, &slot);
    nexus_storage_load(&slot, &value);
    nexus_word id_word;
    nexus_word_from_u64(id, &id_word);
    uint64_t data_len = nexus_storage_load_bytes(&id_word, SLOT_TRANSACTIONS, FIELD_DATA_LENGTH, buffer, sizeof buffer);
    if (data_len == (uint64_t)-1) return nexus_fail("multisig: stored call data does not fit"); /* never stored so */
    /* The destination's revert data is passed on, so the caller sees why; with none, it says what failed. */
    if (nexus_call_or_revert(&to, &value, buffer, data_len, "multisig: call failed")) return 1;
    nexus_emit_event("Execution(uint256)", &id_word, 0, 0, 0);
    return 0;
}

NEXUS_CONSTRUCTOR(input, input_len)
{
    /* No selector here: word i of the arguments is at input + 32 * i. */
    nexus_word slot, word;
    if (input_len < 96) return nexus_fail("multisig: constructor takes (uint256 threshold, address[] owners)");
    nexus_copy(word.bytes, input, 32);
    nexus_u256 threshold = nexus_word_to_u256(&word);
    nexus_copy(word.bytes, input + 32, 32);
    nexus_u256 offset = nexus_word_to_u256(&word);
    if (offset.limb[1] | offset.limb[2] | offset.limb[3] || offset.limb[0] > input_len - 32) return nexus_fail("multisig: bad owners offset");
    nexus_copy(word.bytes, input + offset.limb[0], 32);
    nexus_u256 count = nexus_word_to_u256(&word);
    if (count.limb[1] | count.limb[2] | count.limb[3] || count.limb[0] == 0 || count.limb[0] > MAX_OWNERS)
        return nexus_fail("multisig: between 1 and 16 owners");
    uint64_t owners = count.limb[0];
    if (input_len - 32 - offset.limb[0] < owners * 32) return nexus_fail("multisig: owners array is cut short");
    if (threshold.limb[1] | threshold.limb[2] | threshold.limb[3] || threshold.limb[0] == 0 || threshold.limb[0] > owners)
        return nexus_fail("multisig: threshold must be between 1 and the number of owners");
    for (uint64_t i = 0; i < owners; i++) {
        nexus_address owner;
        nexus_copy(word.bytes, input + offset.limb[0] + 32 + 32 * i, 32);
        if (nexus_word_to_address(&word, &owner)) return nexus_fail("multisig: owner is not an address");
        int zero = 1;
        for (int b = 0; b < 20; b++) zero &= owner.bytes[b] == 0;
        if (zero) return nexus_fail("multisig: zero owner");
        if (is_owner(&owner)) return nexus_fail("multisig: duplicate owner");
        owner_slot(&owner, &slot);
        nexus_storage_store_u64(&slot, 1);
    }
    simple_slot(SLOT_THRESHOLD, &slot);
    nexus_storage_store_u64(&slot, threshold.limb[0]);
    return 0;
}

NEXUS_ENTRY(input, input_len)
{
    nexus_address sender;
    nexus_word slot;
    uint64_t id;
    nexus_caller(&sender);
    if (input_len == 0) {
        nexus_word value, who;
        nexus_call_value(&value);
        nexus_word_from_address(&sender, &who);
        nexus_emit_event("Deposit(address,uint256)", &who, 0, value.bytes, 32);
        return 0;
    }
    uint32_t selector = nexus_selector(input, input_len);
    switch (selector) {
    case SEL_THRESHOLD:
        simple_slot(SLOT_THRESHOLD, &slot);
        return_u64(nexus_storage_load_u64(&slot));
        return 0;
    case SEL_TRANSACTION_COUNT:
        simple_slot(SLOT_COUNT, &slot);
        return_u64(nexus_storage_load_u64(&slot));
        return 0;
    case SEL_IS_OWNER: {
        nexus_address who;
        if (nexus_abi_address(input, input_len, 0, &who)) return nexus_fail("multisig: malformed call data");
        return_u64(is_owner(&who));
        return 0;
    }
    case SEL_GET_TRANSACTION: {
        if (nexus_abi_u64(input, input_len, 0, &id)) return nexus_fail("multisig: malformed call data");
        simple_slot(SLOT_COUNT, &slot);
        if (id >= nexus_storage_load_u64(&slot)) return nexus_fail("multisig: no such transaction");
        field_slot(id, FIELD_TO, &slot);
        nexus_storage_load(&slot, (nexus_word *)out);
        field_slot(id, FIELD_VALUE, &slot);
        nexus_storage_load(&slot, (nexus_word *)(out + 32));
        field_slot(id, FIELD_EXECUTED, &slot);
        nexus_storage_load(&slot, (nexus_word *)(out + 64));
        field_slot(id, FIELD_CONFIRMATIONS, &slot);
        nexus_storage_load(&slot, (nexus_word *)(out + 96));
        nexus_return(out, 128);
        return 0;
    }
    }
    /* Everything else changes state and is for owners only, without value. */
    if (!is_owner(&sender)) return nexus_fail("multisig: not an owner");
    switch (selector) {
    case SEL_SUBMIT:
        return (uint64_t)submit(input, input_len, &sender);
    case SEL_CONFIRM:
        if (nexus_abi_u64(input, input_len, 0, &id)) return nexus_fail("multisig: malformed call data");
        if (require_pending(id) || confirm(id, &sender)) return 1;
        return 0;
    case SEL_REVOKE:
        if (nexus_abi_u64(input, input_len, 0, &id)) return nexus_fail("multisig: malformed call data");
        if (require_pending(id)) return 1;
        confirmed_slot(id, &sender, &slot);
        if (nexus_storage_load_u64(&slot) != 1) return nexus_fail("multisig: not confirmed");
        nexus_storage_store_u64(&slot, 0);
        field_slot(id, FIELD_CONFIRMATIONS, &slot);
        nexus_storage_store_u64(&slot, nexus_storage_load_u64(&slot) - 1);
        emit_owner_id("Revocation(address,uint256)", &sender, id);
        return 0;
    case SEL_EXECUTE:
        if (nexus_abi_u64(input, input_len, 0, &id)) return nexus_fail("multisig: malformed call data");
        return (uint64_t)execute(id);
    default:
        return nexus_fail("multisig: unknown function");
    }
}
