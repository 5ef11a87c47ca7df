/* A DID registry for did:nexus:<address>: every address is an identity, controlled by itself until its controller
 * hands control to another address. The controller sets and revokes attributes (a bytes32 name and a value of up to
 * MAX_VALUE bytes, e.g. name "svc/LinkedDomains" with a URL) and can deactivate the identity for good.
 *
 * Functions (Solidity ABI):
 *   controllerOf(address identity) returns (address)       the identity itself until changed
 *   isDeactivated(address identity) returns (bool)
 *   changeController(address identity, address controller) only the controller
 *   setAttribute(address identity, bytes32 name, bytes value), revokeAttribute(address identity, bytes32 name)
 *   attributeCount(address identity) returns (uint256), attributeNameAt(address identity, uint256 index) returns (bytes32)
 *   getAttribute(address identity, bytes32 name) returns (bytes)
 *   deactivate(address identity)                          only the controller; afterwards nothing changes any more
 * Events: DIDControllerChanged(address indexed identity, address controller),
 *   DIDAttributeChanged(address indexed identity, bytes32 name, bytes value)   (empty value: revoked),
 *   DIDDeactivated(address indexed identity). */
#include "nexus.h"

#define SEL_CONTROLLER_OF 0xd3a2b210u
#define SEL_IS_DEACTIVATED 0xa0d721b6u
#define SEL_CHANGE_CONTROLLER 0x3e11e378u
#define SEL_SET_ATTRIBUTE 0xbbb09fdeu
#define SEL_REVOKE_ATTRIBUTE 0xdd1616d8u
#define SEL_ATTRIBUTE_COUNT 0xf3553a07u
#define SEL_ATTRIBUTE_NAME_AT 0xd101b147u
#define SEL_GET_ATTRIBUTE 0x163f6691u
#define SEL_DEACTIVATE 0x3ea053ebu

#define MAX_VALUE 512
#define MAX_ATTRIBUTES 64

/* Storage: mapping controller at 0, mapping deactivated at 1; per identity from keccak(identity . 2): +0 attribute
 * count, +1.. attribute names; per (identity, name) from keccak(name . keccak(identity . 3)): +0 the name's index + 1
 * (0: absent), +1 value length, +2.. value words. */
#define SLOT_CONTROLLER 0
#define SLOT_DEACTIVATED 1
#define SLOT_NAMES 2
#define SLOT_VALUES 3

#define HELPER static __attribute__((noinline))

static uint8_t buffer[MAX_VALUE + 128];

HELPER void word_of(uint64_t value, nexus_word *w) { nexus_word_from_u64(value, w); }

/* base + offset on a 256-bit slot number */
HELPER void offset_slot(const nexus_word *base, uint64_t offset, nexus_word *out)
{
    nexus_u256 b = nexus_word_to_u256(base), o = nexus_u256_from_u64(offset);
    nexus_u256_add(&b, &b, &o);
    nexus_u256_to_word(&b, out);
}

HELPER void identity_mapping(const nexus_address *identity, uint64_t slot, nexus_word *out)
{
    nexus_word k, s;
    nexus_word_from_address(identity, &k);
    word_of(slot, &s);
    nexus_mapping_slot(&k, &s, out);
}

HELPER void value_base(const nexus_address *identity, const nexus_word *name, nexus_word *out)
{
    nexus_word inner;
    identity_mapping(identity, SLOT_VALUES, &inner);
    nexus_mapping_slot(name, &inner, out);
}

HELPER void controller_of(const nexus_address *identity, nexus_address *out)
{
    nexus_word slot, w;
    identity_mapping(identity, SLOT_CONTROLLER, &slot);
    nexus_storage_load(&slot, &w);
    nexus_word_to_address(&w, out);
    int zero = 1;
    for (int i = 0; i < 20; i++) zero &= out->bytes[i] == 0;
    if (zero) *out = *identity;
}

/* 0 when the caller controls a live identity, else it has reverted. */
HELPER int require_controller(const nexus_address *identity)
{
    nexus_address sender, controller;
    nexus_word slot;
    identity_mapping(identity, SLOT_DEACTIVATED, &slot);
    if (nexus_storage_load_u64(&slot) != 0) return nexus_fail("did: deactivated");
    nexus_caller(&sender);
    controller_of(identity, &controller);
    if (!nexus_equal(sender.bytes, controller.bytes, 20)) return nexus_fail("did: caller is not the controller");
    return 0;
}

HELPER void emit_attribute(const nexus_address *identity, const nexus_word *name, const uint8_t *value, uint64_t len)
{
    nexus_word topics[2];
    const char *signature = "DIDAttributeChanged(address,bytes32,bytes)";
    nexus_keccak256(signature, nexus_strlen(signature), &topics[0]);
    nexus_word_from_address(identity, &topics[1]);
    nexus_abi_writer w;
    nexus_abi_writer_init(&w, buffer, sizeof buffer, 2);
    nexus_abi_put_word(&w, name);
    nexus_abi_put_bytes(&w, value, len);
    nexus_emit_log(topics, 2, buffer, nexus_abi_length(&w));
}

HELPER int set_attribute(const nexus_address *identity, const nexus_word *name, const uint8_t *value, uint64_t len)
{
    nexus_word base, slot, names, w;
    if (len == 0) return nexus_fail("did: empty value (use revokeAttribute)");
    if (len > MAX_VALUE) return nexus_fail("did: value too long");
    value_base(identity, name, &base);
    if (nexus_storage_load_u64(&base) == 0) {
        identity_mapping(identity, SLOT_NAMES, &names);
        uint64_t count = nexus_storage_load_u64(&names);
        if (count >= MAX_ATTRIBUTES) return nexus_fail("did: too many attributes");
        nexus_storage_store_u64(&names, count + 1);
        offset_slot(&names, count + 1, &slot);
        nexus_storage_store(&slot, name);
        nexus_storage_store_u64(&base, count + 1);
    }
    offset_slot(&base, 1, &slot);
    nexus_storage_store_u64(&slot, len);
    for (uint64_t at = 0, index = 0; at < len; at += 32, index++) {
        nexus_fill(w.bytes, 0, 32);
        nexus_copy(w.bytes, value + at, len - at < 32 ? len - at : 32);
        offset_slot(&base, 2 + index, &slot);
        nexus_storage_store(&slot, &w);
    }
    emit_attribute(identity, name, value, len);
    return 0;
}

HELPER int revoke_attribute(const nexus_address *identity, const nexus_word *name)
{
    nexus_word base, slot, names, last_name, last_base, zero;
    value_base(identity, name, &base);
    uint64_t index = nexus_storage_load_u64(&base);
    if (index == 0) return nexus_fail("did: no such attribute");
    offset_slot(&base, 1, &slot);
    uint64_t len = nexus_storage_load_u64(&slot);
    nexus_storage_store_u64(&slot, 0);
    word_of(0, &zero);
    for (uint64_t at = 0, i = 0; at < len; at += 32, i++) {
        offset_slot(&base, 2 + i, &slot);
        nexus_storage_store(&slot, &zero);
    }
    nexus_storage_store_u64(&base, 0);
    /* Swap the last name into the freed place of the list, then shorten it. */
    identity_mapping(identity, SLOT_NAMES, &names);
    uint64_t count = nexus_storage_load_u64(&names);
    offset_slot(&names, count, &slot);
    nexus_storage_load(&slot, &last_name);
    nexus_storage_store(&slot, &zero);
    if (index != count) {
        offset_slot(&names, index, &slot);
        nexus_storage_store(&slot, &last_name);
        value_base(identity, &last_name, &last_base);
        nexus_storage_store_u64(&last_base, index);
    }
    nexus_storage_store_u64(&names, count - 1);
    emit_attribute(identity, name, 0, 0);
    return 0;
}

HELPER int get_attribute(const nexus_address *identity, const nexus_word *name)
{
    nexus_word base, slot, w;
    value_base(identity, name, &base);
    offset_slot(&base, 1, &slot);
    uint64_t len = nexus_storage_load_u64(&slot);
    for (uint64_t at = 0, i = 0; at < len; at += 32, i++) {
        offset_slot(&base, 2 + i, &slot);
        nexus_storage_load(&slot, &w);
        nexus_copy(buffer + 64 + at, w.bytes, 32);
    }
    word_of(32, (nexus_word *)buffer);
    word_of(len, (nexus_word *)(buffer + 32));
    nexus_return(buffer, 64 + (len + 31) / 32 * 32);
    return 0;
}

NEXUS_ENTRY(input, input_len)
{
    nexus_address identity, other;
    nexus_word name, slot, w;
    const uint8_t *value;
    uint64_t len, index;
    uint32_t selector = nexus_selector(input, input_len);
    if (nexus_abi_address(input, input_len, 0, &identity)) return nexus_fail("did: malformed call data");
    switch (selector) {
    case SEL_CONTROLLER_OF:
        controller_of(&identity, &other);
        nexus_word_from_address(&other, &w);
        nexus_return(w.bytes, 32);
        return 0;
    case SEL_IS_DEACTIVATED:
        identity_mapping(&identity, SLOT_DEACTIVATED, &slot);
        word_of(nexus_storage_load_u64(&slot), &w);
        nexus_return(w.bytes, 32);
        return 0;
    case SEL_ATTRIBUTE_COUNT:
        identity_mapping(&identity, SLOT_NAMES, &slot);
        word_of(nexus_storage_load_u64(&slot), &w);
        nexus_return(w.bytes, 32);
        return 0;
    case SEL_ATTRIBUTE_NAME_AT:
        if (nexus_abi_u64(input, input_len, 1, &index)) return nexus_fail("did: malformed call data");
        identity_mapping(&identity, SLOT_NAMES, &slot);
        if (index >= nexus_storage_load_u64(&slot)) return nexus_fail("did: index out of range");
        offset_slot(&slot, index + 1, &slot);
        nexus_storage_load(&slot, &w);
        nexus_return(w.bytes, 32);
        return 0;
    case SEL_GET_ATTRIBUTE:
        if (nexus_abi_word(input, input_len, 1, &name)) return nexus_fail("did: malformed call data");
        return (uint64_t)get_attribute(&identity, &name);
    case SEL_CHANGE_CONTROLLER: {
        if (nexus_abi_address(input, input_len, 1, &other)) return nexus_fail("did: malformed call data");
        if (require_controller(&identity)) return 1;
        identity_mapping(&identity, SLOT_CONTROLLER, &slot);
        nexus_word_from_address(&other, &w);
        nexus_storage_store(&slot, &w);
        nexus_word topics[2];
        const char *signature = "DIDControllerChanged(address,address)";
        nexus_keccak256(signature, nexus_strlen(signature), &topics[0]);
        nexus_word_from_address(&identity, &topics[1]);
        nexus_emit_log(topics, 2, w.bytes, 32);
        return 0;
    }
    case SEL_SET_ATTRIBUTE:
        if (nexus_abi_word(input, input_len, 1, &name) || nexus_abi_bytes(input, input_len, 2, &value, &len))
            return nexus_fail("did: malformed call data");
        if (require_controller(&identity)) return 1;
        return (uint64_t)set_attribute(&identity, &name, value, len);
    case SEL_REVOKE_ATTRIBUTE:
        if (nexus_abi_word(input, input_len, 1, &name)) return nexus_fail("did: malformed call data");
        if (require_controller(&identity)) return 1;
        return (uint64_t)revoke_attribute(&identity, &name);
    case SEL_DEACTIVATE: {
        if (require_controller(&identity)) return 1;
        identity_mapping(&identity, SLOT_DEACTIVATED, &slot);
        nexus_storage_store_u64(&slot, 1);
        nexus_word topics[2];
        const char *signature = "DIDDeactivated(address)";
        nexus_keccak256(signature, nexus_strlen(signature), &topics[0]);
        nexus_word_from_address(&identity, &topics[1]);
        nexus_emit_log(topics, 2, 0, 0);
        return 0;
    }
    default:
        return nexus_fail("did: unknown function");
    }
}
