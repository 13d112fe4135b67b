/* ECgFp5: the prime-order group of the double-odd curve y^2 = x(x^2 + 2x + 263·X) over
 * GF(p^5) (lighter.md §7.5, Pornin's ecGFp5). Group elements are the curve points P + N for
 * P of odd order, with neutral N = (0, 0) and law P ⊕ Q = P + Q + N; each has a unique
 * encoding w = y/x as one Fp5 element (neutral: w = 0).
 *
 * Points are held in fractional (x, u) coordinates, u = x/y: (X:Z:U:T) with x = X/Z and
 * u = U/T. In these coordinates the addition formulas are complete (no special case for
 * the neutral, doubling or opposite points), which is what lets the scalar multiplications
 * run as fixed sequences of operations with no secret-dependent branch. */
#ifndef HEDGE_EXCHANGES_LIGHTER_ECGFP5_H
#define HEDGE_EXCHANGES_LIGHTER_ECGFP5_H

#include "exchanges/lighter/quintic.h"
#include "exchanges/lighter/scalar.h"

typedef struct lighter_point {
    lighter_fp5 x, z, u, t;
} lighter_point;

/* Affine (x, u); the neutral is (0, 0). Used for precomputed tables (mixed addition). */
typedef struct lighter_point_affine {
    lighter_fp5 x, u;
} lighter_point_affine;

void lighter_point_set_neutral(lighter_point *p);
void lighter_point_set_generator(lighter_point *p);
void lighter_point_from_affine(lighter_point *p, const lighter_point_affine *a);

/* Decodes an encoding. Returns 1 on success; 0 when no group element has this encoding
 * (then p is the neutral). Runs in constant time (a public key is public, but uniform code
 * is simpler to trust). */
int lighter_point_decode(lighter_point *p, const lighter_fp5 *w);
/* w = y/x = T/U, canonical; the neutral encodes to 0. */
void lighter_point_encode(lighter_fp5 *w, const lighter_point *p);

/* r = p ⊕ q (r may alias p or q). */
void lighter_point_add(lighter_point *r, const lighter_point *p, const lighter_point *q);
void lighter_point_add_affine(lighter_point *r, const lighter_point *p, const lighter_point_affine *q);
void lighter_point_double(lighter_point *r, const lighter_point *p);
void lighter_point_neg(lighter_point *r, const lighter_point *p);

/* Converts n points to affine with one field inversion (Montgomery's batch trick); scratch
 * holds 2n elements. */
void lighter_point_batch_to_affine(lighter_point_affine *out, const lighter_point *in, size_t n, lighter_fp5 *scratch);

/* The short-Weierstrass view used by the Python checker (lighter.md §7.5): for an encoding w,
 * the affine (X, Y) on Y^2 = X^3 + A·X + B of the matching point of odd order. Returns 1 with
 * *infinity = 1 for w = 0, 1 with the coordinates for a valid w, 0 for an invalid one. */
int lighter_point_decode_weierstrass(const lighter_fp5 *w, lighter_fp5 *big_x, lighter_fp5 *big_y, int *infinity);

/* k·G with a precomputed table (built once, thread-safe) and constant-time lookups. */
void lighter_point_mul_generator(lighter_point *r, const lighter_scalar *k);
/* k·P for any P, constant-time in k and P. */
void lighter_point_mul(lighter_point *r, const lighter_point *p, const lighter_scalar *k);

#endif
