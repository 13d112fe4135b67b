/* Scalar arithmetic modulo n with Montgomery multiplication (R = 2^320). Values stay in
 * normal (non-Montgomery) form between calls; a product is montmul(montmul(a, R^2), b). */
#include "exchanges/lighter/scalar.h"

#include <string.h>

typedef unsigned __int128 u128;

const lighter_scalar lighter_scalar_order = {{
    0xE80FD996948BFFE1ULL, 0xE8885C39D724A09CULL, 0x7FFFFFE6CFB80639ULL, 0x7FFFFFF100000016ULL, 0x7FFFFFFD80000007ULL,
}};
/* -1/n mod 2^64 and R^2 = 2^640 mod n. test_lighter_scalar.c recomputes both from n. */
#define N0_INVERSE 0xD78BEF72057B7BDFULL
static const uint64_t R_SQUARED[5] = {
    0xA01001DCE33DC739ULL, 0x6C3228D33F62ACCFULL, 0xD1D796CC91CF8525ULL, 0xAADFFF5D1574C1D8ULL, 0x4ACA13B28CA251F5ULL,
};

static const uint64_t *const N = lighter_scalar_order.v;

/* r = a - b over 5 limbs; returns the final borrow (0 or 1). */
static uint64_t sub_raw(uint64_t r[5], const uint64_t a[5], const uint64_t b[5]) {
    uint64_t borrow = 0;
    for (int i = 0; i < 5; i++) {
        u128 d = (u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

/* r = a - n when a >= n (a < 2n + 2^320 - 2^320, i.e. any 320-bit value < 2n), else a. */
static void reduce_once(uint64_t r[5], const uint64_t a[5]) {
    uint64_t t[5];
    uint64_t borrow = sub_raw(t, a, N);
    uint64_t keep_a = (uint64_t)0 - borrow;
    for (int i = 0; i < 5; i++) r[i] = t[i] ^ (keep_a & (t[i] ^ a[i]));
}

/* Montgomery product a·b/2^320 mod n for a < n, b < 2^320 (result < 2n before the final
 * conditional subtraction, so one subtraction suffices). */
static void montgomery_mul(uint64_t r[5], const uint64_t a[5], const uint64_t b[5]) {
    uint64_t t[7] = {0};
    for (int i = 0; i < 5; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 5; j++) {
            u128 z = (u128)a[j] * b[i] + t[j] + carry;
            t[j] = (uint64_t)z;
            carry = (uint64_t)(z >> 64);
        }
        u128 z = (u128)t[5] + carry;
        t[5] = (uint64_t)z;
        t[6] = (uint64_t)(z >> 64);
        uint64_t m = t[0] * N0_INVERSE;            /* makes t + m·n divisible by 2^64 */
        z = (u128)m * N[0] + t[0];
        carry = (uint64_t)(z >> 64);
        for (int j = 1; j < 5; j++) {
            z = (u128)m * N[j] + t[j] + carry;
            t[j - 1] = (uint64_t)z;
            carry = (uint64_t)(z >> 64);
        }
        z = (u128)t[5] + carry;
        t[4] = (uint64_t)z;
        t[5] = t[6] + (uint64_t)(z >> 64);
    }
    reduce_once(r, t);
}

void lighter_scalar_zero(lighter_scalar *r) { memset(r, 0, sizeof *r); }

void lighter_scalar_set_u64(lighter_scalar *r, uint64_t v) {
    lighter_scalar_zero(r);
    r->v[0] = v;   /* any 64-bit value is < n */
}

static void load_le(uint64_t v[5], const uint8_t in[LIGHTER_SCALAR_BYTES]) {
    for (int i = 0; i < 5; i++) {
        v[i] = 0;
        for (int j = 0; j < 8; j++) v[i] |= (uint64_t)in[8 * i + j] << (8 * j);
    }
}

/* Any 320-bit value is < 3n (n > 2^318.99), so two conditional subtractions reduce it. */
static void reduce_320(uint64_t r[5], const uint64_t a[5]) {
    reduce_once(r, a);
    reduce_once(r, r);
}

void lighter_scalar_from_bytes_reduce(lighter_scalar *r, const uint8_t in[LIGHTER_SCALAR_BYTES]) {
    uint64_t v[5];
    load_le(v, in);
    reduce_320(r->v, v);
}

int lighter_scalar_from_bytes_canonical(lighter_scalar *r, const uint8_t in[LIGHTER_SCALAR_BYTES]) {
    uint64_t v[5], t[5];
    load_le(v, in);
    uint64_t below_n = sub_raw(t, v, N);     /* borrow = 1 exactly when v < n */
    reduce_320(r->v, v);
    return (int)below_n;
}

void lighter_scalar_to_bytes(uint8_t out[LIGHTER_SCALAR_BYTES], const lighter_scalar *a) {
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 8; j++) out[8 * i + j] = (uint8_t)(a->v[i] >> (8 * j));
}

void lighter_scalar_from_fp5(lighter_scalar *r, const lighter_fp5 *h) {
    uint64_t v[5];
    for (int i = 0; i < 5; i++) v[i] = lighter_gf_canonical(h->c[i]);
    reduce_320(r->v, v);
}

void lighter_scalar_add(lighter_scalar *r, const lighter_scalar *a, const lighter_scalar *b) {
    /* a + b < 2n < 2^320: no carry out of limb 4. */
    uint64_t s[5], carry = 0;
    for (int i = 0; i < 5; i++) {
        u128 z = (u128)a->v[i] + b->v[i] + carry;
        s[i] = (uint64_t)z;
        carry = (uint64_t)(z >> 64);
    }
    reduce_once(r->v, s);
}

void lighter_scalar_sub(lighter_scalar *r, const lighter_scalar *a, const lighter_scalar *b) {
    uint64_t d[5];
    uint64_t borrow = sub_raw(d, a->v, b->v);
    uint64_t mask = (uint64_t)0 - borrow, carry = 0;
    for (int i = 0; i < 5; i++) {     /* add n back when the difference went negative */
        u128 z = (u128)d[i] + (N[i] & mask) + carry;
        r->v[i] = (uint64_t)z;
        carry = (uint64_t)(z >> 64);
    }
}

void lighter_scalar_neg(lighter_scalar *r, const lighter_scalar *a) {
    lighter_scalar zero;
    lighter_scalar_zero(&zero);
    lighter_scalar_sub(r, &zero, a);
}

void lighter_scalar_mul(lighter_scalar *r, const lighter_scalar *a, const lighter_scalar *b) {
    uint64_t t[5];
    montgomery_mul(t, a->v, R_SQUARED);   /* a·R mod n */
    montgomery_mul(r->v, t, b->v);        /* a·b mod n */
}

uint64_t lighter_scalar_is_zero_mask(const lighter_scalar *a) {
    uint64_t acc = a->v[0] | a->v[1] | a->v[2] | a->v[3] | a->v[4];
    return ((acc | ((uint64_t)0 - acc)) >> 63) - 1;
}

uint64_t lighter_scalar_equal_mask(const lighter_scalar *a, const lighter_scalar *b) {
    lighter_scalar d;
    for (int i = 0; i < 5; i++) d.v[i] = a->v[i] ^ b->v[i];
    return lighter_scalar_is_zero_mask(&d);
}

void lighter_scalar_recode_signed(int8_t *digits, size_t count, const lighter_scalar *a, unsigned w) {
    const uint32_t window_mask = (1u << w) - 1, half = 1u << (w - 1);
    uint32_t carry = 0;
    for (size_t i = 0; i < count; i++) {
        /* The bit position depends only on i (public); the bits themselves are secret. */
        size_t pos = i * w, limb = pos / 64, shift = pos % 64;
        uint64_t bits = limb < 5 ? a->v[limb] >> shift : 0;
        if (shift + w > 64 && limb + 1 < 5) bits |= a->v[limb + 1] << (64 - shift);
        uint32_t value = ((uint32_t)bits & window_mask) + carry;
        /* value > half: use value - 2^w and carry one into the next window. */
        carry = (half - value) >> 31;
        digits[i] = (int8_t)((int32_t)value - (int32_t)(carry << w));
    }
}
