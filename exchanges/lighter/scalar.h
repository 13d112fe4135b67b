/* Integers modulo the ECgFp5 group order n (319 bits), lighter.md §7.6. A scalar is five
 * 64-bit little-endian limbs holding a value in [0, n) — every function here returns
 * canonical values. All arithmetic is constant-time (fixed loops, masks for the conditional
 * subtraction), since private keys and signing nonces are scalars. */
#ifndef HEDGE_EXCHANGES_LIGHTER_SCALAR_H
#define HEDGE_EXCHANGES_LIGHTER_SCALAR_H

#include <stddef.h>
#include <stdint.h>

#include "exchanges/lighter/quintic.h"

#define LIGHTER_SCALAR_BYTES 40

typedef struct lighter_scalar {
    uint64_t v[5];
} lighter_scalar;

/* The group order n, limbs little-endian. */
extern const lighter_scalar lighter_scalar_order;

void lighter_scalar_zero(lighter_scalar *r);
void lighter_scalar_set_u64(lighter_scalar *r, uint64_t v);
/* Reads 40 little-endian bytes; values >= n are reduced (how the reference parses keys and
 * signature halves). */
void lighter_scalar_from_bytes_reduce(lighter_scalar *r, const uint8_t in[LIGHTER_SCALAR_BYTES]);
/* Reads 40 little-endian bytes and returns 1 when the value is < n; otherwise returns 0 (r
 * then holds the reduced value). The comparison itself is constant-time. */
int lighter_scalar_from_bytes_canonical(lighter_scalar *r, const uint8_t in[LIGHTER_SCALAR_BYTES]);
void lighter_scalar_to_bytes(uint8_t out[LIGHTER_SCALAR_BYTES], const lighter_scalar *a);
/* e = (h0 + h1·2^64 + ... + h4·2^256) mod n over the canonical limbs of an Fp5 hash. */
void lighter_scalar_from_fp5(lighter_scalar *r, const lighter_fp5 *h);

void lighter_scalar_add(lighter_scalar *r, const lighter_scalar *a, const lighter_scalar *b);
void lighter_scalar_sub(lighter_scalar *r, const lighter_scalar *a, const lighter_scalar *b);
void lighter_scalar_neg(lighter_scalar *r, const lighter_scalar *a);
void lighter_scalar_mul(lighter_scalar *r, const lighter_scalar *a, const lighter_scalar *b);

/* All-ones when a is zero / a == b, else zero. */
uint64_t lighter_scalar_is_zero_mask(const lighter_scalar *a);
uint64_t lighter_scalar_equal_mask(const lighter_scalar *a, const lighter_scalar *b);

/* Signed fixed-window recoding: digits d[i] in [-2^(w-1), 2^(w-1)] with
 * a = sum d[i]·2^(w·i). With count·w >= 320 the digits represent every canonical scalar
 * exactly: a < n < 2^319 leaves the top bit of the last window clear, so the last window
 * never carries out. Constant-time in a (the carry is computed arithmetically). 2 <= w <= 7. */
void lighter_scalar_recode_signed(int8_t *digits, size_t count, const lighter_scalar *a, unsigned w);

#endif
