/* F_p arithmetic for the Stark curve (see stark_field.h for the representation and why). */
#include "exchanges/edgex/stark_field.h"

typedef unsigned __int128 u128;

/* p = 2^251 + 17*2^192 + 1: limbs 1, 0, 0, P3. */
#define P3 0x0800000000000011ull

const edgex_u256 STARK_FIELD_PRIME = {{1, 0, 0, P3}};

/* R mod p (Montgomery one) and R^2 mod p, R = 2^256. tests/c/test_edgex_stark.c checks them
 * against a round trip through the integer form. */
static const stark_felt MONT_ONE = {{0xffffffffffffffe1ull, 0xffffffffffffffffull, 0xffffffffffffffffull,
                                      0x07fffffffffffdf0ull}};
static const stark_felt MONT_R2 = {{0xfffffd737e000401ull, 0x00000001330fffffull, 0xffffffffff6f8000ull,
                                     0x07ffd4ab5e008810ull}};

/* out = t - p if t >= p else t, without a branch on t. Inputs are < 2p < 2^253. */
static inline void reduce_once(uint64_t out[4], const uint64_t t[4]) {
    uint64_t d[4], borrow = 0;
    static const uint64_t p[4] = {1, 0, 0, P3};
    for (int i = 0; i < 4; i++) {
        u128 x = (u128)t[i] - p[i] - borrow;
        d[i] = (uint64_t)x;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    /* borrow == 1 means t < p: keep t. */
    uint64_t keep = -borrow;
    for (int i = 0; i < 4; i++) out[i] = (t[i] & keep) | (d[i] & ~keep);
}

/* t + a*b + carry as a 128-bit value, split into the low word (returned) and the carry. */
static inline uint64_t mac(uint64_t t, uint64_t a, uint64_t b, uint64_t *carry) {
    u128 acc = (u128)a * b + t + *carry;
    *carry = (uint64_t)(acc >> 64);
    return (uint64_t)acc;
}

static inline uint64_t add_carry(uint64_t a, uint64_t b, uint64_t *carry) {
    u128 acc = (u128)a + b + *carry;
    *carry = (uint64_t)(acc >> 64);
    return (uint64_t)acc;
}

/* One round of interleaved (CIOS) Montgomery multiplication: t += a*bi, then add m*p with
 * m = -t0 (so the low word cancels) and shift down one word. Because p = 1 + P3*2^192,
 * m*p only touches word 0 (where t0 + m is 0 with a carry exactly when t0 != 0) and word 3
 * (m*P3): one multiplication instead of four. The state stays below 2p < 2^253. */
static inline void mont_round(uint64_t t[5], const uint64_t a[4], uint64_t bi) {
    uint64_t c = 0, t5;
    t[0] = mac(t[0], a[0], bi, &c);
    t[1] = mac(t[1], a[1], bi, &c);
    t[2] = mac(t[2], a[2], bi, &c);
    t[3] = mac(t[3], a[3], bi, &c);
    t5 = 0;
    t[4] = add_carry(t[4], c, &t5);
    uint64_t m = 0 - t[0];
    c = (uint64_t)(t[0] != 0);
    t[0] = add_carry(t[1], 0, &c);
    t[1] = add_carry(t[2], 0, &c);
    t[2] = mac(t[3], m, P3, &c);
    t[3] = add_carry(t[4], 0, &c);
    t[4] = t5 + c;
}

void stark_felt_mul(stark_felt *out, const stark_felt *a, const stark_felt *b) {
    uint64_t t[5] = {0, 0, 0, 0, 0};
    mont_round(t, a->v, b->v[0]);
    mont_round(t, a->v, b->v[1]);
    mont_round(t, a->v, b->v[2]);
    mont_round(t, a->v, b->v[3]);
    reduce_once(out->v, t);   /* t[4] is 0: the result is below 2p < 2^256 */
}

void stark_felt_sqr(stark_felt *out, const stark_felt *a) {
    stark_felt_mul(out, a, a);
}

void stark_felt_add(stark_felt *out, const stark_felt *a, const stark_felt *b) {
    uint64_t t[4];
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (u128)a->v[i] + b->v[i];
        t[i] = (uint64_t)c;
        c >>= 64;
    }
    reduce_once(out->v, t);   /* a + b < 2p < 2^253: no carry out of limb 3 */
}

void stark_felt_sub(stark_felt *out, const stark_felt *a, const stark_felt *b) {
    uint64_t t[4], borrow = 0;
    for (int i = 0; i < 4; i++) {
        u128 x = (u128)a->v[i] - b->v[i] - borrow;
        t[i] = (uint64_t)x;
        borrow = (uint64_t)(x >> 64) & 1;
    }
    /* On borrow add p back (masked, no branch). */
    uint64_t mask = -borrow;
    static const uint64_t p[4] = {1, 0, 0, P3};
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (u128)t[i] + (p[i] & mask);
        out->v[i] = (uint64_t)c;
        c >>= 64;
    }
}

void stark_felt_neg(stark_felt *out, const stark_felt *a) {
    stark_felt zero = {{0, 0, 0, 0}};
    stark_felt_sub(out, &zero, a);
}

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

uint64_t stark_felt_is_zero_mask(const stark_felt *a) {
    uint64_t x = a->v[0] | a->v[1] | a->v[2] | a->v[3];
    /* (x | -x) has its top bit set exactly when x != 0. */
    return ((x | (0 - x)) >> 63) - 1;
}

uint64_t stark_felt_equal_mask(const stark_felt *a, const stark_felt *b) {
    stark_felt d = {{a->v[0] ^ b->v[0], a->v[1] ^ b->v[1], a->v[2] ^ b->v[2], a->v[3] ^ b->v[3]}};
    return stark_felt_is_zero_mask(&d);
}

void stark_felt_cmov(stark_felt *out, const stark_felt *a, uint64_t mask) {
    for (int i = 0; i < 4; i++) out->v[i] = (out->v[i] & ~mask) | (a->v[i] & mask);
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
