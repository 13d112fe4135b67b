/* StarkEx Pedersen hash H(a, b) = x( P0 + sum of the constant points selected by the bits of
 * a and b ), the hash behind every v1 order signature.
 *
 * The 504 hashing points are regenerated at start-up from the four base points (P[2],
 * P[250], P[254], P[502]) by doubling, as the spec describes; tests/c/test_edgex_pedersen.c
 * compares all 506 with shared/specs/edgex-pedersen-points.json. For speed the bits are
 * consumed PEDERSEN_WINDOW_BITS at a time from precomputed tables of every subset sum of the
 * points in a window, in Jacobian coordinates, with one inversion at the end. */
#ifndef HEDGE_EXCHANGES_EDGEX_PEDERSEN_H
#define HEDGE_EXCHANGES_EDGEX_PEDERSEN_H

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/stark_curve.h"
#include "exchanges/edgex/u256.h"

#define PEDERSEN_POINT_COUNT 506

/* Builds the tables once per process (thread safe). Called by the functions below. */
void edgex_pedersen_init(void);

/* H(a, b) for 0 <= a, b < p. EDGEX_E_INPUT names the input that is out of range. The
 * reference's safety check is kept: if the running sum ever has the same x as the point being
 * added (which valid inputs cannot produce in practice) the hash fails with EDGEX_E_CRYPTO. */
int edgex_pedersen_hash(edgex_u256 *out, const edgex_u256 *a, const edgex_u256 *b, edgex_error *err);
/* The same, returning the whole resulting point (the vectors give its y for debugging). */
int edgex_pedersen_hash_point(stark_point *out, const edgex_u256 *a, const edgex_u256 *b, edgex_error *err);

/* Straight bit-by-bit affine evaluation of the definition (slow; a cross-check for tests). */
int edgex_pedersen_hash_reference(edgex_u256 *out, const edgex_u256 *a, const edgex_u256 *b, edgex_error *err);

/* Constant point P[index], 0 <= index < PEDERSEN_POINT_COUNT (0 = shift point, 1 = G). */
const stark_point *edgex_pedersen_constant_point(int index);

#endif
