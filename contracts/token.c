/* An ERC-20 token (EIP-20): name, symbol, decimals, totalSupply, balanceOf, transfer, allowance, approve, transferFrom,
 * and the Transfer and Approval events, so wallets and ethers' Contract read it with the standard ERC-20 ABI.
 *
 * Constructor: (uint256 initialSupply), minted to the deployer with Transfer(0, deployer, initialSupply).
 * Storage as Solidity would lay out `mapping(address => uint256) balances` (slot 0), `mapping(address =>
 * mapping(address => uint256)) allowances` (slot 1) and `uint256 totalSupply` (slot 2), so eth_getStorageAt reads
 * the same slots a Solidity token would use. Reverts use Error(string) with OpenZeppelin's messages. */
#include "nexus.h"

#define SEL_NAME 0x06fdde03u
#define SEL_SYMBOL 0x95d89b41u
#define SEL_DECIMALS 0x313ce567u
#define SEL_TOTAL_SUPPLY 0x18160dddu
#define SEL_BALANCE_OF 0x70a08231u
#define SEL_TRANSFER 0xa9059cbbu
#define SEL_ALLOWANCE 0xdd62ed3eu
#define SEL_APPROVE 0x095ea7b3u
#define SEL_TRANSFER_FROM 0x23b872ddu

#define TOKEN_NAME "Nexus Token"
#define TOKEN_SYMBOL "NXT"
#define TOKEN_DECIMALS 18

/* keccak256("Transfer(address,address,uint256)") and keccak256("Approval(address,address,uint256)") */
static const nexus_word TOPIC_TRANSFER = {{0xdd, 0xf2, 0x52, 0xad, 0x1b, 0xe2, 0xc8, 0x9b, 0x69, 0xc2, 0xb0, 0x68, 0xfc, 0x37,
                                          0x8d, 0xaa, 0x95, 0x2b, 0xa7, 0xf1, 0x63, 0xc4, 0xa1, 0x16, 0x28, 0xf5, 0x5a, 0x4d,
                                          0xf5, 0x23, 0xb3, 0xef}};
static const nexus_word TOPIC_APPROVAL = {{0x8c, 0x5b, 0xe1, 0xe5, 0xeb, 0xec, 0x7d, 0x5b, 0xd1, 0x4f, 0x71, 0x42, 0x7d, 0x1e,
                                          0x84, 0xf3, 0xdd, 0x03, 0x14, 0xc0, 0xf7, 0xb2, 0x29, 0x1e, 0x5b, 0x20, 0x0a, 0xc8,
                                          0xc7, 0xc3, 0xb9, 0x25}};

#define SLOT_BALANCES 0
#define SLOT_ALLOWANCES 1
#define SLOT_TOTAL_SUPPLY 2

static uint8_t result[128];
static nexus_word topics[3];

/* Helpers are noinline so that each keeps its own 512-byte BPF stack frame, and they return through pointers:
 * the BPF back end cannot return structs from a call that is not inlined. */
#define HELPER static __attribute__((noinline))

static void slot_word(uint64_t slot, nexus_word *out) { nexus_word_from_u64(slot, out); }

HELPER void load_u256(const nexus_word *slot, nexus_u256 *out)
{
    nexus_word value;
    nexus_storage_load(slot, &value);
    *out = nexus_word_to_u256(&value);
}

HELPER void store_u256(const nexus_word *slot, const nexus_u256 *value)
{
    nexus_word word;
    nexus_u256_to_word(value, &word);
    nexus_storage_store(slot, &word);
}

HELPER void return_u256(const nexus_u256 *value)
{
    nexus_word word;
    nexus_u256_to_word(value, &word);
    nexus_return(word.bytes, 32);
}

HELPER void balance_slot(const nexus_address *owner, nexus_word *out)
{
    nexus_word key, slot;
    nexus_word_from_address(owner, &key);
    slot_word(SLOT_BALANCES, &slot);
    nexus_mapping_slot(&key, &slot, out);
}

HELPER void allowance_slot(const nexus_address *owner, const nexus_address *spender, nexus_word *out)
{
    nexus_word key, slot, inner;
    nexus_word_from_address(owner, &key);
    slot_word(SLOT_ALLOWANCES, &slot);
    nexus_mapping_slot(&key, &slot, &inner);
    nexus_word_from_address(spender, &key);
    nexus_mapping_slot(&key, &inner, out);
}

HELPER void emit3(const nexus_word *topic, const nexus_address *a, const nexus_address *b, const nexus_u256 *amount)
{
    nexus_word data;
    topics[0] = *topic;
    nexus_word_from_address(a, &topics[1]);
    nexus_word_from_address(b, &topics[2]);
    nexus_u256_to_word(amount, &data);
    nexus_emit_log(topics, 3, data.bytes, 32);
}

static int is_zero_address(const nexus_address *a)
{
    for (int i = 0; i < 20; i++) {
        if (a->bytes[i] != 0) return 0;
    }
    return 1;
}

/* Moves amount from `from` to `to`; 0 on success, else it has reverted. */
HELPER int move(const nexus_address *from, const nexus_address *to, const nexus_u256 *amount)
{
    nexus_word from_slot, to_slot;
    if (is_zero_address(to)) { nexus_revert_error("ERC20: transfer to the zero address"); return 1; }
    balance_slot(from, &from_slot);
    nexus_u256 from_balance;
    load_u256(&from_slot, &from_balance);
    if (nexus_u256_sub(&from_balance, &from_balance, amount)) {
        nexus_revert_error("ERC20: transfer amount exceeds balance");
        return 1;
    }
    store_u256(&from_slot, &from_balance);
    /* Read after the write: a transfer to oneself must see the debit. */
    balance_slot(to, &to_slot);
    nexus_u256 to_balance;
    load_u256(&to_slot, &to_balance);
    nexus_u256_add(&to_balance, &to_balance, amount); /* cannot overflow: the sum of balances is the total supply */
    store_u256(&to_slot, &to_balance);
    emit3(&TOPIC_TRANSFER, from, to, amount);
    return 0;
}

HELPER void approve(const nexus_address *owner, const nexus_address *spender, const nexus_u256 *amount)
{
    nexus_word slot;
    allowance_slot(owner, spender, &slot);
    store_u256(&slot, amount);
    emit3(&TOPIC_APPROVAL, owner, spender, amount);
}

HELPER void return_string(const char *text)
{
    nexus_abi_writer w;
    nexus_abi_writer_init(&w, result, sizeof result, 1);
    nexus_abi_put_bytes(&w, text, nexus_strlen(text));
    nexus_return(result, nexus_abi_length(&w));
}

static int bad_input(void)
{
    nexus_revert_error("ERC20: malformed call data");
    return 1;
}

NEXUS_CONSTRUCTOR(input, input_len)
{
    nexus_u256 supply;
    nexus_address deployer, zero;
    nexus_word slot;
    if (input_len != 32) { nexus_revert_error("ERC20: constructor takes (uint256 initialSupply)"); return 1; }
    nexus_word raw;
    nexus_copy(raw.bytes, input, 32);
    supply = nexus_word_to_u256(&raw);
    nexus_caller(&deployer);
    balance_slot(&deployer, &slot);
    store_u256(&slot, &supply);
    slot_word(SLOT_TOTAL_SUPPLY, &slot);
    store_u256(&slot, &supply);
    nexus_fill(zero.bytes, 0, 20);
    emit3(&TOPIC_TRANSFER, &zero, &deployer, &supply);
    return 0;
}

NEXUS_ENTRY(input, input_len)
{
    nexus_address sender, a, b;
    nexus_u256 amount;
    nexus_word slot;
    nexus_word value;
    nexus_call_value(&value);
    for (int i = 0; i < 32; i++) {
        if (value.bytes[i] != 0) { nexus_revert_error("ERC20: not payable"); return 1; }
    }
    switch (nexus_selector(input, input_len)) {
    case SEL_NAME:
        return_string(TOKEN_NAME);
        return 0;
    case SEL_SYMBOL:
        return_string(TOKEN_SYMBOL);
        return 0;
    case SEL_DECIMALS:
        amount = nexus_u256_from_u64(TOKEN_DECIMALS);
        return_u256(&amount);
        return 0;
    case SEL_TOTAL_SUPPLY:
        slot_word(SLOT_TOTAL_SUPPLY, &slot);
        load_u256(&slot, &amount);
        return_u256(&amount);
        return 0;
    case SEL_BALANCE_OF:
        if (nexus_abi_address(input, input_len, 0, &a)) return bad_input();
        balance_slot(&a, &slot);
        load_u256(&slot, &amount);
        return_u256(&amount);
        return 0;
    case SEL_ALLOWANCE:
        if (nexus_abi_address(input, input_len, 0, &a) || nexus_abi_address(input, input_len, 1, &b)) return bad_input();
        allowance_slot(&a, &b, &slot);
        load_u256(&slot, &amount);
        return_u256(&amount);
        return 0;
    case SEL_TRANSFER:
        if (nexus_abi_address(input, input_len, 0, &a) || nexus_abi_u256(input, input_len, 1, &amount)) return bad_input();
        nexus_caller(&sender);
        if (move(&sender, &a, &amount)) return 1;
        amount = nexus_u256_from_u64(1);
        return_u256(&amount);
        return 0;
    case SEL_APPROVE:
        if (nexus_abi_address(input, input_len, 0, &a) || nexus_abi_u256(input, input_len, 1, &amount)) return bad_input();
        if (is_zero_address(&a)) { nexus_revert_error("ERC20: approve to the zero address"); return 1; }
        nexus_caller(&sender);
        approve(&sender, &a, &amount);
        amount = nexus_u256_from_u64(1);
        return_u256(&amount);
        return 0;
    case SEL_TRANSFER_FROM: {
        nexus_address to;
        if (nexus_abi_address(input, input_len, 0, &a) || nexus_abi_address(input, input_len, 1, &to)
            || nexus_abi_u256(input, input_len, 2, &amount)) return bad_input();
        nexus_caller(&sender);
        allowance_slot(&a, &sender, &slot);
        nexus_u256 allowed;
        load_u256(&slot, &allowed);
        nexus_u256 all = {{~0ull, ~0ull, ~0ull, ~0ull}};
        /* An allowance of 2^256 - 1 is unlimited and never decreases (as in OpenZeppelin). */
        if (!nexus_u256_eq(&allowed, &all)) {
            if (nexus_u256_sub(&allowed, &allowed, &amount)) { nexus_revert_error("ERC20: insufficient allowance"); return 1; }
            store_u256(&slot, &allowed);
        }
        if (move(&a, &to, &amount)) return 1;
        amount = nexus_u256_from_u64(1);
        return_u256(&amount);
        return 0;
    }
    default:
        nexus_revert_error("ERC20: unknown function");
        return 1;
    }
}
