/* F_p arithmetic for the Stark curve (see stark_field.h for the representation and why). */
#include "exchanges/edgex/stark_field.h"


const edgex_u256 STARK_FIELD_PRIME = {{1, 0, 0, STARK_P3}};

/* R mod p (Montgomery one) and R^2 mod p, R = 2^256. tests/c/test_edgex_stark.c checks them
 * against a round trip through the integer form. */
static const stark_felt MONT_ONE = {{0xffffffffffffffe1ull, 0xffffffffffffffffull, 0xffffffffffffffffull,
                                      0x07fffffffffffdf0ull}};
static const stark_felt MONT_R2 = {{0xfffffd737e000401ull, 0x00000001330fffffull, 0xffffffffff6f8000ull,
                                     0x07ffd4ab5e008810ull}};

void stark_felt_zero(stark_felt *out) { *out = (stark_felt){{0, 0, 0, 0}}; }
void stark_felt_one(stark_felt *out) { *out = MONT_ONE; }

int stark_felt_from_u256(stark_felt *out, const edgex_u256 *a) {
    if (edgex_u256_cmp(a, &STARK_FIELD_PRIME) >= 0) return -1;
    stark_felt plain = {{a->limb[0], a->limb[1], a->limb[2], a->limb[3]}};
    stark_felt_mul(out, &plain, &MONT_R2);
    return 0;
}

void stark_felt_from_u64(stark_felt *out, uint64_t a) {
    stark_felt plain = {{a, 0, 0, 0}};
    stark_felt_mul(out, &plain, &MONT_R2);
}

void stark_felt_to_u256(edgex_u256 *out, const stark_felt *a) {
    static const stark_felt plain_one = {{1, 0, 0, 0}};
    stark_felt r;
    stark_felt_mul(&r, a, &plain_one);   /* a * 1 * R^-1 leaves Montgomery form */
    for (int i = 0; i < 4; i++) out->limb[i] = r.v[i];
}

static void sqr_n(stark_felt *x, int n) {
    for (int i = 0; i < n; i++) stark_felt_sqr(x, x);
}

void stark_felt_inv(stark_felt *out, const stark_felt *a) {
    /* p - 2 = 2^251 + 2^196 + (2^192 - 1): square-and-multiply along that bit pattern, with
     * the run of 192 ones taken 8 bits at a time from x8 = a^(2^8 - 1). The sequence of
     * operations is fixed, so the time does not depend on a. */
    stark_felt x2, x4, x8, acc;
    stark_felt_sqr(&x2, a);
    stark_felt_mul(&x2, &x2, a);          /* a^3 */
    x4 = x2;
    sqr_n(&x4, 2);
    stark_felt_mul(&x4, &x4, &x2);        /* a^(2^4 - 1) */
    x8 = x4;
    sqr_n(&x8, 4);
    stark_felt_mul(&x8, &x8, &x4);        /* a^(2^8 - 1) */
    acc = *a;                             /* bit 251 */
    sqr_n(&acc, 55);
    stark_felt_mul(&acc, &acc, a);        /* bit 196 */
    sqr_n(&acc, 4);                       /* bits 195..192 are zero */
    for (int i = 0; i < 24; i++) {        /* bits 191..0 are ones */
        sqr_n(&acc, 8);
        stark_felt_mul(&acc, &acc, &x8);
    }
    *out = acc;
}

/* a^e for a public exponent given as an integer (variable time). */
static void pow_vartime(stark_felt *out, const stark_felt *a, const edgex_u256 *e) {
    stark_felt r;
    stark_felt_one(&r);
    for (int bit = (int)edgex_u256_bit_length(e) - 1; bit >= 0; bit--) {
        stark_felt_sqr(&r, &r);
        if ((e->limb[bit / 64] >> (bit % 64)) & 1) stark_felt_mul(&r, &r, a);
    }
    *out = r;
}

int stark_felt_sqrt_vartime(stark_felt *out, const stark_felt *a) {
    if (stark_felt_is_zero_mask(a)) {
        stark_felt_zero(out);
        return 0;
    }
    /* p - 1 = 2^192 * q with q = 2^59 + 17 (odd). */
    const int s = 192;
    const edgex_u256 q = {{(1ull << 59) + 17, 0, 0, 0}};
    edgex_u256 half; /* (p - 1) / 2 for the Euler criterion */
    edgex_u256 pm1 = STARK_FIELD_PRIME;
    pm1.limb[0] -= 1;
    edgex_u256_shr(&half, &pm1, 1);

    stark_felt one, minus_one, t;
    stark_felt_one(&one);
    stark_felt_neg(&minus_one, &one);
    pow_vartime(&t, a, &half);
    if (!stark_felt_equal_mask(&t, &one)) return -1;

    /* A quadratic non-residue z: the first small integer whose Euler criterion gives -1. */
    stark_felt z;
    for (uint64_t cand = 2;; cand++) {
        stark_felt_from_u64(&z, cand);
        pow_vartime(&t, &z, &half);
        if (stark_felt_equal_mask(&t, &minus_one)) break;
    }
    stark_felt c, x, b;
    edgex_u256 q_plus_1_half = {{((1ull << 59) + 18) / 2, 0, 0, 0}};
    pow_vartime(&c, &z, &q);
    pow_vartime(&x, a, &q_plus_1_half);
    pow_vartime(&b, a, &q);
    int m = s;
    while (!stark_felt_equal_mask(&b, &one)) {
        /* Smallest i with b^(2^i) == 1. */
        int i = 0;
        stark_felt b2 = b;
        while (!stark_felt_equal_mask(&b2, &one)) {
            stark_felt_sqr(&b2, &b2);
            i++;
            if (i == m) return -1;
        }
        stark_felt g = c;
        for (int j = 0; j < m - i - 1; j++) stark_felt_sqr(&g, &g);
        stark_felt_mul(&x, &x, &g);
        stark_felt_sqr(&c, &g);
        stark_felt_mul(&b, &b, &c);
        m = i;
    }
    *out = x;
    return 0;
}
