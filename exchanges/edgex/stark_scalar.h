/* Arithmetic modulo the Stark curve order
 * N = 0x0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f (prime),
 * used for ECDSA: s = k^-1 (m + r d) mod N. Values are 4x64-bit Montgomery residues, fully
 * reduced. The operations on secrets (k, d) run in constant time: fixed instruction
 * sequences and masks instead of branches; the inversion walks the public exponent N - 2. */
#ifndef HEDGE_EXCHANGES_EDGEX_STARK_SCALAR_H
#define HEDGE_EXCHANGES_EDGEX_STARK_SCALAR_H

#include <stdint.h>

#include "exchanges/edgex/u256.h"

typedef struct stark_scalar {
    uint64_t v[4];
} stark_scalar;

extern const edgex_u256 STARK_CURVE_ORDER;

/* Returns -1 if a >= N. */
int stark_scalar_from_u256(stark_scalar *out, const edgex_u256 *a);
void stark_scalar_to_u256(edgex_u256 *out, const stark_scalar *a);
void stark_scalar_add(stark_scalar *out, const stark_scalar *a, const stark_scalar *b);
void stark_scalar_mul(stark_scalar *out, const stark_scalar *a, const stark_scalar *b);
/* a^(N-2) (the inverse; 0 for 0), constant time. */
void stark_scalar_inv(stark_scalar *out, const stark_scalar *a);
uint64_t stark_scalar_is_zero_mask(const stark_scalar *a);

/* a mod N for any 256-bit a (public values such as a Keccak digest; variable time). */
void stark_order_reduce_vartime(edgex_u256 *out, const edgex_u256 *a);

#endif
