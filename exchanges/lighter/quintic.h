/* Quintic extension GF(p^5) = GF(p)[X]/(X^5 - 3) over the Goldilocks field (lighter.md §7.2).
 *
 * An element is c[0] + c[1]X + ... + c[4]X^4. Limbs follow the Goldilocks convention: any
 * 64-bit word congruent to the coefficient, canonicalised only for hashing, serialising and
 * comparing. Every function is constant-time (the curve code runs them on secret data). */
#ifndef HEDGE_EXCHANGES_LIGHTER_QUINTIC_H
#define HEDGE_EXCHANGES_LIGHTER_QUINTIC_H

#include <stdint.h>

#include "exchanges/lighter/goldilocks.h"

typedef struct lighter_fp5 {
    uint64_t c[5];
} lighter_fp5;

#define LIGHTER_FP5_BYTES 40

void lighter_fp5_zero(lighter_fp5 *r);
void lighter_fp5_set_small(lighter_fp5 *r, uint64_t c0);     /* the base-field element c0 */
void lighter_fp5_add(lighter_fp5 *r, const lighter_fp5 *a, const lighter_fp5 *b);
void lighter_fp5_sub(lighter_fp5 *r, const lighter_fp5 *a, const lighter_fp5 *b);
void lighter_fp5_neg(lighter_fp5 *r, const lighter_fp5 *a);
void lighter_fp5_double(lighter_fp5 *r, const lighter_fp5 *a);
void lighter_fp5_mul(lighter_fp5 *r, const lighter_fp5 *a, const lighter_fp5 *b);
void lighter_fp5_square(lighter_fp5 *r, const lighter_fp5 *a);
/* Multiplication by a base-field element. */
void lighter_fp5_scale(lighter_fp5 *r, const lighter_fp5 *a, uint64_t k);
/* Multiplication by the curve constant b = 263·X (only small multiplies and a limb shift). */
void lighter_fp5_mul_by_curve_b(lighter_fp5 *r, const lighter_fp5 *a);
/* x -> x^p and x -> x^(p^2). */
void lighter_fp5_frobenius(lighter_fp5 *r, const lighter_fp5 *a);
void lighter_fp5_frobenius2(lighter_fp5 *r, const lighter_fp5 *a);
/* Inverse; the inverse of 0 is defined as 0 (encoding the neutral point relies on it). */
void lighter_fp5_inverse(lighter_fp5 *r, const lighter_fp5 *a);
/* Quadratic character of the norm: 1 (non-zero square), p - 1 (non-square) or 0 (zero). */
uint64_t lighter_fp5_legendre(const lighter_fp5 *a);
/* Square root: returns 1 and some root when a is a square (0 included), else 0 and r = 0. */
int lighter_fp5_sqrt(lighter_fp5 *r, const lighter_fp5 *a);
/* The root the reference returns: a root whose canonical limb 0 is odd (a root with even
 * limb 0 is negated; when limb 0 of both roots is 0 the one sqrt() found is negated). */
int lighter_fp5_canonical_sqrt(lighter_fp5 *r, const lighter_fp5 *a);

/* All-ones mask when a is zero / when a == b, zero mask otherwise. */
uint64_t lighter_fp5_is_zero_mask(const lighter_fp5 *a);
uint64_t lighter_fp5_equal_mask(const lighter_fp5 *a, const lighter_fp5 *b);
/* r = b when mask is all-ones, r = a when it is zero. */
void lighter_fp5_select(lighter_fp5 *r, uint64_t mask, const lighter_fp5 *a, const lighter_fp5 *b);
void lighter_fp5_canonicalize(lighter_fp5 *r, const lighter_fp5 *a);

/* 40 bytes = five little-endian 64-bit canonical limbs, limb 0 first. */
void lighter_fp5_to_bytes(uint8_t out[LIGHTER_FP5_BYTES], const lighter_fp5 *a);
/* Reads five limbs. Returns 1 when every limb is < p; otherwise returns 0 and stores the
 * limbs reduced mod p (the reference's lenient reading), so the caller chooses the policy. */
int lighter_fp5_from_bytes(lighter_fp5 *r, const uint8_t in[LIGHTER_FP5_BYTES]);

#endif
