/* Goldilocks field: the slow operations (exponentiation, inversion, square root).
 * The fast ones are inline in goldilocks.h. All of them run in constant time: exponents are
 * public constants walked in a fixed order, and choices are made with masks. */
#include "exchanges/lighter/goldilocks.h"

/* Selects b when mask is all-ones, a when it is zero. */
static inline uint64_t select_u64(uint64_t mask, uint64_t a, uint64_t b) { return a ^ (mask & (a ^ b)); }

static uint64_t square_n(uint64_t a, int n) {
    for (int i = 0; i < n; i++) a = lighter_gf_square(a);
    return a;
}

uint64_t lighter_gf_exp(uint64_t a, uint64_t e) {
    uint64_t r = 1;
    for (int i = 63; i >= 0; i--) {
        r = lighter_gf_square(r);
        r = select_u64(lighter_gf_mask((e >> i) & 1), r, lighter_gf_mul(r, a));
    }
    return lighter_gf_canonical(r);
}

/* a^(2^31 - 1), the common stem of the inversion and square-root exponents. */
static uint64_t pow_2_31_minus_1(uint64_t a) {
    uint64_t e2 = lighter_gf_mul(lighter_gf_square(a), a);          /* 2^2 - 1 */
    uint64_t e3 = lighter_gf_mul(lighter_gf_square(e2), a);         /* 2^3 - 1 */
    uint64_t e6 = lighter_gf_mul(square_n(e3, 3), e3);              /* 2^6 - 1 */
    uint64_t e12 = lighter_gf_mul(square_n(e6, 6), e6);             /* 2^12 - 1 */
    uint64_t e24 = lighter_gf_mul(square_n(e12, 12), e12);          /* 2^24 - 1 */
    uint64_t e30 = lighter_gf_mul(square_n(e24, 6), e6);            /* 2^30 - 1 */
    return lighter_gf_mul(lighter_gf_square(e30), a);               /* 2^31 - 1 */
}

uint64_t lighter_gf_inverse(uint64_t a) {
    /* p - 2 = (2^31 - 1)·2^33 + (2^32 - 1). */
    uint64_t e31 = pow_2_31_minus_1(a);
    uint64_t e32 = lighter_gf_mul(lighter_gf_square(e31), a);
    return lighter_gf_canonical(lighter_gf_mul(square_n(e31, 33), e32));
}

uint64_t lighter_gf_legendre(uint64_t a) {
    /* (p - 1)/2 = (2^32 - 1)·2^31 */
    uint64_t e31 = pow_2_31_minus_1(a);
    uint64_t e32 = lighter_gf_mul(lighter_gf_square(e31), a);
    return lighter_gf_canonical(square_n(e32, 31));
}

/* A generator of the subgroup of order 2^32 (lighter.md §7.1). */
#define TWO_ADIC_GENERATOR 7277203076849721926ULL

int lighter_gf_sqrt(uint64_t a, uint64_t *root) {
    /* Tonelli-Shanks with p - 1 = q·2^32, q = 2^32 - 1, written without data-dependent
     * branches: every round computes the corrected pair and keeps it through a mask.
     * Invariant: u^2 = a·v, and the order of v halves at every round. */
    uint64_t g_pow[32];
    g_pow[0] = TWO_ADIC_GENERATOR;
    for (int j = 1; j < 32; j++) g_pow[j] = lighter_gf_square(g_pow[j - 1]);   /* g^(2^j) */

    uint64_t e31 = pow_2_31_minus_1(a);
    uint64_t v = lighter_gf_mul(lighter_gf_square(e31), a);    /* a^q */
    uint64_t u = square_n(a, 31);                               /* a^((q+1)/2) = a^(2^31) */
    const uint64_t minus_one = LIGHTER_GF_P - 1;
    for (int i = 31; i >= 1; i--) {
        uint64_t w = square_n(v, i - 1);
        uint64_t fix = lighter_gf_equal_mask(w, minus_one);
        u = select_u64(fix, u, lighter_gf_mul(u, g_pow[32 - i - 1]));
        v = select_u64(fix, v, lighter_gf_mul(v, g_pow[32 - i]));
    }
    /* a is a square exactly when v ended at 1 (or a = 0, where v = 0). */
    uint64_t ok = lighter_gf_equal_mask(v, 1) | lighter_gf_equal_mask(v, 0);
    *root = lighter_gf_canonical(u) & ok;
    return (int)(ok & 1);
}
