/* A DAO governed by an ERC-20 token: members lock tokens in the DAO for voting weight, propose calls (destination,
 * wei, call data), vote for or against during a voting period, and anyone executes a proposal that passed once the
 * execution delay after the vote has elapsed.
 *
 * Constructor: (address token, uint256 votingPeriod, uint256 executionDelay, uint256 quorum), times in seconds of
 * block time, quorum in token units of "for" votes.
 * Functions (Solidity ABI):
 *   deposit(uint256 amount)          token.transferFrom(sender, dao, amount) (approve first); weight += amount
 *   withdraw(uint256 amount)         back to the sender, only after the end of every vote the sender cast
 *   propose(address target, uint256 value, bytes data) returns (uint256 id)    needs weight > 0
 *   vote(uint256 id, bool support)   once per member and proposal, before the voting end
 *   execute(uint256 id)              after end + executionDelay, when for > against and for >= quorum
 *   weightOf(address) returns (uint256), proposalCount() returns (uint256)
 *   getProposal(uint256 id) returns (address target, uint256 value, uint256 forVotes, uint256 againstVotes,
 *                                    uint256 votingEnd, bool executed)
 * Weight is locked while it counts in an open vote (a member's tokens stay in the DAO until the end of the last vote
 * they cast), so the same tokens cannot vote twice on one proposal through another account.
 * Events: ProposalCreated(uint256 indexed id, address indexed proposer), Voted(uint256 indexed id, address indexed
 * voter, bool support, uint256 weight), ProposalExecuted(uint256 indexed id). */
/* The largest call data a proposal carries; the SDK's scratch buffer holds a failed call's revert data up to this much
 * and a little more (nexus_call_or_revert). */
#define MAX_DATA 1024
#define NEXUS_SCRATCH_SIZE (MAX_DATA + 128)
#include "nexus.h"

#define SEL_DEPOSIT 0xb6b55f25u
#define SEL_WITHDRAW 0x2e1a7d4du
#define SEL_PROPOSE 0x93ba3f15u
#define SEL_VOTE 0xc9d27afeu
#define SEL_EXECUTE 0xfe0d94c1u
#define SEL_GET_PROPOSAL 0xc7f758a8u
#define SEL_WEIGHT_OF 0xdd4bc101u
#define SEL_PROPOSAL_COUNT 0xda35c664u

/* Storage: 0 token, 1 voting period, 2 delay, 3 quorum, 4 proposal count, mapping weight at 5, mapping lockedUntil at 6,
 * proposal fields from keccak(id . 7), mapping(uint256 => mapping(address => bool)) voted at 8. */
#define SLOT_TOKEN 0
#define SLOT_PERIOD 1
#define SLOT_DELAY 2
#define SLOT_QUORUM 3
#define SLOT_COUNT 4
#define SLOT_WEIGHT 5
#define SLOT_LOCKED 6
#define SLOT_PROPOSALS 7
#define SLOT_VOTED 8
#define FIELD_TARGET 0
#define FIELD_VALUE 1
#define FIELD_FOR 2
#define FIELD_AGAINST 3
#define FIELD_END 4
#define FIELD_EXECUTED 5
#define FIELD_DATA_LENGTH 6 /* then the data words (nexus_storage_store_bytes) */

#define HELPER static __attribute__((noinline))

static uint8_t buffer[MAX_DATA + 128];
static uint8_t out[192];

HELPER void load_u256(const nexus_word *slot, nexus_u256 *value) { *value = nexus_storage_load_u256(slot); }

HELPER void store_u256(const nexus_word *slot, const nexus_u256 *value) { nexus_storage_store_u256(slot, value); }

HELPER void address_mapping(const nexus_address *key, uint64_t slot, nexus_word *w)
{
    nexus_word k, s;
    nexus_word_from_address(key, &k);
    nexus_word_from_u64(slot, &s);
    nexus_mapping_slot(&k, &s, w);
}

HELPER void field_slot(uint64_t id, uint64_t field, nexus_word *w)
{
    nexus_word k;
    nexus_word_from_u64(id, &k);
    nexus_mapping_field_slot(&k, SLOT_PROPOSALS, field, w);
}

HELPER void voted_slot(uint64_t id, const nexus_address *voter, nexus_word *w)
{
    nexus_word outer, inner;
    nexus_word_from_u64(id, &outer);
    nexus_word_from_address(voter, &inner);
    nexus_nested_mapping_slot(&outer, &inner, SLOT_VOTED, w);
}

HELPER void return_word(const nexus_word *w) { nexus_return(w->bytes, 32); }

/* Calls the token with selector and up to three argument words; 0 when the call succeeded and returned true. */
HELPER int call_token(uint32_t selector, const nexus_word *a, const nexus_word *b, const nexus_word *c)
{
    nexus_word slot, word, zero;
    nexus_address token;
    nexus_word_from_u64(SLOT_TOKEN, &slot);
    nexus_storage_load(&slot, &word);
    nexus_word_to_address(&word, &token);
    buffer[0] = (uint8_t)(selector >> 24);
    buffer[1] = (uint8_t)(selector >> 16);
    buffer[2] = (uint8_t)(selector >> 8);
    buffer[3] = (uint8_t)selector;
    uint64_t len = 4;
    if (a) { nexus_copy(buffer + len, a->bytes, 32); len += 32; }
    if (b) { nexus_copy(buffer + len, b->bytes, 32); len += 32; }
    if (c) { nexus_copy(buffer + len, c->bytes, 32); len += 32; }
    nexus_word_from_u64(0, &zero);
    if (nexus_call_contract(&token, &zero, buffer, len, nexus_gas_left()) != 0) return 1;
    /* ERC-20 returns true; a token that returns nothing is accepted too, as OpenZeppelin's SafeERC20 does. */
    uint64_t size = nexus_return_data_size();
    if (size == 0) return 0;
    if (size < 32 || nexus_return_data_copy(word.bytes, 0, 32)) return 1;
    for (int i = 0; i < 31; i++) {
        if (word.bytes[i] != 0) return 1;
    }
    return word.bytes[31] == 1 ? 0 : 1;
}

HELPER int deposit(const nexus_address *sender, const nexus_u256 *amount)
{
    nexus_word from, self_word, amount_word, slot;
    nexus_address self;
    nexus_self_address(&self);
    nexus_word_from_address(sender, &from);
    nexus_word_from_address(&self, &self_word);
    nexus_u256_to_word(amount, &amount_word);
    if (call_token(0x23b872ddu, &from, &self_word, &amount_word)) return nexus_fail("dao: token transferFrom failed");
    address_mapping(sender, SLOT_WEIGHT, &slot);
    nexus_u256 weight;
    load_u256(&slot, &weight);
    if (nexus_u256_add(&weight, &weight, amount)) return nexus_fail("dao: weight overflow");
    store_u256(&slot, &weight);
    return 0;
}

HELPER int withdraw(const nexus_address *sender, const nexus_u256 *amount)
{
    nexus_word slot, to, amount_word;
    address_mapping(sender, SLOT_LOCKED, &slot);
    if (nexus_block_timestamp() < nexus_storage_load_u64(&slot)) return nexus_fail("dao: weight is locked by an open vote");
    address_mapping(sender, SLOT_WEIGHT, &slot);
    nexus_u256 weight;
    load_u256(&slot, &weight);
    if (nexus_u256_sub(&weight, &weight, amount)) return nexus_fail("dao: withdrawal exceeds weight");
    store_u256(&slot, &weight);
    nexus_word_from_address(sender, &to);
    nexus_u256_to_word(amount, &amount_word);
    if (call_token(0xa9059cbbu, &to, &amount_word, 0)) return nexus_fail("dao: token transfer failed");
    return 0;
}

HELPER int propose(const uint8_t *input, uint64_t input_len, const nexus_address *sender)
{
    nexus_address target;
    nexus_word value, slot, word;
    const uint8_t *data;
    uint64_t data_len;
    if (nexus_abi_address(input, input_len, 0, &target) || nexus_abi_word(input, input_len, 1, &value)
        || nexus_abi_bytes(input, input_len, 2, &data, &data_len)) return nexus_fail("dao: malformed call data");
    if (data_len > MAX_DATA) return nexus_fail("dao: call data too long");
    address_mapping(sender, SLOT_WEIGHT, &slot);
    nexus_u256 weight;
    load_u256(&slot, &weight);
    if (nexus_u256_is_zero(&weight)) return nexus_fail("dao: proposer has no weight");
    nexus_word_from_u64(SLOT_COUNT, &slot);
    uint64_t id = nexus_storage_load_u64(&slot);
    nexus_storage_store_u64(&slot, id + 1);
    field_slot(id, FIELD_TARGET, &slot);
    nexus_word_from_address(&target, &word);
    nexus_storage_store(&slot, &word);
    field_slot(id, FIELD_VALUE, &slot);
    nexus_storage_store(&slot, &value);
    nexus_word_from_u64(SLOT_PERIOD, &slot);
    uint64_t end = nexus_block_timestamp() + nexus_storage_load_u64(&slot);
    field_slot(id, FIELD_END, &slot);
    nexus_storage_store_u64(&slot, end);
    nexus_word id_word, proposer;
    nexus_word_from_u64(id, &id_word);
    nexus_storage_store_bytes(&id_word, SLOT_PROPOSALS, FIELD_DATA_LENGTH, data, data_len);
    nexus_word_from_address(sender, &proposer);
    nexus_emit_event("ProposalCreated(uint256,address)", &id_word, &proposer, 0, 0);
    return_word(&id_word);
    return 0;
}

HELPER int vote(uint64_t id, int support, const nexus_address *sender)
{
    nexus_word slot;
    nexus_word_from_u64(SLOT_COUNT, &slot);
    if (id >= nexus_storage_load_u64(&slot)) return nexus_fail("dao: no such proposal");
    field_slot(id, FIELD_END, &slot);
    uint64_t end = nexus_storage_load_u64(&slot);
    if (nexus_block_timestamp() >= end) return nexus_fail("dao: voting has ended");
    voted_slot(id, sender, &slot);
    if (nexus_storage_load_u64(&slot) != 0) return nexus_fail("dao: already voted");
    nexus_storage_store_u64(&slot, 1);
    nexus_u256 weight, total;
    address_mapping(sender, SLOT_WEIGHT, &slot);
    load_u256(&slot, &weight);
    if (nexus_u256_is_zero(&weight)) return nexus_fail("dao: voter has no weight");
    field_slot(id, support ? FIELD_FOR : FIELD_AGAINST, &slot);
    load_u256(&slot, &total);
    nexus_u256_add(&total, &total, &weight); /* cannot overflow: bounded by the token's supply */
    store_u256(&slot, &total);
    address_mapping(sender, SLOT_LOCKED, &slot);
    if (nexus_storage_load_u64(&slot) < end) nexus_storage_store_u64(&slot, end);
    nexus_word id_word, voter;
    nexus_word_from_u64(id, &id_word);
    nexus_word_from_address(sender, &voter);
    nexus_word_from_u64((uint64_t)support, (nexus_word *)out);
    nexus_u256_to_word(&weight, (nexus_word *)(out + 32));
    nexus_emit_event("Voted(uint256,address,bool,uint256)", &id_word, &voter, out, 64);
    return 0;
}

HELPER int execute(uint64_t id)
{
    nexus_word slot, word, value;
    nexus_address target;
    nexus_u256 yes, no, quorum;
    nexus_word_from_u64(SLOT_COUNT, &slot);
    if (id >= nexus_storage_load_u64(&slot)) return nexus_fail("dao: no such proposal");
    field_slot(id, FIELD_EXECUTED, &slot);
    if (nexus_storage_load_u64(&slot) != 0) return nexus_fail("dao: already executed");
    field_slot(id, FIELD_END, &slot);
    uint64_t end = nexus_storage_load_u64(&slot);
    nexus_word_from_u64(SLOT_DELAY, &slot);
    if (nexus_block_timestamp() < end + nexus_storage_load_u64(&slot)) return nexus_fail("dao: execution delay has not passed");
    field_slot(id, FIELD_FOR, &slot);
    load_u256(&slot, &yes);
    field_slot(id, FIELD_AGAINST, &slot);
    load_u256(&slot, &no);
    nexus_word_from_u64(SLOT_QUORUM, &slot);
    load_u256(&slot, &quorum);
    if (nexus_u256_cmp(&yes, &no) <= 0 || nexus_u256_cmp(&yes, &quorum) < 0) return nexus_fail("dao: proposal did not pass");
    field_slot(id, FIELD_EXECUTED, &slot);
    nexus_storage_store_u64(&slot, 1);
    field_slot(id, FIELD_TARGET, &slot);
    nexus_storage_load(&slot, &word);
    nexus_word_to_address(&word, &target);
    field_slot(id, FIELD_VALUE, &slot);
    nexus_storage_load(&slot, &value);
    nexus_word id_word;
    nexus_word_from_u64(id, &id_word);
    uint64_t data_len = nexus_storage_load_bytes(&id_word, SLOT_PROPOSALS, FIELD_DATA_LENGTH, buffer, sizeof buffer);
    if (data_len == (uint64_t)-1) return nexus_fail("dao: stored call data does not fit"); /* never stored so */
    if (nexus_call_or_revert(&target, &value, buffer, data_len, "dao: call failed")) return 1;
    nexus_emit_event("ProposalExecuted(uint256)", &id_word, 0, 0, 0);
    return 0;
}

HELPER int get_proposal(uint64_t id)
{
    nexus_word slot;
    nexus_word_from_u64(SLOT_COUNT, &slot);
    if (id >= nexus_storage_load_u64(&slot)) return nexus_fail("dao: no such proposal");
    static const uint8_t fields[6] = {FIELD_TARGET, FIELD_VALUE, FIELD_FOR, FIELD_AGAINST, FIELD_END, FIELD_EXECUTED};
    for (int i = 0; i < 6; i++) {
        field_slot(id, fields[i], &slot);
        nexus_storage_load(&slot, (nexus_word *)(out + 32 * i));
    }
    nexus_return(out, 192);
    return 0;
}

NEXUS_CONSTRUCTOR(input, input_len)
{
    nexus_word slot, word;
    nexus_address token;
    if (input_len != 128) return nexus_fail("dao: constructor takes (address token, uint256 votingPeriod, uint256 executionDelay, uint256 quorum)");
    nexus_copy(word.bytes, input, 32);
    if (nexus_word_to_address(&word, &token)) return nexus_fail("dao: token is not an address");
    for (uint64_t i = 0; i < 4; i++) {
        nexus_copy(word.bytes, input + 32 * i, 32);
        nexus_word_from_u64(SLOT_TOKEN + i, &slot);
        nexus_storage_store(&slot, &word);
    }
    return 0;
}

NEXUS_ENTRY(input, input_len)
{
    nexus_address sender, who;
    nexus_word slot, word;
    nexus_u256 amount;
    uint64_t id;
    int support;
    nexus_caller(&sender);
    switch (nexus_selector(input, input_len)) {
    case SEL_DEPOSIT:
        if (nexus_abi_u256(input, input_len, 0, &amount)) return nexus_fail("dao: malformed call data");
        return (uint64_t)deposit(&sender, &amount);
    case SEL_WITHDRAW:
        if (nexus_abi_u256(input, input_len, 0, &amount)) return nexus_fail("dao: malformed call data");
        return (uint64_t)withdraw(&sender, &amount);
    case SEL_PROPOSE:
        return (uint64_t)propose(input, input_len, &sender);
    case SEL_VOTE:
        if (nexus_abi_u64(input, input_len, 0, &id) || nexus_abi_bool(input, input_len, 1, &support)) return nexus_fail("dao: malformed call data");
        return (uint64_t)vote(id, support, &sender);
    case SEL_EXECUTE:
        if (nexus_abi_u64(input, input_len, 0, &id)) return nexus_fail("dao: malformed call data");
        return (uint64_t)execute(id);
    case SEL_GET_PROPOSAL:
        if (nexus_abi_u64(input, input_len, 0, &id)) return nexus_fail("dao: malformed call data");
        return (uint64_t)get_proposal(id);
    case SEL_WEIGHT_OF:
        if (nexus_abi_address(input, input_len, 0, &who)) return nexus_fail("dao: malformed call data");
        address_mapping(&who, SLOT_WEIGHT, &slot);
        nexus_storage_load(&slot, &word);
        return_word(&word);
        return 0;
    case SEL_PROPOSAL_COUNT:
        nexus_word_from_u64(SLOT_COUNT, &slot);
        nexus_storage_load(&slot, &word);
        return_word(&word);
        return 0;
    default:
        /* Plain transfers fund the DAO's treasury. */
        if (input_len == 0) return 0;
        return nexus_fail("dao: unknown function");
    }
}
