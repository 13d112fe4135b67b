/* Arithmetic in the Stark prime field F_p, p = 2^251 + 17*2^192 + 1.
 *
 * Own 4x64-bit Montgomery code (R = 2^256) rather than OpenSSL BN, chosen by measurement on
 * this 2-vCPU EPYC VM: a multiplication costs 13 ns here against 27 ns for
 * BN_mod_mul_montgomery (140 ns for BN_mod_mul), an inversion 4.1 us against 8.3 us for
 * BN_mod_inverse, and there are no BIGNUM allocations or BN_CTX frames on the hot path (one v1
 * order needs about 3,000 field multiplications). p's low limb is 1, so -p^-1 mod 2^64 is all
 * ones and each reduction step needs one extra multiplication (by the top limb of p) instead
 * of four.
 *
 * Elements are kept fully reduced (< p) in Montgomery form. Every function here runs in time
 * independent of the values (no branches or memory indexes that depend on them), because the
 * same routines serve secret scalar multiplication; the exceptions are named *_vartime. */
#ifndef HEDGE_EXCHANGES_EDGEX_STARK_FIELD_H
#define HEDGE_EXCHANGES_EDGEX_STARK_FIELD_H

#include <stdint.h>

#include "exchanges/edgex/u256.h"

typedef struct stark_felt {
    uint64_t v[4];
} stark_felt;

extern const edgex_u256 STARK_FIELD_PRIME;

void stark_felt_zero(stark_felt *out);
void stark_felt_one(stark_felt *out);
/* Converts an integer to Montgomery form; returns -1 (and leaves out unchanged) if a >= p. */
int stark_felt_from_u256(stark_felt *out, const edgex_u256 *a);
void stark_felt_from_u64(stark_felt *out, uint64_t a);
void stark_felt_to_u256(edgex_u256 *out, const stark_felt *a);

/* a^(p-2): the inverse for a != 0, and 0 for a == 0. Constant time. */
void stark_felt_inv(stark_felt *out, const stark_felt *a);

/* add, sub, neg, mul, sqr, is_zero_mask, equal_mask, cmov: inline, in stark_field_arith.h */
#include "exchanges/edgex/stark_field_arith.h"

/* Square root (Tonelli-Shanks; p - 1 = 2^192 * odd). Returns 0 and one root in out, or -1 if
 * a is not a square. Variable time: only used on public values (recovering a public key's y). */
int stark_felt_sqrt_vartime(stark_felt *out, const stark_felt *a);

#endif
