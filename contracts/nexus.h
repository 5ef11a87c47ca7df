/*
 * nexus.h - the SDK for Nexus smart contracts, first version.
 *
 * A contract is one C file compiled to a relocatable eBPF object:
 *
 *     clang-14 -target bpf -O2 -c token.c -o token.o      (contracts/build-contracts.sh does this)
 *
 * The node loads the .o itself (src/Engine/Vm/Elf): no linker, no libc.
 *
 * CALLING CONVENTION
 *
 *   Entry points. NEXUS_ENTRY(input, input_len) { ... } defines the function every call runs,
 *       uint64_t nexus_call(const uint8_t *input, uint64_t input_len)
 *   in its own section "nexus/call". NEXUS_CONSTRUCTOR(input, input_len) defines nexus_deploy in "nexus/deploy",
 *   run once when the contract is created, with the constructor input. r1 holds the address of the input (the VM's
 *   read-only input region) and r2 its length in bytes; the input is the Solidity ABI call data (a 4-byte selector,
 *   then 32-byte words), so ethers, viem and web3 call contracts with an ordinary ABI JSON.
 *
 *   Results. Returning 0 ends the call successfully with empty return data; returning anything else reverts it with
 *   empty revert data. nexus_return(data, len) ends the call successfully with return data, and nexus_revert(data,
 *   len) ends it reverting all its writes with revert data (nexus_revert_error below encodes Error(string)). Neither
 *   comes back. They are deliberately not declared noreturn: clang would then drop the instructions after the call,
 *   and the verifier requires that every path ends in exit.
 *
 *   Deployment. A creation transaction's data is a 4-byte big-endian length N, the N-byte object, then the
 *   constructor's ABI-encoded arguments (contracts/README.md); the constructor sees only the arguments as its input.
 *
 *   Host functions are the extern functions below. Each compiles to `call imm`, the loader writes the function's id
 *   (src/Engine/Vm/Elf/HostFunctionNames.cs) into imm, arguments go in r1-r5 and the result comes back in r0, as for
 *   any eBPF helper. A pointer argument is a VM address; the host checks every byte range it reads or writes, and a
 *   range outside the program's memory fails the call. A call to any other undeclared function is rejected when the
 *   contract is deployed.
 *
 *   Data. 32-byte values (storage keys and values, hashes, uint256 in calldata, log topics) are nexus_word: 32 bytes
 *   big-endian, as Ethereum writes them. nexus_u256 is the same number as four 64-bit limbs for arithmetic.
 *   Addresses are 20 bytes.
 *
 *   Memory. Globals (.data, .bss) start from their initial values on every call: state that must persist lives in
 *   storage. Each function has clang's BPF stack limit of 512 bytes, so large buffers belong in globals.
 *
 *   Not available: signed division and modulo (clang 14's BPF back end cannot emit them), floating point, function
 *   pointers, extern variables. Copy loops that clang would turn into memcpy/memset calls are an error under plain
 *   -O2; use nexus_copy and nexus_fill, or compile with -fno-builtin.
 */
#ifndef NEXUS_H
#define NEXUS_H

/* Fixed-width types from the compiler's own macros: the BPF target has no libc headers. Repeating an identical
 * typedef is allowed in C11, so <stdint.h> may still be included by native test builds. */
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT64_TYPE__ int64_t;

typedef struct { uint8_t bytes[32]; } nexus_word;
typedef struct { uint8_t bytes[20]; } nexus_address;
/* limb[0] is the least significant 64 bits. */
typedef struct { uint64_t limb[4]; } nexus_u256;

#define NEXUS_ENTRY(input, input_len) \
    __attribute__((section("nexus/call"))) uint64_t nexus_call(const uint8_t *input, uint64_t input_len)
#define NEXUS_CONSTRUCTOR(input, input_len) \
    __attribute__((section("nexus/deploy"))) uint64_t nexus_deploy(const uint8_t *input, uint64_t input_len)

/* ---- Host functions (names and ids: src/Engine/Vm/Elf/HostFunctionNames.cs) ---- */

/* Reads a storage slot of this contract; a slot never written reads as zero. */
extern void nexus_storage_load(const nexus_word *key, nexus_word *value_out);
/* Writes a storage slot. (eth_call runs writes too, on a copy of the state that is thrown away, as geth does.) */
extern void nexus_storage_store(const nexus_word *key, const nexus_word *value);
/* msg.sender, tx.origin and this contract's address. */
extern void nexus_caller(nexus_address *out);
extern void nexus_origin(nexus_address *out);
extern void nexus_self_address(nexus_address *out);
/* msg.value, and the balance of any account, in wei. */
extern void nexus_call_value(nexus_word *out);
extern void nexus_balance(const nexus_address *account, nexus_word *out);
/* Sends wei from this contract; 0 on success, 1 when its balance does not cover the amount. */
extern uint64_t nexus_transfer(const nexus_address *to, const nexus_word *amount);
/* Appends a log: topic_count (0-4) topics of 32 bytes each, then data. */
extern void nexus_emit_log(const nexus_word *topics, uint64_t topic_count, const void *data, uint64_t data_len);
extern void nexus_keccak256(const void *data, uint64_t len, nexus_word *out);
extern void nexus_sha256(const void *data, uint64_t len, nexus_word *out);
/* signature is r (32 bytes), s (32 bytes), v (1 byte, 27 or 28); 0 when a signer was recovered into out, else 1.
 * Unlike Ethereum's ecrecover precompile, a signature with s > n/2 ("high s") is refused (1): for every valid signature
 * (r, s, v) the twin (r, n - s, v ^ 1) recovers the same signer, so a contract that remembers used signatures could be
 * replayed with the twin. Wallets and libsecp256k1 produce low s (EIP-2 requires it of transactions), and Solidity code
 * gets the same rule from OpenZeppelin's ECDSA.recover, so nothing valid is lost. */
extern uint64_t nexus_ecrecover(const nexus_word *hash, const uint8_t signature[65], nexus_address *out);
extern uint64_t nexus_block_number(void);
/* Seconds since the Unix epoch. */
extern uint64_t nexus_block_timestamp(void);
/* End the call (see CALLING CONVENTION); control does not come back. */
extern void nexus_return(const void *data, uint64_t len);
extern void nexus_revert(const void *data, uint64_t len);
/* Calls another contract with value (wei) and at most gas; 0 on success, 1 when it reverted or failed. Its return or
 * revert data is then available through nexus_return_data_size and nexus_return_data_copy. */
extern uint64_t nexus_call_contract(const nexus_address *to, const nexus_word *value, const void *input,
                                    uint64_t input_len, uint64_t gas);
/* A read-only call (EIP-214's STATICCALL): no value, and the callee, and every call it makes in turn, may not change
 * state. A storage write, a log, a transfer or a call with value there fails that callee, which consumes the gas it
 * was given, and this returns 1. 0 on success; return or revert data as for nexus_call_contract. Use it to read from
 * contracts you do not trust not to write (balances, prices, views). */
extern uint64_t nexus_static_call(const nexus_address *to, const void *input, uint64_t input_len, uint64_t gas);
extern uint64_t nexus_return_data_size(void);
/* Copies len bytes from offset of the last call's return data; 0 on success, 1 when the range is out of bounds. */
extern uint64_t nexus_return_data_copy(void *destination, uint64_t offset, uint64_t len);
extern uint64_t nexus_gas_left(void);

/* ---- Memory ---- */

/* no_builtin keeps clang from turning these loops back into memcpy/memset calls, which BPF cannot make. Other
 * compilers (native builds of the differential tests) do not need it. */
#if defined(__clang__)
#define NEXUS_NO_BUILTIN __attribute__((no_builtin))
#else
#define NEXUS_NO_BUILTIN
#endif

static inline NEXUS_NO_BUILTIN void nexus_copy(void *destination, const void *source, uint64_t len)
{
    uint8_t *d = (uint8_t *)destination;
    const uint8_t *s = (const uint8_t *)source;
    for (uint64_t i = 0; i < len; i++) d[i] = s[i];
}

/* 8 bytes at p as one value, in memory order, and back. The Nexus VM checks the bounds of every access but requires
 * no alignment, so a BPF build moves all 8 bytes with one load or store (the kernel's verifier would refuse this; the
 * Nexus VM is the target). Other compilers go through memcpy, their portable unaligned access. */
static inline uint64_t nexus__load64(const uint8_t *p)
{
#if defined(__bpf__)
    return *(const uint64_t *)p;
#else
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    return v;
#endif
}

static inline void nexus__store64(uint8_t *p, uint64_t v)
{
#if defined(__bpf__)
    *(uint64_t *)p = v;
#else
    __builtin_memcpy(p, &v, 8);
#endif
}

static inline NEXUS_NO_BUILTIN void nexus_fill(void *destination, uint8_t value, uint64_t len)
{
    uint8_t *d = (uint8_t *)destination;
    uint64_t i = 0;
    uint64_t pattern = value * 0x0101010101010101ull;
    for (; i + 8 <= len; i += 8) nexus__store64(d + i, pattern);
    for (; i < len; i++) d[i] = value;
}

static inline NEXUS_NO_BUILTIN int nexus_equal(const void *a, const void *b, uint64_t len)
{
    const uint8_t *x = (const uint8_t *)a, *y = (const uint8_t *)b;
    uint64_t difference = 0, i = 0;
    for (; i + 8 <= len; i += 8) difference |= nexus__load64(x + i) ^ nexus__load64(y + i);
    for (; i < len; i++) difference |= (uint8_t)(x[i] ^ y[i]);
    return difference == 0;
}

static inline uint64_t nexus_strlen(const char *text)
{
    uint64_t n = 0;
    while (text[n] != 0) n++;
    return n;
}

/* ---- 256-bit unsigned arithmetic ---- */

static inline nexus_u256 nexus_u256_from_u64(uint64_t value)
{
    nexus_u256 r = {{value, 0, 0, 0}};
    return r;
}

static inline int nexus_u256_is_zero(const nexus_u256 *a)
{
    return (a->limb[0] | a->limb[1] | a->limb[2] | a->limb[3]) == 0;
}

static inline int nexus_u256_eq(const nexus_u256 *a, const nexus_u256 *b)
{
    return a->limb[0] == b->limb[0] && a->limb[1] == b->limb[1] && a->limb[2] == b->limb[2] && a->limb[3] == b->limb[3];
}

/* -1, 0 or 1 as a is below, equal to or above b. */
static inline int nexus_u256_cmp(const nexus_u256 *a, const nexus_u256 *b)
{
    for (int i = 3; i >= 0; i--) {
        if (a->limb[i] != b->limb[i]) return a->limb[i] < b->limb[i] ? -1 : 1;
    }
    return 0;
}

/* r = a + b mod 2^256; returns 1 when the sum overflowed. r may alias a or b. */
static inline int nexus_u256_add(nexus_u256 *r, const nexus_u256 *a, const nexus_u256 *b)
{
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t x = a->limb[i], sum = x + b->limb[i];
        uint64_t c1 = sum < x;
        uint64_t total = sum + carry;
        carry = c1 | (total < sum);
        r->limb[i] = total;
    }
    return (int)carry;
}

/* r = a - b mod 2^256; returns 1 when b was larger than a. r may alias a or b. */
static inline int nexus_u256_sub(nexus_u256 *r, const nexus_u256 *a, const nexus_u256 *b)
{
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t x = a->limb[i], y = b->limb[i];
        uint64_t difference = x - y;
        uint64_t b1 = x < y;
        uint64_t total = difference - borrow;
        borrow = b1 | (difference < borrow);
        r->limb[i] = total;
    }
    return (int)borrow;
}

/* The full 128-bit product of two 64-bit numbers, from 32-bit halves (BPF has no 64x64->128 multiply). */
static inline void nexus__mul64(uint64_t a, uint64_t b, uint64_t *low, uint64_t *high)
{
    uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t middle = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
    *low = (middle << 32) | (p00 & 0xffffffffu);
    *high = p11 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
}

/* r = a * b mod 2^256; returns 1 when the product overflowed. r may alias a or b. */
static inline int nexus_u256_mul(nexus_u256 *r, const nexus_u256 *a, const nexus_u256 *b)
{
    uint64_t out[4] = {0, 0, 0, 0};
    int overflow = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        if (a->limb[i] == 0) continue;
        for (int j = 0; j < 4; j++) {
            if (i + j >= 4) {
                if (b->limb[j] != 0 || carry != 0) overflow = 1;
                carry = 0;
                continue;
            }
            uint64_t low, high;
            nexus__mul64(a->limb[i], b->limb[j], &low, &high);
            uint64_t t = out[i + j] + low;
            uint64_t c1 = t < low;
            uint64_t t2 = t + carry;
            uint64_t c2 = t2 < carry;
            out[i + j] = t2;
            carry = high + c1 + c2; /* high <= 2^64 - 2, so this cannot wrap */
        }
        if (carry != 0) overflow = 1;
    }
    for (int i = 0; i < 4; i++) r->limb[i] = out[i];
    return overflow;
}

static inline void nexus__shl1(nexus_u256 *a)
{
    a->limb[3] = (a->limb[3] << 1) | (a->limb[2] >> 63);
    a->limb[2] = (a->limb[2] << 1) | (a->limb[1] >> 63);
    a->limb[1] = (a->limb[1] << 1) | (a->limb[0] >> 63);
    a->limb[0] <<= 1;
}

/* quotient = a / b, remainder = a % b (bit by bit, 256 steps); returns 1 and leaves both zero when b is zero. */
static inline int nexus_u256_divmod(nexus_u256 *quotient, nexus_u256 *remainder, const nexus_u256 *a, const nexus_u256 *b)
{
    nexus_u256 q = {{0, 0, 0, 0}}, rem = {{0, 0, 0, 0}};
    if (nexus_u256_is_zero(b)) {
        *quotient = q;
        *remainder = rem;
        return 1;
    }
    for (int bit = 255; bit >= 0; bit--) {
        nexus__shl1(&rem);
        rem.limb[0] |= (a->limb[bit >> 6] >> (bit & 63)) & 1;
        nexus__shl1(&q);
        if (nexus_u256_cmp(&rem, b) >= 0) {
            nexus_u256_sub(&rem, &rem, b);
            q.limb[0] |= 1;
        }
    }
    *quotient = q;
    *remainder = rem;
    return 0;
}

/* ---- Words: 32 bytes big-endian ---- */

/* A word's limbs are big-endian 8-byte groups: one load and a byte swap each (BPF's be64 on this little-endian VM). */
static inline nexus_u256 nexus_word_to_u256(const nexus_word *w)
{
    nexus_u256 r;
    for (int limb = 0; limb < 4; limb++) r.limb[limb] = __builtin_bswap64(nexus__load64(w->bytes + 24 - 8 * limb));
    return r;
}

static inline void nexus_u256_to_word(const nexus_u256 *a, nexus_word *out)
{
    for (int limb = 0; limb < 4; limb++) nexus__store64(out->bytes + 24 - 8 * limb, __builtin_bswap64(a->limb[limb]));
}

static inline void nexus_word_from_u64(uint64_t value, nexus_word *out)
{
    nexus_u256 v = nexus_u256_from_u64(value);
    nexus_u256_to_word(&v, out);
}

/* An address is the low 20 bytes of a word; the top 12 bytes are zero. */
static inline void nexus_word_from_address(const nexus_address *a, nexus_word *out)
{
    nexus_fill(out->bytes, 0, 12);
    nexus_copy(out->bytes + 12, a->bytes, 20);
}

/* 0 when the word holds a valid address (top 12 bytes zero), else 1. */
static inline int nexus_word_to_address(const nexus_word *w, nexus_address *out)
{
    for (int i = 0; i < 12; i++) {
        if (w->bytes[i] != 0) return 1;
    }
    nexus_copy(out->bytes, w->bytes + 12, 20);
    return 0;
}

/* ---- Solidity ABI: decoding call data ---- */

#define NEXUS_ABI_WORD 32u
#define NEXUS_ERROR_SELECTOR 0x08c379a0u /* Error(string) */

/* The 4-byte function selector, big-endian, or 0 when the input is shorter than 4 bytes (no function is called). */
static inline uint32_t nexus_selector(const uint8_t *input, uint64_t input_len)
{
    if (input_len < 4) return 0;
    return ((uint32_t)input[0] << 24) | ((uint32_t)input[1] << 16) | ((uint32_t)input[2] << 8) | (uint32_t)input[3];
}

/* Copies argument word `index` (after the selector); 0 on success, 1 when the input is too short. */
static inline int nexus_abi_word(const uint8_t *input, uint64_t input_len, uint64_t index, nexus_word *out)
{
    uint64_t at = 4 + index * NEXUS_ABI_WORD;
    if (index > input_len || input_len < at + NEXUS_ABI_WORD) return 1;
    nexus_copy(out->bytes, input + at, NEXUS_ABI_WORD);
    return 0;
}

static inline int nexus_abi_u256(const uint8_t *input, uint64_t input_len, uint64_t index, nexus_u256 *out)
{
    nexus_word w;
    if (nexus_abi_word(input, input_len, index, &w)) return 1;
    *out = nexus_word_to_u256(&w);
    return 0;
}

/* A uint that must fit in 64 bits (e.g. uint8 decimals, uint64 ids); 1 when it is larger or missing. */
static inline int nexus_abi_u64(const uint8_t *input, uint64_t input_len, uint64_t index, uint64_t *out)
{
    nexus_u256 v;
    if (nexus_abi_u256(input, input_len, index, &v)) return 1;
    if ((v.limb[1] | v.limb[2] | v.limb[3]) != 0) return 1;
    *out = v.limb[0];
    return 0;
}

static inline int nexus_abi_address(const uint8_t *input, uint64_t input_len, uint64_t index, nexus_address *out)
{
    nexus_word w;
    if (nexus_abi_word(input, input_len, index, &w)) return 1;
    return nexus_word_to_address(&w, out);
}

/* A bool must be encoded as 0 or 1; anything else is malformed input (1). */
static inline int nexus_abi_bool(const uint8_t *input, uint64_t input_len, uint64_t index, int *out)
{
    nexus_u256 v;
    if (nexus_abi_u256(input, input_len, index, &v)) return 1;
    if ((v.limb[1] | v.limb[2] | v.limb[3]) != 0 || v.limb[0] > 1) return 1;
    *out = (int)v.limb[0];
    return 0;
}

/* A dynamic `bytes` or `string` argument: its head word holds the offset of a length word, relative to the start of
 * the arguments, followed by the data. On success *data points into input. 1 when any part is out of bounds. */
static inline int nexus_abi_bytes(const uint8_t *input, uint64_t input_len, uint64_t index,
                                  const uint8_t **data, uint64_t *data_len)
{
    uint64_t offset, length;
    if (nexus_abi_u64(input, input_len, index, &offset)) return 1;
    uint64_t arguments_len = input_len - 4; /* nexus_abi_u64 succeeded, so input_len >= 36 */
    if (offset > arguments_len || arguments_len - offset < NEXUS_ABI_WORD) return 1;
    const uint8_t *length_word = input + 4 + offset;
    for (int i = 0; i < 24; i++) {
        if (length_word[i] != 0) return 1;
    }
    length = 0;
    for (int i = 24; i < 32; i++) length = (length << 8) | length_word[i];
    if (length > arguments_len - offset - NEXUS_ABI_WORD) return 1;
    *data = length_word + NEXUS_ABI_WORD;
    *data_len = length;
    return 0;
}

/* ---- Solidity ABI: encoding results and events ---- */

/* Writes an ABI tuple into buffer: head_words fixed slots first, then the tails of dynamic values. Any write that does
 * not fit sets overflow and writes nothing; check it once at the end. */
typedef struct {
    uint8_t *buffer;
    uint64_t capacity;
    uint64_t head;      /* next head slot's byte offset */
    uint64_t tail;      /* end of the tails; the encoded length once all slots are written */
    int overflow;
} nexus_abi_writer;

static inline void nexus_abi_writer_init(nexus_abi_writer *w, uint8_t *buffer, uint64_t capacity, uint64_t head_words)
{
    w->buffer = buffer;
    w->capacity = capacity;
    w->head = 0;
    w->tail = head_words * NEXUS_ABI_WORD;
    w->overflow = w->tail > capacity;
}

static inline void nexus_abi_put_word(nexus_abi_writer *w, const nexus_word *value)
{
    if (w->overflow || w->head + NEXUS_ABI_WORD > w->capacity) {
        w->overflow = 1;
        return;
    }
    nexus_copy(w->buffer + w->head, value->bytes, NEXUS_ABI_WORD);
    w->head += NEXUS_ABI_WORD;
}

static inline void nexus_abi_put_u256(nexus_abi_writer *w, const nexus_u256 *value)
{
    nexus_word word;
    nexus_u256_to_word(value, &word);
    nexus_abi_put_word(w, &word);
}

static inline void nexus_abi_put_u64(nexus_abi_writer *w, uint64_t value)
{
    nexus_word word;
    nexus_word_from_u64(value, &word);
    nexus_abi_put_word(w, &word);
}

static inline void nexus_abi_put_bool(nexus_abi_writer *w, int value)
{
    nexus_abi_put_u64(w, value ? 1 : 0);
}

static inline void nexus_abi_put_address(nexus_abi_writer *w, const nexus_address *value)
{
    nexus_word word;
    nexus_word_from_address(value, &word);
    nexus_abi_put_word(w, &word);
}

/* A dynamic bytes or string: the head slot gets the tail's offset; the tail gets the length and the data padded with
 * zeros to a whole number of words. */
static inline void nexus_abi_put_bytes(nexus_abi_writer *w, const void *data, uint64_t len)
{
    uint64_t padded = (len + NEXUS_ABI_WORD - 1) / NEXUS_ABI_WORD * NEXUS_ABI_WORD;
    if (w->overflow || len > w->capacity || w->tail + NEXUS_ABI_WORD + padded > w->capacity) {
        w->overflow = 1;
        return;
    }
    uint64_t at = w->tail;
    nexus_abi_put_u64(w, at);
    if (w->overflow) return;
    nexus_word length;
    nexus_word_from_u64(len, &length);
    nexus_copy(w->buffer + at, length.bytes, NEXUS_ABI_WORD);
    nexus_copy(w->buffer + at + NEXUS_ABI_WORD, data, len);
    nexus_fill(w->buffer + at + NEXUS_ABI_WORD + len, 0, padded - len);
    w->tail = at + NEXUS_ABI_WORD + padded;
}

/* Length of the encoded tuple (valid when overflow is 0 and every head slot was written). */
static inline uint64_t nexus_abi_length(const nexus_abi_writer *w)
{
    return w->tail;
}

/* ---- Results ---- */

/* Room for the results and revert messages the helpers below encode. */
#ifndef NEXUS_SCRATCH_SIZE
#define NEXUS_SCRATCH_SIZE 1024
#endif
static __attribute__((unused)) uint8_t nexus_scratch[NEXUS_SCRATCH_SIZE];

static inline void nexus_return_u256(const nexus_u256 *value)
{
    nexus_word word;
    nexus_u256_to_word(value, &word);
    nexus_return(word.bytes, NEXUS_ABI_WORD);
}

static inline void nexus_return_bool(int value)
{
    nexus_u256 v = nexus_u256_from_u64(value ? 1 : 0);
    nexus_return_u256(&v);
}

/* Reverts with Error(string), which ethers and viem decode into the message of the "execution reverted" error. */
static inline void nexus_revert_error(const char *message)
{
    uint64_t len = nexus_strlen(message);
    nexus_scratch[0] = (uint8_t)(NEXUS_ERROR_SELECTOR >> 24);
    nexus_scratch[1] = (uint8_t)(NEXUS_ERROR_SELECTOR >> 16);
    nexus_scratch[2] = (uint8_t)(NEXUS_ERROR_SELECTOR >> 8);
    nexus_scratch[3] = (uint8_t)NEXUS_ERROR_SELECTOR;
    nexus_abi_writer w;
    nexus_abi_writer_init(&w, nexus_scratch + 4, NEXUS_SCRATCH_SIZE - 4, 1);
    nexus_abi_put_bytes(&w, message, len);
    if (w.overflow) {
        nexus_revert(nexus_scratch, 4); /* a message too long for the scratch buffer: the selector alone */
        return;
    }
    nexus_revert(nexus_scratch, 4 + nexus_abi_length(&w));
}

/* ---- Storage ---- */

static inline nexus_u256 nexus_storage_load_u256(const nexus_word *key)
{
    nexus_word value;
    nexus_storage_load(key, &value);
    return nexus_word_to_u256(&value);
}

static inline void nexus_storage_store_u256(const nexus_word *key, const nexus_u256 *value)
{
    nexus_word word;
    nexus_u256_to_word(value, &word);
    nexus_storage_store(key, &word);
}

/* The slot of mapping[key] for a mapping declared at slot `slot`, as Solidity lays it out:
 * keccak256(key . slot), both as 32-byte words. Nesting (mapping of mappings) applies it twice. */
static inline void nexus_mapping_slot(const nexus_word *key, const nexus_word *slot, nexus_word *out)
{
    uint8_t buffer[64];
    nexus_copy(buffer, key->bytes, 32);
    nexus_copy(buffer + 32, slot->bytes, 32);
    nexus_keccak256(buffer, 64, out);
}

/* ---- Helpers kept out of line ----
 * Each has its own 512-byte BPF stack frame instead of adding to its callers', and answers through pointers (the BPF
 * back end cannot return a struct from a call that is not inlined). `inline` only spares a contract that does not use
 * one the unused-function warning. */
#define NEXUS_HELPER static inline __attribute__((noinline))

/* A counter, flag, id or time kept in the low 64 bits of a slot (the high bits are not read). */
NEXUS_HELPER uint64_t nexus_storage_load_u64(const nexus_word *key)
{
    nexus_word value;
    nexus_storage_load(key, &value);
    uint64_t r = 0;
    for (int i = 24; i < 32; i++) r = (r << 8) | value.bytes[i];
    return r;
}

NEXUS_HELPER void nexus_storage_store_u64(const nexus_word *key, uint64_t value)
{
    nexus_word word;
    nexus_word_from_u64(value, &word);
    nexus_storage_store(key, &word);
}

/* Field `field` of entry `key` of a mapping of structs declared at slot `slot`, as Solidity lays it out:
 * keccak256(key . slot) + field. */
NEXUS_HELPER void nexus_mapping_field_slot(const nexus_word *key, uint64_t slot, uint64_t field, nexus_word *out)
{
    nexus_word s;
    nexus_word_from_u64(slot, &s);
    nexus_mapping_slot(key, &s, out);
    nexus_u256 base = nexus_word_to_u256(out), offset = nexus_u256_from_u64(field);
    nexus_u256_add(&base, &base, &offset);
    nexus_u256_to_word(&base, out);
}

/* mapping[outer][inner] of a mapping of mappings declared at slot `slot`: keccak256(inner . keccak256(outer . slot)). */
NEXUS_HELPER void nexus_nested_mapping_slot(const nexus_word *outer, const nexus_word *inner, uint64_t slot, nexus_word *out)
{
    nexus_word s, middle;
    nexus_word_from_u64(slot, &s);
    nexus_mapping_slot(outer, &s, &middle);
    nexus_mapping_slot(inner, &middle, out);
}

/* Stores len bytes of data in entry `key` of a mapping of structs at slot `slot`: the length in field `field`, the
 * bytes in the fields after it, 32 per field, the last zero-padded (this SDK's layout for a stored byte string, e.g.
 * the call data of a proposal). */
NEXUS_HELPER void nexus_storage_store_bytes(const nexus_word *key, uint64_t slot, uint64_t field, const uint8_t *data,
                                            uint64_t len)
{
    nexus_word at, word;
    nexus_mapping_field_slot(key, slot, field, &at);
    nexus_storage_store_u64(&at, len);
    for (uint64_t done = 0, index = 1; done < len; done += 32, index++) {
        nexus_fill(word.bytes, 0, 32);
        nexus_copy(word.bytes, data + done, len - done < 32 ? len - done : 32);
        nexus_mapping_field_slot(key, slot, field + index, &at);
        nexus_storage_store(&at, &word);
    }
}

/* Reads back what nexus_storage_store_bytes stored into out, whole words at a time; returns the length, or
 * (uint64_t)-1, copying nothing, when its words do not fit in capacity bytes. */
NEXUS_HELPER uint64_t nexus_storage_load_bytes(const nexus_word *key, uint64_t slot, uint64_t field, uint8_t *out,
                                               uint64_t capacity)
{
    nexus_word at, word;
    nexus_mapping_field_slot(key, slot, field, &at);
    uint64_t len = nexus_storage_load_u64(&at);
    if (len > capacity || (len + 31) / 32 * 32 > capacity) return (uint64_t)-1;
    for (uint64_t done = 0, index = 1; done < len; done += 32, index++) {
        nexus_mapping_field_slot(key, slot, field + index, &at);
        nexus_storage_load(&at, &word);
        nexus_copy(out + done, word.bytes, 32);
    }
    return len;
}

/* Reverts with Error(message) and returns 1, for `return nexus_fail("...")` in functions whose nonzero result means
 * "has reverted". */
NEXUS_HELPER int nexus_fail(const char *message)
{
    nexus_revert_error(message);
    return 1;
}

/* Emits an event: topic 0 is keccak256(signature) (e.g. "Transfer(address,address,uint256)"), then first and second
 * as indexed topics when they are not null, and the data. */
NEXUS_HELPER void nexus_emit_event(const char *signature, const nexus_word *first, const nexus_word *second,
                                   const void *data, uint64_t data_len)
{
    nexus_word topics[3];
    nexus_keccak256(signature, nexus_strlen(signature), &topics[0]);
    uint64_t count = 1;
    if (first) topics[count++] = *first;
    if (second) topics[count++] = *second;
    nexus_emit_log(topics, count, data, data_len);
}

/* Calls `to` with value and input and all the gas left. When the callee fails, reverts with the callee's revert data,
 * so that whoever called this contract sees why, or with Error(message) when there is none or it is larger than
 * NEXUS_SCRATCH_SIZE (define that before including nexus.h for more). 0 on success, 1 once it has reverted. */
NEXUS_HELPER int nexus_call_or_revert(const nexus_address *to, const nexus_word *value, const void *input, uint64_t input_len,
                                      const char *message)
{
    if (nexus_call_contract(to, value, input, input_len, nexus_gas_left()) == 0) return 0;
    uint64_t size = nexus_return_data_size();
    if (size == 0 || size > NEXUS_SCRATCH_SIZE || nexus_return_data_copy(nexus_scratch, 0, size)) return nexus_fail(message);
    nexus_revert(nexus_scratch, size);
    return 1;
}

#endif /* NEXUS_H */
