/* Goldilocks prime field GF(p), p = 2^64 - 2^32 + 1 (lighter.md §7.1).
 *
 * An element is a uint64_t. Inside computations a value may be any 64-bit word congruent to
 * the element (so in [p, 2^64) it is "non-canonical"); every function here accepts such
 * words. Anything that is hashed, serialised or compared must go through
 * lighter_gf_canonical() first.
 *
 * Every function is constant-time: no branch and no memory index depends on the values,
 * because these routines run on secret-derived data (coordinates of k·G while signing).
 * Conditional corrections are done with all-ones/all-zero masks, never with `if`. */
#ifndef HEDGE_EXCHANGES_LIGHTER_GOLDILOCKS_H
#define HEDGE_EXCHANGES_LIGHTER_GOLDILOCKS_H

#include <stdint.h>

#define LIGHTER_GF_P 0xFFFFFFFF00000001ULL
/* 2^64 mod p: a wrap-around of a 64-bit add/sub is corrected by adding/subtracting this. */
#define LIGHTER_GF_EPSILON 0xFFFFFFFFULL

typedef unsigned __int128 lighter_u128;

/* Mask with all bits set when bit is 1, zero when bit is 0. */
static inline uint64_t lighter_gf_mask(uint64_t bit) { return (uint64_t)0 - bit; }

/* Reduces any 128-bit value to a 64-bit word congruent mod p (not necessarily canonical).
 * With x = hi·2^64 + lo and hi = hh·2^32 + hl: 2^64 ≡ 2^32 - 1 and 2^96 ≡ -1, so
 * x ≡ lo - hh + hl·(2^32 - 1). Each 64-bit wrap is worth 2^64 ≡ EPSILON, fixed by masks. */
static inline uint64_t lighter_gf_reduce128(lighter_u128 x) {
    uint64_t lo = (uint64_t)x, hi = (uint64_t)(x >> 64);
    uint64_t hh = hi >> 32, hl = hi & 0xFFFFFFFFULL;
    uint64_t t0 = lo - hh;
    /* Borrow: t0 = true + 2^64 ≡ true + EPSILON; t0 >= 2^64 - 2^32, so this cannot wrap. */
    t0 -= lighter_gf_mask(lo < hh) & LIGHTER_GF_EPSILON;
    uint64_t t1 = hl * LIGHTER_GF_EPSILON;          /* < 2^64, exact */
    uint64_t r = t0 + t1;
    /* Carry: r lost 2^64 ≡ EPSILON; after the wrap r < 2^64 - 2^32, so adding cannot wrap. */
    r += lighter_gf_mask(r < t1) & LIGHTER_GF_EPSILON;
    return r;
}

/* The unique representative in [0, p). x >= p exactly when x + EPSILON carries. */
static inline uint64_t lighter_gf_canonical(uint64_t x) {
    uint64_t is_big = (uint64_t)((x + LIGHTER_GF_EPSILON) < x);
    return x - (lighter_gf_mask(is_big) & LIGHTER_GF_P);
}

static inline uint64_t lighter_gf_add(uint64_t a, uint64_t b) {
    uint64_t s = a + b;
    uint64_t s1 = s + (lighter_gf_mask(s < b) & LIGHTER_GF_EPSILON);
    /* A second carry is only possible right after the first one, and then s1 < EPSILON,
     * so the last correction cannot carry again. */
    return s1 + (lighter_gf_mask(s1 < s) & LIGHTER_GF_EPSILON);
}

static inline uint64_t lighter_gf_sub(uint64_t a, uint64_t b) {
    uint64_t d = a - b;
    uint64_t borrow1 = (uint64_t)(a < b);
    uint64_t d2 = d - (lighter_gf_mask(borrow1) & LIGHTER_GF_EPSILON);
    /* d2 wraps only if the first wrap left d < EPSILON; correct once more. */
    uint64_t borrow2 = (uint64_t)(d < (lighter_gf_mask(borrow1) & LIGHTER_GF_EPSILON));
    return d2 - (lighter_gf_mask(borrow2) & LIGHTER_GF_EPSILON);
}

static inline uint64_t lighter_gf_neg(uint64_t a) { return lighter_gf_sub(0, a); }

static inline uint64_t lighter_gf_mul(uint64_t a, uint64_t b) {
    return lighter_gf_reduce128((lighter_u128)a * b);
}

static inline uint64_t lighter_gf_square(uint64_t a) { return lighter_gf_mul(a, a); }

/* All-ones when a ≡ b (mod p), zero otherwise. */
static inline uint64_t lighter_gf_equal_mask(uint64_t a, uint64_t b) {
    uint64_t d = lighter_gf_canonical(a) ^ lighter_gf_canonical(b);
    return ((d | ((uint64_t)0 - d)) >> 63) - 1;
}

/* A 64-bit two's-complement word reduced mod p: how signed tx fields become field
 * elements (lighter.md §6.2). -1 -> 2^64 - 1 -> 4294967294. */
static inline uint64_t lighter_gf_from_int64(int64_t v) { return lighter_gf_canonical((uint64_t)v); }

/* a^e by a fixed 64-step square-and-multiply (constant time in a and e). */
uint64_t lighter_gf_exp(uint64_t a, uint64_t e);
/* a^(p-2) by a fixed addition chain; the inverse of 0 is 0. Result canonical. */
uint64_t lighter_gf_inverse(uint64_t a);
/* Square root by constant-time Tonelli-Shanks (2-adicity 32). Returns 1 and a root in *root
 * when a is a square (0 included), 0 and *root = 0 otherwise. */
int lighter_gf_sqrt(uint64_t a, uint64_t *root);
/* Quadratic character: 1 for a non-zero square, p-1 for a non-square, 0 for 0. */
uint64_t lighter_gf_legendre(uint64_t a);

#endif
