/* The called half of the static-call pair (StaticCallTests.cs): one read-only function and one for each kind of state
 * change a read-only call must refuse. Selectors are small numbers; the call takes no arguments. */
#include "nexus.h"

#define SEL_VIEW 1u        /* returns slot 0 (the constructor stores 42 there) */
#define SEL_STORE 2u       /* writes slot 0 */
#define SEL_LOG 3u         /* emits a log */
#define SEL_TRANSFER 4u    /* sends 1 wei to its caller */
#define SEL_CALL_VALUE 5u  /* calls its caller with 1 wei */
#define SEL_NESTED 6u      /* calls itself (no value) with SEL_STORE: read-only too when this frame is */
#define SEL_NESTED_VIEW 7u /* calls itself (no value) with SEL_VIEW and returns what that returned */

static const nexus_word TOPIC = {{0x57}};
static uint8_t nested_input[4];

static nexus_word slot0(void)
{
    nexus_word w;
    nexus_word_from_u64(0, &w);
    return w;
}

NEXUS_CONSTRUCTOR(input, input_len)
{
    (void)input;
    (void)input_len;
    nexus_word key = slot0(), value;
    nexus_word_from_u64(42, &value);
    nexus_storage_store(&key, &value);
    return 0;
}

static uint64_t call_self(uint32_t selector)
{
    nexus_address self;
    nexus_word zero;
    nexus_self_address(&self);
    nexus_word_from_u64(0, &zero);
    nested_input[0] = (uint8_t)(selector >> 24);
    nested_input[1] = (uint8_t)(selector >> 16);
    nested_input[2] = (uint8_t)(selector >> 8);
    nested_input[3] = (uint8_t)selector;
    return nexus_call_contract(&self, &zero, nested_input, sizeof nested_input, nexus_gas_left());
}

NEXUS_ENTRY(input, input_len)
{
    nexus_word key = slot0(), value;
    nexus_address caller;
    nexus_caller(&caller);
    switch (nexus_selector(input, input_len)) {
    case SEL_VIEW:
        nexus_storage_load(&key, &value);
        nexus_return(value.bytes, 32);
        return 0;
    case SEL_STORE:
        nexus_word_from_u64(7, &value);
        nexus_storage_store(&key, &value);
        return 0;
    case SEL_LOG:
        nexus_emit_log(&TOPIC, 1, 0, 0);
        return 0;
    case SEL_TRANSFER:
        nexus_word_from_u64(1, &value);
        return nexus_transfer(&caller, &value);
    case SEL_CALL_VALUE:
        nexus_word_from_u64(1, &value);
        return nexus_call_contract(&caller, &value, 0, 0, nexus_gas_left());
    case SEL_NESTED:
        return call_self(SEL_STORE);
    case SEL_NESTED_VIEW: {
        if (call_self(SEL_VIEW) != 0) return 1;
        nexus_return_data_copy(value.bytes, 0, 32);
        nexus_return(value.bytes, 32);
        return 0;
    }
    default:
        return 1;
    }
}
