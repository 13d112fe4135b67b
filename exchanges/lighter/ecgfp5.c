/* ECgFp5 group law, encoding and decoding in fractional (x, u) coordinates.
 *
 * The affine complete addition law of double-odd curves in (x, u) coordinates (Pornin,
 * "Double-Odd Elliptic Curves", §(x, u) coordinates) is, with a = 2 and b = 263·X:
 *   x3 = b((x1 + x2)(1 + a·u1u2) + 2u1u2(x1x2 + b)) / ((x1x2 + b)(1 - a·u1u2) - 2b·u1u2(x1 + x2))
 *   u3 = -(u1 + u2)(x1x2 - b) / ((x1x2 + b)(1 + a·u1u2) + 2b·u1u2(x1 + x2))
 * Substituting x = X/Z, u = U/T and clearing the common denominator Z1Z2·T1T2 gives the
 * projective formulas below (derived here; 11 multiplications, 9 for a mixed addition). */
#include "exchanges/lighter/ecgfp5.h"

#include <string.h>

/* 1/2 in GF(p) and a/3 = 2/3 (the x shift to the short Weierstrass model). */
#define HALF 9223372034707292161ULL
#define TWO_THIRDS 6148914689804861441ULL

void lighter_point_set_neutral(lighter_point *p) {
    lighter_fp5_zero(&p->x);
    lighter_fp5_set_small(&p->z, 1);
    lighter_fp5_zero(&p->u);
    lighter_fp5_set_small(&p->t, 1);
}

void lighter_point_set_generator(lighter_point *p) {
    lighter_fp5 w;
    lighter_fp5_set_small(&w, 4);    /* the generator encodes to 4 (lighter.md §7.5) */
    lighter_point_decode(p, &w);
}

void lighter_point_from_affine(lighter_point *p, const lighter_point_affine *a) {
    p->x = a->x;
    lighter_fp5_set_small(&p->z, 1);
    p->u = a->u;
    lighter_fp5_set_small(&p->t, 1);
}

/* Shared tail of the addition formulas, given
 *   t1 = X1X2, t2 = Z1Z2, t3 = U1U2, t4 = T1T2, t5 = X1Z2 + X2Z1, t6 = U1T2 + U2T1. */
static void add_finish(lighter_point *r, const lighter_fp5 *t1, const lighter_fp5 *t2, const lighter_fp5 *t3,
                       const lighter_fp5 *t4, const lighter_fp5 *t5, const lighter_fp5 *t6) {
    lighter_fp5 bt2, t7, t8, two_t3, bt5, a, c, m, x3;
    lighter_fp5_mul_by_curve_b(&bt2, t2);
    lighter_fp5_add(&t7, t1, &bt2);               /* X1X2 + b·Z1Z2 */
    lighter_fp5_double(&two_t3, t3);
    lighter_fp5_add(&t8, t4, &two_t3);            /* T1T2 + a·U1U2 */
    lighter_fp5_mul_by_curve_b(&bt5, t5);
    /* Z3 = t7(t4 - 2t3) - 2b·t3·t5 = A - 2C and T3 = t7(t4 + 2t3) + 2b·t3·t5 = A + 2C with
     * A = t7·t4 and C = t3·(t7 + b·t5). */
    lighter_fp5_mul(&a, &t7, t4);
    lighter_fp5_add(&c, &t7, &bt5);
    lighter_fp5_mul(&c, &c, t3);
    lighter_fp5_double(&c, &c);
    /* X3 = b·(t5·t8 + 2·t3·t7) */
    lighter_fp5_mul(&x3, t5, &t8);
    lighter_fp5_mul(&m, t3, &t7);
    lighter_fp5_double(&m, &m);
    lighter_fp5_add(&x3, &x3, &m);
    lighter_fp5_mul_by_curve_b(&r->x, &x3);
    lighter_fp5_sub(&r->z, &a, &c);
    lighter_fp5_add(&r->t, &a, &c);
    /* U3 = -t6·(t1 - b·t2) = t6·(b·t2 - t1) */
    lighter_fp5_sub(&m, &bt2, t1);
    lighter_fp5_mul(&r->u, t6, &m);
}

void lighter_point_add(lighter_point *r, const lighter_point *p, const lighter_point *q) {
    lighter_fp5 t1, t2, t3, t4, t5, t6, s, s2;
    lighter_fp5_mul(&t1, &p->x, &q->x);
    lighter_fp5_mul(&t2, &p->z, &q->z);
    lighter_fp5_mul(&t3, &p->u, &q->u);
    lighter_fp5_mul(&t4, &p->t, &q->t);
    /* Karatsuba: X1Z2 + X2Z1 = (X1 + Z1)(X2 + Z2) - X1X2 - Z1Z2, same for U, T. */
    lighter_fp5_add(&s, &p->x, &p->z);
    lighter_fp5_add(&s2, &q->x, &q->z);
    lighter_fp5_mul(&t5, &s, &s2);
    lighter_fp5_sub(&t5, &t5, &t1);
    lighter_fp5_sub(&t5, &t5, &t2);
    lighter_fp5_add(&s, &p->u, &p->t);
    lighter_fp5_add(&s2, &q->u, &q->t);
    lighter_fp5_mul(&t6, &s, &s2);
    lighter_fp5_sub(&t6, &t6, &t3);
    lighter_fp5_sub(&t6, &t6, &t4);
    add_finish(r, &t1, &t2, &t3, &t4, &t5, &t6);
}

void lighter_point_add_affine(lighter_point *r, const lighter_point *p, const lighter_point_affine *q) {
    lighter_fp5 t1, t3, t5, t6, z1 = p->z, t1_copy = p->t;
    lighter_fp5_mul(&t1, &p->x, &q->x);
    lighter_fp5_mul(&t3, &p->u, &q->u);
    lighter_fp5_mul(&t5, &q->x, &p->z);
    lighter_fp5_add(&t5, &t5, &p->x);             /* X1 + x2·Z1 */
    lighter_fp5_mul(&t6, &q->u, &p->t);
    lighter_fp5_add(&t6, &t6, &p->u);             /* U1 + u2·T1 */
    add_finish(r, &t1, &z1, &t3, &t1_copy, &t5, &t6);
}

void lighter_point_double(lighter_point *r, const lighter_point *p) {
    /* The addition formulas with P1 = P2: t1 = X^2, t2 = Z^2, t3 = U^2, t4 = T^2,
     * t5 = 2XZ, t6 = 2UT. */
    lighter_fp5 t1, t2, t3, t4, t5, t6;
    lighter_fp5_square(&t1, &p->x);
    lighter_fp5_square(&t2, &p->z);
    lighter_fp5_square(&t3, &p->u);
    lighter_fp5_square(&t4, &p->t);
    lighter_fp5_mul(&t5, &p->x, &p->z);
    lighter_fp5_double(&t5, &t5);
    lighter_fp5_mul(&t6, &p->u, &p->t);
    lighter_fp5_double(&t6, &t6);
    add_finish(r, &t1, &t2, &t3, &t4, &t5, &t6);
}

void lighter_point_neg(lighter_point *r, const lighter_point *p) {
    /* -(x, y) = (x, -y), so u = x/y changes sign. */
    *r = *p;
    lighter_fp5_neg(&r->u, &p->u);
}

void lighter_point_encode(lighter_fp5 *w, const lighter_point *p) {
    /* w = 1/u = T/U; for the neutral U = 0 and the inverse of 0 is 0. */
    lighter_fp5 u_inv;
    lighter_fp5_inverse(&u_inv, &p->u);
    lighter_fp5_mul(w, &p->t, &u_inv);
    lighter_fp5_canonicalize(w, w);
}

/* The two x on the curve with y = w·x: roots of x^2 - (w^2 - a)x + b = 0. Returns the
 * all-ones mask when they exist (discriminant is a square). */
static uint64_t roots_for_encoding(const lighter_fp5 *w, lighter_fp5 *x1, lighter_fp5 *x2) {
    lighter_fp5 e, delta, four_b, r, two;
    lighter_fp5_square(&e, w);
    lighter_fp5_set_small(&two, 2);
    lighter_fp5_sub(&e, &e, &two);                      /* e = w^2 - a */
    lighter_fp5_square(&delta, &e);
    lighter_fp5_set_small(&four_b, 4);
    lighter_fp5_mul_by_curve_b(&four_b, &four_b);
    lighter_fp5_sub(&delta, &delta, &four_b);           /* Δ = e^2 - 4b */
    uint64_t ok = lighter_gf_mask((uint64_t)lighter_fp5_sqrt(&r, &delta));
    lighter_fp5_add(x1, &e, &r);
    lighter_fp5_scale(x1, x1, HALF);
    lighter_fp5_sub(x2, &e, &r);
    lighter_fp5_scale(x2, x2, HALF);
    return ok;
}

int lighter_point_decode(lighter_point *p, const lighter_fp5 *w) {
    lighter_fp5 x1, x2, x;
    uint64_t ok = roots_for_encoding(w, &x1, &x2);
    /* x1·x2 = b is not a square, so exactly one root is a square; the group element (an
     * odd-order point plus N) is the one whose x is NOT a square. */
    uint64_t x1_square = lighter_gf_equal_mask(lighter_fp5_legendre(&x1), 1);
    lighter_fp5_select(&x, x1_square, &x1, &x2);
    uint64_t neutral = lighter_fp5_is_zero_mask(w);
    uint64_t valid = ok | neutral;
    lighter_point decoded, neutral_point;
    decoded.x = x;
    lighter_fp5_set_small(&decoded.z, 1);
    lighter_fp5_set_small(&decoded.u, 1);
    decoded.t = *w;                                      /* u = 1/w */
    lighter_point_set_neutral(&neutral_point);
    uint64_t use_decoded = valid & ~neutral;
    lighter_fp5_select(&p->x, use_decoded, &neutral_point.x, &decoded.x);
    lighter_fp5_select(&p->z, use_decoded, &neutral_point.z, &decoded.z);
    lighter_fp5_select(&p->u, use_decoded, &neutral_point.u, &decoded.u);
    lighter_fp5_select(&p->t, use_decoded, &neutral_point.t, &decoded.t);
    return (int)(valid & 1);
}

int lighter_point_decode_weierstrass(const lighter_fp5 *w, lighter_fp5 *big_x, lighter_fp5 *big_y, int *infinity) {
    lighter_fp5 x1, x2, x, y, shift;
    *infinity = 0;
    if (lighter_fp5_is_zero_mask(w)) {
        *infinity = 1;
        lighter_fp5_zero(big_x);
        lighter_fp5_zero(big_y);
        return 1;
    }
    if (!roots_for_encoding(w, &x1, &x2)) return 0;
    /* The odd-order point sharing this w has the square root x and y = -w·x. */
    uint64_t x1_square = lighter_gf_equal_mask(lighter_fp5_legendre(&x1), 1);
    lighter_fp5_select(&x, x1_square, &x2, &x1);
    lighter_fp5_mul(&y, w, &x);
    lighter_fp5_neg(big_y, &y);
    lighter_fp5_set_small(&shift, TWO_THIRDS);
    lighter_fp5_add(big_x, &x, &shift);
    lighter_fp5_canonicalize(big_x, big_x);
    lighter_fp5_canonicalize(big_y, big_y);
    return 1;
}

void lighter_point_batch_to_affine(lighter_point_affine *out, const lighter_point *in, size_t n, lighter_fp5 *prefix) {
    /* Invert all 2n denominators (Z_i and T_i) at once: prefix products, one inversion,
     * then walk back. */
    if (n == 0) return;
    size_t m = 2 * n;
    lighter_fp5 acc;
    lighter_fp5_set_small(&acc, 1);
    for (size_t i = 0; i < m; i++) {
        prefix[i] = acc;
        const lighter_fp5 *d = (i & 1) ? &in[i / 2].t : &in[i / 2].z;
        lighter_fp5_mul(&acc, &acc, d);
    }
    lighter_fp5 inv;
    lighter_fp5_inverse(&inv, &acc);
    for (size_t i = m; i-- > 0;) {
        const lighter_fp5 *d = (i & 1) ? &in[i / 2].t : &in[i / 2].z;
        lighter_fp5 d_inv;
        lighter_fp5_mul(&d_inv, &inv, &prefix[i]);     /* 1/d_i */
        lighter_fp5_mul(&inv, &inv, d);                /* 1/(d_0 ... d_{i-1}) */
        if (i & 1) lighter_fp5_mul(&out[i / 2].u, &in[i / 2].u, &d_inv);
        else lighter_fp5_mul(&out[i / 2].x, &in[i / 2].x, &d_inv);
    }
    for (size_t i = 0; i < n; i++) {
        lighter_fp5_canonicalize(&out[i].x, &out[i].x);
        lighter_fp5_canonicalize(&out[i].u, &out[i].u);
    }
}
