/* The Stark curve y^2 = x^3 + x + beta over F_p (prime order N, cofactor 1).
 *
 * Two point forms:
 *   stark_point  affine (x, y), always a finite point;
 *   stark_proj   homogeneous projective (X:Y:Z), infinity = (0:1:0).
 * Additions use the complete formulas of Renes, Costello and Batina (2015, algorithms 1 and 2
 * for a general a; here a = 1): one formula for every pair of inputs, including doubling and
 * the point at infinity. That is what lets the secret scalar multiplication below run without
 * a single branch on the scalar. */
#ifndef HEDGE_EXCHANGES_EDGEX_STARK_CURVE_H
#define HEDGE_EXCHANGES_EDGEX_STARK_CURVE_H

#include <stddef.h>

#include "exchanges/edgex/stark_field.h"
#include "exchanges/edgex/u256.h"

typedef struct stark_point {
    stark_felt x, y;
} stark_point;

typedef struct stark_proj {
    stark_felt x, y, z;
} stark_proj;

/* Builds the constant tables once per process (thread safe; cheap after the first call).
 * Every function below calls it as needed. */
void stark_curve_init(void);

const stark_point *stark_curve_generator(void);
const stark_felt *stark_curve_beta(void);

/* From integers: -1 if a coordinate is >= p or the point is not on the curve. */
int stark_point_from_u256(stark_point *out, const edgex_u256 *x, const edgex_u256 *y);
void stark_point_to_u256(edgex_u256 *x, edgex_u256 *y, const stark_point *p);
int stark_point_is_on_curve(const stark_point *p);

/* The two y for a given x: y^2 = x^3 + x + beta. Returns -1 if x is not on the curve. */
int stark_curve_y_from_x(stark_felt *y, const stark_felt *x);

void stark_proj_infinity(stark_proj *out);
void stark_proj_from_point(stark_proj *out, const stark_point *p);
void stark_proj_add(stark_proj *out, const stark_proj *p, const stark_proj *q);
void stark_proj_add_point(stark_proj *out, const stark_proj *p, const stark_point *q);
void stark_proj_neg(stark_proj *out, const stark_proj *p);
/* Returns -1 for the point at infinity. */
int stark_proj_to_point(stark_point *out, const stark_proj *p);
/* Normalises n points with one inversion (Montgomery's trick). scratch holds n elements.
 * Returns -1 if any input is the point at infinity (out is then unspecified). */
int stark_proj_batch_to_point(stark_point *out, const stark_proj *in, size_t n, stark_felt *scratch);

/* k*G for a secret k < 2^252, in constant time: 63 fixed 4-bit windows over a precomputed
 * table of j*16^w*G; every window reads all 16 entries through masks and always performs the
 * addition, keeping the result only through a masked select when the digit is zero. */
void stark_mul_generator(stark_proj *out, const edgex_u256 *k);

/* k*P for public inputs (signature verification); variable time. */
void stark_mul_vartime(stark_proj *out, const stark_point *p, const edgex_u256 *k);

#endif
