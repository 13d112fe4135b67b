/* Montgomery arithmetic modulo the Stark curve order N (see stark_scalar.h). */
#include "exchanges/edgex/stark_scalar.h"

#include <sodium.h>

#include "exchanges/edgex/stark_field.h"   /* stark_adc, stark_mul64 */

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
    /* CIOS Montgomery multiplication with the state in locals (N < 2^252 keeps it below
     * 2N); the add-with-carry helpers come from stark_field_arith.h. */
    const uint64_t *n = STARK_CURVE_ORDER.limb;
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t bi = b->v[i], h0, h1, h2, h3, t5, g0, g1, g2, g3, drop;
        uint64_t l0 = stark_mul64(a->v[0], bi, &h0), l1 = stark_mul64(a->v[1], bi, &h1);
        uint64_t l2 = stark_mul64(a->v[2], bi, &h2), l3 = stark_mul64(a->v[3], bi, &h3);
        uint8_t c = stark_adc(0, t0, l0, &t0);
        c = stark_adc(c, t1, l1, &t1);
        c = stark_adc(c, t2, l2, &t2);
        c = stark_adc(c, t3, l3, &t3);
        c = stark_adc(c, t4, 0, &t4);
        t5 = c;
        c = stark_adc(0, t1, h0, &t1);
        c = stark_adc(c, t2, h1, &t2);
        c = stark_adc(c, t3, h2, &t3);
        c = stark_adc(c, t4, h3, &t4);
        t5 += c;
        uint64_t m = t0 * N_INV64;
        uint64_t k0 = stark_mul64(m, n[0], &g0), k1 = stark_mul64(m, n[1], &g1);
        uint64_t k2 = stark_mul64(m, n[2], &g2), k3 = stark_mul64(m, n[3], &g3);
        c = stark_adc(0, t0, k0, &drop);   /* the low word becomes 0 */
        c = stark_adc(c, t1, k1, &t0);
        c = stark_adc(c, t2, k2, &t1);
        c = stark_adc(c, t3, k3, &t2);
        c = stark_adc(c, t4, 0, &t3);
        t4 = t5 + c;
        c = stark_adc(0, t0, g0, &t0);
        c = stark_adc(c, t1, g1, &t1);
        c = stark_adc(c, t2, g2, &t2);
        c = stark_adc(c, t3, g3, &t3);
        t4 += c;
    }
    uint64_t t[4] = {t0, t1, t2, t3};
    sub_n_if_ge(out->v, t);
}

int stark_scalar_from_u256(stark_scalar *out, const edgex_u256 *a) {
    if (!edgex_u256_lt_ct(a, &STARK_CURVE_ORDER)) return -1;   /* a may be a secret: no early exit */
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
