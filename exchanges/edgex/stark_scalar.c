/* Montgomery arithmetic modulo the Stark curve order N (see stark_scalar.h). */
#include "exchanges/edgex/stark_scalar.h"

#include <sodium.h>

typedef unsigned __int128 u128;

const edgex_u256 STARK_CURVE_ORDER = {{0x1e66a241adc64d2full, 0xb781126dcae7b232ull, 0xffffffffffffffffull,
                                       0x0800000000000010ull}};

/* -N^-1 mod 2^64 and R^2 mod N (R = 2^256); checked by the round trips in
 * tests/c/test_edgex_stark.c. */
#define N_INV64 0xbb6b3c4ce8bde631ull
static const stark_scalar R2 = {{0x6021b3f1ea1c688dull, 0x509cf64d14ce60b9ull, 0xbaf0ab4cf78bbabbull,
                                  0x07d9e57c2333766eull}};
static const stark_scalar ONE_MONT = {{0x51925a0bf4fca74full, 0xc75ec4b46df16beeull, 0x0000000000000008ull,
                                        0x07fffffffffffdf1ull}};

static inline void sub_n_if_ge(uint64_t out[4], const uint64_t t[4]) {
    uint64_t d[4], borrow = 0;
    for (int i = 0; i < 4; i++) {
        u128 x = (u128)t[i] - STARK_CURVE_ORDER.limb[i] - borrow;
        d[i] = (uint64_t)x;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    uint64_t keep = 0 - borrow;
    for (int i = 0; i < 4; i++) out[i] = (t[i] & keep) | (d[i] & ~keep);
}

void stark_scalar_mul(stark_scalar *out, const stark_scalar *a, const stark_scalar *b) {
    /* CIOS Montgomery multiplication; N < 2^252 keeps every intermediate below 2N. */
    uint64_t t[6] = {0};
    const uint64_t *n = STARK_CURVE_ORDER.limb;
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 4; j++) {
            u128 acc = (u128)a->v[j] * b->v[i] + t[j] + carry;
            t[j] = (uint64_t)acc;
            carry = (uint64_t)(acc >> 64);
        }
        u128 acc = (u128)t[4] + carry;
        t[4] = (uint64_t)acc;
        t[5] = (uint64_t)(acc >> 64);
        uint64_t m = t[0] * N_INV64;
        acc = (u128)m * n[0] + t[0];
        carry = (uint64_t)(acc >> 64);
        for (int j = 1; j < 4; j++) {
            acc = (u128)m * n[j] + t[j] + carry;
            t[j - 1] = (uint64_t)acc;
            carry = (uint64_t)(acc >> 64);
        }
        acc = (u128)t[4] + carry;
        t[3] = (uint64_t)acc;
        t[4] = t[5] + (uint64_t)(acc >> 64);
    }
    sub_n_if_ge(out->v, t);
}

int stark_scalar_from_u256(stark_scalar *out, const edgex_u256 *a) {
    if (edgex_u256_cmp(a, &STARK_CURVE_ORDER) >= 0) return -1;
    stark_scalar plain = {{a->limb[0], a->limb[1], a->limb[2], a->limb[3]}};
    stark_scalar_mul(out, &plain, &R2);
    return 0;
}

void stark_scalar_to_u256(edgex_u256 *out, const stark_scalar *a) {
    stark_scalar one = {{1, 0, 0, 0}}, r;
    stark_scalar_mul(&r, a, &one);
    for (int i = 0; i < 4; i++) out->limb[i] = r.v[i];
}

void stark_scalar_add(stark_scalar *out, const stark_scalar *a, const stark_scalar *b) {
    uint64_t t[4];
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (u128)a->v[i] + b->v[i];
        t[i] = (uint64_t)c;
        c >>= 64;
    }
    sub_n_if_ge(out->v, t);
}

uint64_t stark_scalar_is_zero_mask(const stark_scalar *a) {
    uint64_t x = a->v[0] | a->v[1] | a->v[2] | a->v[3];
    return ((x | (0 - x)) >> 63) - 1;
}

void stark_scalar_inv(stark_scalar *out, const stark_scalar *a) {
    /* Fixed 4-bit windows over the public exponent N - 2: the sequence of multiplications
     * and the table positions read depend only on N, never on a (the secret nonce k when
     * signing), so the time and memory accesses are the same for every input. */
    stark_scalar table[16];
    table[0] = ONE_MONT;
    table[1] = *a;
    for (int i = 2; i < 16; i++) stark_scalar_mul(&table[i], &table[i - 1], a);
    edgex_u256 e = STARK_CURVE_ORDER;
    e.limb[0] -= 2;   /* N's low limb is odd and > 2: no borrow */
    stark_scalar acc = ONE_MONT;
    for (int w = 63; w >= 0; w--) {
        for (int s = 0; s < 4; s++) stark_scalar_mul(&acc, &acc, &acc);
        unsigned digit = (unsigned)(e.limb[w / 16] >> (4 * (w % 16))) & 15;
        stark_scalar_mul(&acc, &acc, &table[digit]);
    }
    *out = acc;
    sodium_memzero(table, sizeof table);   /* powers of a secret */
    sodium_memzero(&acc, sizeof acc);
}

void stark_order_reduce_vartime(edgex_u256 *out, const edgex_u256 *a) {
    /* a < 2^256 < 2^5 * N: subtract N << s for s = 5..0 whenever it fits (long division). */
    edgex_u256 r = *a;
    for (int s = 5; s >= 0; s--) {
        edgex_u256 shifted;
        if (edgex_u256_shl(&shifted, &STARK_CURVE_ORDER, (unsigned)s)) continue;  /* > 2^256 */
        if (edgex_u256_cmp(&r, &shifted) >= 0) edgex_u256_sub(&r, &r, &shifted);
    }
    *out = r;
}
