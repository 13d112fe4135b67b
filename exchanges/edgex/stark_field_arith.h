/* The hot F_p operations, inline because every point addition makes a dozen of them and a
 * function call per multiplication costs a noticeable share (measured with perf on
 * bench_edgex). Included by stark_field.h only; see there for the representation.
 *
 * Carry chains use the x86-64 add-with-carry intrinsics when available (gcc turns them into
 * adc/sbb chains, about 12% faster than the same code on unsigned __int128 here) and plain
 * unsigned __int128 arithmetic elsewhere. Nothing here branches on or indexes by values. */
#ifndef HEDGE_EXCHANGES_EDGEX_STARK_FIELD_ARITH_H
#define HEDGE_EXCHANGES_EDGEX_STARK_FIELD_ARITH_H

#include <stdint.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#define STARK_P3 0x0800000000000011ull   /* p = 1 + STARK_P3 * 2^192 */

typedef unsigned __int128 stark_u128;

static inline uint8_t stark_adc(uint8_t carry, uint64_t a, uint64_t b, uint64_t *out) {
#if defined(__x86_64__)
    unsigned long long r;
    carry = _addcarry_u64(carry, a, b, &r);
    *out = r;
    return carry;
#else
    stark_u128 s = (stark_u128)a + b + carry;
    *out = (uint64_t)s;
    return (uint8_t)(s >> 64);
#endif
}

static inline uint8_t stark_sbb(uint8_t borrow, uint64_t a, uint64_t b, uint64_t *out) {
#if defined(__x86_64__)
    unsigned long long r;
    borrow = _subborrow_u64(borrow, a, b, &r);
    *out = r;
    return borrow;
#else
    stark_u128 d = (stark_u128)a - b - borrow;
    *out = (uint64_t)d;
    return (uint8_t)((d >> 64) & 1);
#endif
}

static inline uint64_t stark_mul64(uint64_t a, uint64_t b, uint64_t *hi) {
    stark_u128 p = (stark_u128)a * b;
    *hi = (uint64_t)(p >> 64);
    return (uint64_t)p;
}

/* out = t - p when t >= p, else t (t < 2p), by a masked select. */
static inline void stark_felt_reduce_once(uint64_t out[4], uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3) {
    uint64_t d0, d1, d2, d3;
    uint8_t borrow = stark_sbb(0, t0, 1, &d0);
    borrow = stark_sbb(borrow, t1, 0, &d1);
    borrow = stark_sbb(borrow, t2, 0, &d2);
    borrow = stark_sbb(borrow, t3, STARK_P3, &d3);
    uint64_t keep = 0 - (uint64_t)borrow;   /* borrow: t < p, keep t */
    out[0] = (t0 & keep) | (d0 & ~keep);
    out[1] = (t1 & keep) | (d1 & ~keep);
    out[2] = (t2 & keep) | (d2 & ~keep);
    out[3] = (t3 & keep) | (d3 & ~keep);
}

/* Montgomery product a*b/2^256 mod p by interleaved (CIOS) rounds: t += a*b[i], then add m*p
 * with m = -t0, which clears word 0 (t0 + m is 0 with a carry exactly when t0 != 0) and, since
 * p = 1 + P3*2^192, touches only word 3 otherwise. The state stays below 2p < 2^253. */
static inline void stark_felt_mul(stark_felt *out, const stark_felt *a, const stark_felt *b) {
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t bi = b->v[i], h0, h1, h2, h3, t5, mh;
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
        uint64_t m = 0 - t0;
        uint64_t ml = stark_mul64(m, STARK_P3, &mh);
        c = stark_adc((uint8_t)(t0 != 0), t1, 0, &t0);
        c = stark_adc(c, t2, 0, &t1);
        c = stark_adc(c, t3, ml, &t2);
        c = stark_adc(c, t4, mh, &t3);
        t4 = t5 + c;
    }
    stark_felt_reduce_once(out->v, t0, t1, t2, t3);
}

/* Montgomery square: the 512-bit square with 10 multiplications (cross products doubled),
 * then a reduction that uses p = 1 + P3*2^192 directly. With t = T2*2^192 + L:
 *   M' = -L mod 2^192 makes t + M'p a multiple of 2^192, U = (t >> 192) + (L != 0);
 *   V = U + M'*P3, m3 = -V0, result = (V >> 64) + (V0 != 0) + m3*P3*2^128  (< 2p). */
static inline void stark_felt_sqr(stark_felt *out, const stark_felt *a) {
    const uint64_t *x = a->v;
    uint64_t h01, h02, h03, h12, h13, h23;
    uint64_t l01 = stark_mul64(x[0], x[1], &h01), l02 = stark_mul64(x[0], x[2], &h02);
    uint64_t l03 = stark_mul64(x[0], x[3], &h03), l12 = stark_mul64(x[1], x[2], &h12);
    uint64_t l13 = stark_mul64(x[1], x[3], &h13), l23 = stark_mul64(x[2], x[3], &h23);
    uint64_t c1 = l01, c2, c3, c4, c5, c6, c7;
    uint8_t c = stark_adc(0, h01, l02, &c2);
    c = stark_adc(c, h02, l03, &c3);
    c = stark_adc(c, h03, 0, &c4);
    c = stark_adc(0, c3, l12, &c3);
    c = stark_adc(c, c4, h12, &c4);
    c5 = c;
    c = stark_adc(0, c4, l13, &c4);
    c = stark_adc(c, c5, h13, &c5);
    c6 = c;
    c = stark_adc(0, c5, l23, &c5);
    c = stark_adc(c, c6, h23, &c6);
    c7 = c6 >> 63;   /* doubling the cross products */
    c6 = c6 << 1 | c5 >> 63;
    c5 = c5 << 1 | c4 >> 63;
    c4 = c4 << 1 | c3 >> 63;
    c3 = c3 << 1 | c2 >> 63;
    c2 = c2 << 1 | c1 >> 63;
    c1 <<= 1;
    uint64_t d0h, d1h, d2h, d3h, t0, t1, t2, t3, t4, t5, t6, t7;
    t0 = stark_mul64(x[0], x[0], &d0h);
    uint64_t d1l = stark_mul64(x[1], x[1], &d1h), d2l = stark_mul64(x[2], x[2], &d2h);
    uint64_t d3l = stark_mul64(x[3], x[3], &d3h);
    c = stark_adc(0, c1, d0h, &t1);
    c = stark_adc(c, c2, d1l, &t2);
    c = stark_adc(c, c3, d1h, &t3);
    c = stark_adc(c, c4, d2l, &t4);
    c = stark_adc(c, c5, d2h, &t5);
    c = stark_adc(c, c6, d3l, &t6);
    (void)stark_adc(c, c7, d3h, &t7);

    uint64_t m0, m1, m2, u0, u1, u2, u3, u4, p0h, p1h, p2h, qh, r0, r1, r2, r3;
    uint8_t borrow = stark_sbb(0, 0, t0, &m0);
    borrow = stark_sbb(borrow, 0, t1, &m1);
    (void)stark_sbb(borrow, 0, t2, &m2);
    uint64_t nonzero = (t0 | t1 | t2) != 0;
    c = stark_adc(0, t3, nonzero, &u0);
    c = stark_adc(c, t4, 0, &u1);
    c = stark_adc(c, t5, 0, &u2);
    c = stark_adc(c, t6, 0, &u3);
    u4 = t7 + c;
    uint64_t p0 = stark_mul64(m0, STARK_P3, &p0h), p1 = stark_mul64(m1, STARK_P3, &p1h);
    uint64_t p2 = stark_mul64(m2, STARK_P3, &p2h);
    c = stark_adc(0, u0, p0, &u0);
    c = stark_adc(c, u1, p1, &u1);
    c = stark_adc(c, u2, p2, &u2);
    c = stark_adc(c, u3, p2h, &u3);
    u4 += c;
    c = stark_adc(0, u1, p0h, &u1);
    c = stark_adc(c, u2, p1h, &u2);
    c = stark_adc(c, u3, 0, &u3);
    u4 += c;
    uint64_t m3 = 0 - u0;
    uint64_t q = stark_mul64(m3, STARK_P3, &qh);
    c = stark_adc((uint8_t)(u0 != 0), u1, 0, &r0);
    c = stark_adc(c, u2, 0, &r1);
    c = stark_adc(c, u3, q, &r2);
    (void)stark_adc(c, u4, qh, &r3);
    stark_felt_reduce_once(out->v, r0, r1, r2, r3);
}

static inline void stark_felt_add(stark_felt *out, const stark_felt *a, const stark_felt *b) {
    uint64_t t0, t1, t2, t3;
    uint8_t c = stark_adc(0, a->v[0], b->v[0], &t0);
    c = stark_adc(c, a->v[1], b->v[1], &t1);
    c = stark_adc(c, a->v[2], b->v[2], &t2);
    (void)stark_adc(c, a->v[3], b->v[3], &t3);   /* a + b < 2p < 2^253 */
    stark_felt_reduce_once(out->v, t0, t1, t2, t3);
}

static inline void stark_felt_sub(stark_felt *out, const stark_felt *a, const stark_felt *b) {
    uint64_t t0, t1, t2, t3;
    uint8_t borrow = stark_sbb(0, a->v[0], b->v[0], &t0);
    borrow = stark_sbb(borrow, a->v[1], b->v[1], &t1);
    borrow = stark_sbb(borrow, a->v[2], b->v[2], &t2);
    borrow = stark_sbb(borrow, a->v[3], b->v[3], &t3);
    uint64_t mask = 0 - (uint64_t)borrow;   /* add p back after a borrow */
    uint8_t c = stark_adc(0, t0, 1 & mask, &out->v[0]);
    c = stark_adc(c, t1, 0, &out->v[1]);
    c = stark_adc(c, t2, 0, &out->v[2]);
    (void)stark_adc(c, t3, STARK_P3 & mask, &out->v[3]);
}

static inline void stark_felt_neg(stark_felt *out, const stark_felt *a) {
    const stark_felt zero = {{0, 0, 0, 0}};
    stark_felt_sub(out, &zero, a);
}

/* All ones when zero, else 0 (constant time). */
static inline uint64_t stark_felt_is_zero_mask(const stark_felt *a) {
    uint64_t x = a->v[0] | a->v[1] | a->v[2] | a->v[3];
    return ((x | (0 - x)) >> 63) - 1;
}

static inline uint64_t stark_felt_equal_mask(const stark_felt *a, const stark_felt *b) {
    stark_felt d = {{a->v[0] ^ b->v[0], a->v[1] ^ b->v[1], a->v[2] ^ b->v[2], a->v[3] ^ b->v[3]}};
    return stark_felt_is_zero_mask(&d);
}

/* out = mask ? a : out (mask is 0 or all ones). */
static inline void stark_felt_cmov(stark_felt *out, const stark_felt *a, uint64_t mask) {
    for (int i = 0; i < 4; i++) out->v[i] = (out->v[i] & ~mask) | (a->v[i] & mask);
}

#endif
