/* GF(p^5) arithmetic. Products use lazy reduction: the five 128-bit partial products of one
 * output limb are summed as separate low and high 64-bit halves (so the sums stay below
 * 2^68 with coefficients up to 13), folded once with 2^64 ≡ 2^32 - 1, and reduced once —
 * one reduction per limb instead of one per product. */
#include "exchanges/lighter/quintic.h"

#include <string.h>

#define LO(x) ((lighter_u128)(uint64_t)(x))
#define HI(x) ((x) >> 64)

/* lo_sum + hi_sum·2^64 reduced mod p. hi_sum < 2^68 so (hi_sum << 32) stays below 2^100. */
static inline uint64_t fold(lighter_u128 lo_sum, lighter_u128 hi_sum) {
    return lighter_gf_reduce128(lo_sum + (hi_sum << 32) - hi_sum);
}

void lighter_fp5_zero(lighter_fp5 *r) { memset(r, 0, sizeof *r); }

void lighter_fp5_set_small(lighter_fp5 *r, uint64_t c0) {
    lighter_fp5_zero(r);
    r->c[0] = c0;
}

void lighter_fp5_add(lighter_fp5 *r, const lighter_fp5 *a, const lighter_fp5 *b) {
    for (int i = 0; i < 5; i++) r->c[i] = lighter_gf_add(a->c[i], b->c[i]);
}

void lighter_fp5_sub(lighter_fp5 *r, const lighter_fp5 *a, const lighter_fp5 *b) {
    for (int i = 0; i < 5; i++) r->c[i] = lighter_gf_sub(a->c[i], b->c[i]);
}

void lighter_fp5_neg(lighter_fp5 *r, const lighter_fp5 *a) {
    for (int i = 0; i < 5; i++) r->c[i] = lighter_gf_neg(a->c[i]);
}

void lighter_fp5_double(lighter_fp5 *r, const lighter_fp5 *a) {
    for (int i = 0; i < 5; i++) r->c[i] = lighter_gf_add(a->c[i], a->c[i]);
}

void lighter_fp5_mul(lighter_fp5 *r, const lighter_fp5 *a, const lighter_fp5 *b) {
    const uint64_t *x = a->c, *y = b->c;
    lighter_u128 p00 = (lighter_u128)x[0] * y[0], p01 = (lighter_u128)x[0] * y[1], p02 = (lighter_u128)x[0] * y[2],
                 p03 = (lighter_u128)x[0] * y[3], p04 = (lighter_u128)x[0] * y[4];
    lighter_u128 p10 = (lighter_u128)x[1] * y[0], p11 = (lighter_u128)x[1] * y[1], p12 = (lighter_u128)x[1] * y[2],
                 p13 = (lighter_u128)x[1] * y[3], p14 = (lighter_u128)x[1] * y[4];
    lighter_u128 p20 = (lighter_u128)x[2] * y[0], p21 = (lighter_u128)x[2] * y[1], p22 = (lighter_u128)x[2] * y[2],
                 p23 = (lighter_u128)x[2] * y[3], p24 = (lighter_u128)x[2] * y[4];
    lighter_u128 p30 = (lighter_u128)x[3] * y[0], p31 = (lighter_u128)x[3] * y[1], p32 = (lighter_u128)x[3] * y[2],
                 p33 = (lighter_u128)x[3] * y[3], p34 = (lighter_u128)x[3] * y[4];
    lighter_u128 p40 = (lighter_u128)x[4] * y[0], p41 = (lighter_u128)x[4] * y[1], p42 = (lighter_u128)x[4] * y[2],
                 p43 = (lighter_u128)x[4] * y[3], p44 = (lighter_u128)x[4] * y[4];
    /* X^5 = 3: products whose degrees sum to 5 + k land on limb k with a factor 3. */
    r->c[0] = fold(LO(p00) + 3 * (LO(p14) + LO(p23) + LO(p32) + LO(p41)),
                   HI(p00) + 3 * (HI(p14) + HI(p23) + HI(p32) + HI(p41)));
    r->c[1] = fold(LO(p01) + LO(p10) + 3 * (LO(p24) + LO(p33) + LO(p42)),
                   HI(p01) + HI(p10) + 3 * (HI(p24) + HI(p33) + HI(p42)));
    r->c[2] = fold(LO(p02) + LO(p11) + LO(p20) + 3 * (LO(p34) + LO(p43)),
                   HI(p02) + HI(p11) + HI(p20) + 3 * (HI(p34) + HI(p43)));
    r->c[3] = fold(LO(p03) + LO(p12) + LO(p21) + LO(p30) + 3 * LO(p44),
                   HI(p03) + HI(p12) + HI(p21) + HI(p30) + 3 * HI(p44));
    r->c[4] = fold(LO(p04) + LO(p13) + LO(p22) + LO(p31) + LO(p40),
                   HI(p04) + HI(p13) + HI(p22) + HI(p31) + HI(p40));
}

void lighter_fp5_square(lighter_fp5 *r, const lighter_fp5 *a) {
    const uint64_t *x = a->c;
    lighter_u128 s00 = (lighter_u128)x[0] * x[0], s11 = (lighter_u128)x[1] * x[1], s22 = (lighter_u128)x[2] * x[2],
                 s33 = (lighter_u128)x[3] * x[3], s44 = (lighter_u128)x[4] * x[4];
    lighter_u128 s01 = (lighter_u128)x[0] * x[1], s02 = (lighter_u128)x[0] * x[2], s03 = (lighter_u128)x[0] * x[3],
                 s04 = (lighter_u128)x[0] * x[4], s12 = (lighter_u128)x[1] * x[2], s13 = (lighter_u128)x[1] * x[3],
                 s14 = (lighter_u128)x[1] * x[4], s23 = (lighter_u128)x[2] * x[3], s24 = (lighter_u128)x[2] * x[4],
                 s34 = (lighter_u128)x[3] * x[4];
    /* Cross terms appear twice; with the factor 3 of X^5 that gives coefficients 2, 3, 6. */
    r->c[0] = fold(LO(s00) + 6 * (LO(s14) + LO(s23)), HI(s00) + 6 * (HI(s14) + HI(s23)));
    r->c[1] = fold(2 * LO(s01) + 6 * LO(s24) + 3 * LO(s33), 2 * HI(s01) + 6 * HI(s24) + 3 * HI(s33));
    r->c[2] = fold(2 * LO(s02) + LO(s11) + 6 * LO(s34), 2 * HI(s02) + HI(s11) + 6 * HI(s34));
    r->c[3] = fold(2 * (LO(s03) + LO(s12)) + 3 * LO(s44), 2 * (HI(s03) + HI(s12)) + 3 * HI(s44));
    r->c[4] = fold(2 * (LO(s04) + LO(s13)) + LO(s22), 2 * (HI(s04) + HI(s13)) + HI(s22));
}

void lighter_fp5_scale(lighter_fp5 *r, const lighter_fp5 *a, uint64_t k) {
    for (int i = 0; i < 5; i++) r->c[i] = lighter_gf_mul(a->c[i], k);
}

void lighter_fp5_mul_by_curve_b(lighter_fp5 *r, const lighter_fp5 *a) {
    /* 263·X·(a0 + a1X + ... + a4X^4) = 263·(3a4 + a0X + a1X^2 + a2X^3 + a3X^4) */
    uint64_t a4 = a->c[4];
    uint64_t t0 = lighter_gf_reduce128((lighter_u128)a4 * (3 * 263));
    uint64_t t1 = lighter_gf_reduce128((lighter_u128)a->c[0] * 263);
    uint64_t t2 = lighter_gf_reduce128((lighter_u128)a->c[1] * 263);
    uint64_t t3 = lighter_gf_reduce128((lighter_u128)a->c[2] * 263);
    uint64_t t4 = lighter_gf_reduce128((lighter_u128)a->c[3] * 263);
    r->c[0] = t0; r->c[1] = t1; r->c[2] = t2; r->c[3] = t3; r->c[4] = t4;
}

/* D^i and D^(2i) with D = 3^((p-1)/5): X^p = D·X because p ≡ 1 (mod 5). */
static const uint64_t FROBENIUS_1[5] = {1, 1041288259238279555ULL, 15820824984080659046ULL,
                                        211587555138949697ULL, 1373043270956696022ULL};
static const uint64_t FROBENIUS_2[5] = {1, 15820824984080659046ULL, 1373043270956696022ULL,
                                        1041288259238279555ULL, 211587555138949697ULL};

void lighter_fp5_frobenius(lighter_fp5 *r, const lighter_fp5 *a) {
    for (int i = 0; i < 5; i++) r->c[i] = lighter_gf_mul(a->c[i], FROBENIUS_1[i]);
}

void lighter_fp5_frobenius2(lighter_fp5 *r, const lighter_fp5 *a) {
    for (int i = 0; i < 5; i++) r->c[i] = lighter_gf_mul(a->c[i], FROBENIUS_2[i]);
}

/* Limb 0 of a·b: the only limb of a product known to lie in GF(p) (a norm). */
static uint64_t mul_limb0(const lighter_fp5 *a, const lighter_fp5 *b) {
    const uint64_t *x = a->c, *y = b->c;
    lighter_u128 p00 = (lighter_u128)x[0] * y[0], p14 = (lighter_u128)x[1] * y[4], p23 = (lighter_u128)x[2] * y[3],
                 p32 = (lighter_u128)x[3] * y[2], p41 = (lighter_u128)x[4] * y[1];
    return fold(LO(p00) + 3 * (LO(p14) + LO(p23) + LO(p32) + LO(p41)),
                HI(p00) + 3 * (HI(p14) + HI(p23) + HI(p32) + HI(p41)));
}

/* t = a^(p + p^2 + p^3 + p^4) = φ(a)·φ²(a)·φ³(a)·φ⁴(a), so that a·t = N(a) ∈ GF(p). */
static void norm_cofactor(lighter_fp5 *t, const lighter_fp5 *a) {
    lighter_fp5 f1, f2, t12, t34;
    lighter_fp5_frobenius(&f1, a);
    lighter_fp5_frobenius2(&f2, a);
    lighter_fp5_mul(&t12, &f1, &f2);            /* a^(p + p^2) */
    lighter_fp5_frobenius2(&t34, &t12);         /* a^(p^3 + p^4) */
    lighter_fp5_mul(t, &t12, &t34);
}

void lighter_fp5_inverse(lighter_fp5 *r, const lighter_fp5 *a) {
    lighter_fp5 t;
    norm_cofactor(&t, a);
    uint64_t norm_inv = lighter_gf_inverse(mul_limb0(a, &t));   /* 0 stays 0 */
    lighter_fp5_scale(r, &t, norm_inv);
}

uint64_t lighter_fp5_legendre(const lighter_fp5 *a) {
    lighter_fp5 t;
    norm_cofactor(&t, a);
    return lighter_gf_legendre(mul_limb0(a, &t));
}

static void square_n(lighter_fp5 *r, const lighter_fp5 *a, int n) {
    *r = *a;
    for (int i = 0; i < n; i++) lighter_fp5_square(r, r);
}

/* a^(2^32 - 1) by the same addition chain as the base-field inversion. */
static void pow_2_32_minus_1(lighter_fp5 *r, const lighter_fp5 *a) {
    lighter_fp5 e2, e3, e6, e12, e24, e30, e31, t;
    lighter_fp5_square(&t, a);    lighter_fp5_mul(&e2, &t, a);
    lighter_fp5_square(&t, &e2);  lighter_fp5_mul(&e3, &t, a);
    square_n(&t, &e3, 3);         lighter_fp5_mul(&e6, &t, &e3);
    square_n(&t, &e6, 6);         lighter_fp5_mul(&e12, &t, &e6);
    square_n(&t, &e12, 12);       lighter_fp5_mul(&e24, &t, &e12);
    square_n(&t, &e24, 6);        lighter_fp5_mul(&e30, &t, &e6);
    lighter_fp5_square(&t, &e30); lighter_fp5_mul(&e31, &t, a);
    lighter_fp5_square(&t, &e31); lighter_fp5_mul(r, &t, a);
}

int lighter_fp5_sqrt(lighter_fp5 *r, const lighter_fp5 *a) {
    /* d = a^((p+1)/2), e = φ(d·φ²(d)) = a^((r-1)/2) with r = 1 + p + ... + p^4, g = a·e^2 =
     * N(a) ∈ GF(p); a square root of a is sqrt(g)/e (lighter.md §7.2). */
    lighter_fp5 d, e, t, e_inv;
    pow_2_32_minus_1(&t, a);
    square_n(&t, &t, 31);                      /* a^(2^63 - 2^31) */
    lighter_fp5_mul(&d, &t, a);                /* a^((p+1)/2) */
    lighter_fp5_frobenius2(&t, &d);
    lighter_fp5_mul(&t, &t, &d);
    lighter_fp5_frobenius(&e, &t);
    lighter_fp5_square(&t, &e);
    uint64_t g = mul_limb0(a, &t);
    uint64_t s;
    int ok = lighter_gf_sqrt(g, &s);
    lighter_fp5_inverse(&e_inv, &e);
    lighter_fp5_scale(r, &e_inv, s);           /* s = 0 when there is no root */
    lighter_fp5_canonicalize(r, r);
    return ok;
}

int lighter_fp5_canonical_sqrt(lighter_fp5 *r, const lighter_fp5 *a) {
    lighter_fp5 root, negated;
    int ok = lighter_fp5_sqrt(&root, a);
    lighter_fp5_neg(&negated, &root);
    lighter_fp5_canonicalize(&negated, &negated);
    uint64_t even = lighter_gf_mask((root.c[0] & 1) ^ 1);
    lighter_fp5_select(r, even, &root, &negated);
    return ok;
}

uint64_t lighter_fp5_is_zero_mask(const lighter_fp5 *a) {
    uint64_t acc = 0;
    for (int i = 0; i < 5; i++) acc |= lighter_gf_canonical(a->c[i]);
    return ((acc | ((uint64_t)0 - acc)) >> 63) - 1;
}

uint64_t lighter_fp5_equal_mask(const lighter_fp5 *a, const lighter_fp5 *b) {
    lighter_fp5 d;
    lighter_fp5_sub(&d, a, b);
    return lighter_fp5_is_zero_mask(&d);
}

void lighter_fp5_select(lighter_fp5 *r, uint64_t mask, const lighter_fp5 *a, const lighter_fp5 *b) {
    for (int i = 0; i < 5; i++) r->c[i] = a->c[i] ^ (mask & (a->c[i] ^ b->c[i]));
}

void lighter_fp5_canonicalize(lighter_fp5 *r, const lighter_fp5 *a) {
    for (int i = 0; i < 5; i++) r->c[i] = lighter_gf_canonical(a->c[i]);
}

void lighter_fp5_to_bytes(uint8_t out[LIGHTER_FP5_BYTES], const lighter_fp5 *a) {
    for (int i = 0; i < 5; i++) {
        uint64_t v = lighter_gf_canonical(a->c[i]);
        for (int j = 0; j < 8; j++) out[8 * i + j] = (uint8_t)(v >> (8 * j));
    }
}

int lighter_fp5_from_bytes(lighter_fp5 *r, const uint8_t in[LIGHTER_FP5_BYTES]) {
    int canonical = 1;
    for (int i = 0; i < 5; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++) v |= (uint64_t)in[8 * i + j] << (8 * j);
        if (v >= LIGHTER_GF_P) canonical = 0;   /* public data: a plain branch is fine */
        r->c[i] = lighter_gf_canonical(v);
    }
    return canonical;
}
