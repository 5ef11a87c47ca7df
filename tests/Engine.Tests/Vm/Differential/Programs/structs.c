/* Structs: padding and member offsets of mixed widths, arrays of structs, nesting, bit-fields, structs copied by value
 * and passed by pointer. The layout rules of the BPF and x86-64 ABIs agree for these types. */
#include "diff.h"

#define NOINLINE __attribute__((noinline))

struct mixed {
    u8 tag;
    u32 count;
    s16 delta;
    u64 total;
    s8 small;
};

struct flags {
    u32 low : 3;
    u32 middle : 7;
    s32 signed_part : 6;
    u32 high : 16;
};

struct point { s32 x, y; };
struct segment { struct point from, to; u16 weight; };

static NOINLINE void update(struct mixed *m, u64 v)
{
    m->tag = (u8)(m->tag + v);
    m->count = m->count * 3 + (u32)v;
    m->delta = (s16)(m->delta - (s16)(v & 0x7ff));
    m->total += v * m->count;
    m->small = (s8)(m->small ^ (s8)v);
}

static NOINLINE u64 digest(const struct mixed *m)
{
    return (u64)m->tag ^ (u64)m->count << 8 ^ (u64)(s64)m->delta << 20 ^ m->total ^ (u64)(s64)m->small << 40;
}

static NOINLINE u64 mixed_array(u64 x, u64 y)
{
    struct mixed items[6];
    for (int i = 0; i < 6; i++) {
        items[i].tag = (u8)i;
        items[i].count = (u32)(x >> i);
        items[i].delta = (s16)(y >> (i * 3));
        items[i].total = x ^ y;
        items[i].small = (s8)(i - 3);
    }
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 6; i++) update(&items[i], y + (u64)round * 17 + (u64)i);
    }
    struct mixed copy = items[(x ^ y) % 6]; /* a struct copied by value */
    update(&copy, 5);
    u64 acc = digest(&copy);
    for (int i = 0; i < 6; i++) acc = acc * 3 + digest(&items[i]);
    return acc + sizeof(struct mixed) * 1000 + __builtin_offsetof(struct mixed, total);
}

static NOINLINE u64 bitfields(u64 x, u64 y)
{
    struct flags f;
    f.low = (u32)x;
    f.middle = (u32)(x >> 3);
    f.signed_part = (s32)((x >> 10) & 0x3f) - 32;
    f.high = (u32)(y >> 5);
    for (int i = 0; i < 5; i++) {
        f.low += 1;
        f.middle = (u32)(f.middle * 3u + f.low);
        f.signed_part = (s32)(f.signed_part * 5) - 7 * (s32)(f.low & 1); /* signed % is out of reach for clang 14 BPF */
        f.high ^= (u32)(f.middle << 4);
    }
    return (u64)f.low | (u64)f.middle << 3 | (u64)(s64)f.signed_part << 10 | (u64)f.high << 40;
}

static NOINLINE s64 cross(const struct segment *s)
{
    return (s64)(s->to.x - s->from.x) * (s64)(s->to.y + s->from.y);
}

static NOINLINE u64 shoelace(u64 x, u64 y)
{
    struct segment segments[8];
    struct point p = {(s32)(x & 0xfff), (s32)(y & 0xfff)};
    for (int i = 0; i < 8; i++) {
        struct point q = {p.x + (s32)((x >> (i * 4)) & 0xf) - 7, p.y + (s32)((y >> (i * 4)) & 0xf) - 7};
        segments[i].from = p;
        segments[i].to = q;
        segments[i].weight = (u16)(i * 1000 + (int)(x & 0xff));
        p = q;
    }
    s64 area = 0;
    u64 weights = 0;
    for (int i = 0; i < 8; i++) {
        area += cross(&segments[i]);
        weights += segments[i].weight;
    }
    return (u64)area ^ weights << 32;
}

DIFF_ENTRY u64 diff_main(u64 a, u64 b, u64 c, u64 d)
{
    switch (a % 3) {
    case 0: return mixed_array(b, c ^ d);
    case 1: return bitfields(b, c);
    default: return shoelace(b, c);
    }
}
