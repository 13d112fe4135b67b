/* Stark curve point arithmetic (see stark_curve.h). */
#include "exchanges/edgex/stark_curve.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>

#define GEN_WINDOWS 63   /* 63 * 4 = 252 bits >= bit length of N */

static const edgex_u256 BETA_INT = {{0xf4cdfcb99cee9e89ull, 0x609ad26c15c915c1ull, 0x150e596d72f7a8c5ull,
                                     0x06f21413efbe40deull}};
static const edgex_u256 GEN_X = {{0x3d723d8bc943cfcaull, 0xdeacfd9b0d1819e0ull, 0x7beced415a40f0c7ull,
                                  0x01ef15c18599971bull}};
static const edgex_u256 GEN_Y = {{0x2873000c36e8dc1full, 0xde53ecd11abe43a3ull, 0xb7be4801df46ec62ull,
                                  0x005668060aa49730ull}};

static stark_felt beta, b3;          /* beta and 3*beta in Montgomery form */
static stark_point generator;
/* gen_table[w][j] = j * 16^w * G for j = 1..15; entry 0 holds 16^w * G as a harmless stand-in
 * (an addition with it is computed and then discarded when the digit is 0). */
static stark_point gen_table[GEN_WINDOWS][16];
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

void stark_proj_infinity(stark_proj *out) {
    stark_felt_zero(&out->x);
    stark_felt_one(&out->y);
    stark_felt_zero(&out->z);
}

void stark_proj_from_point(stark_proj *out, const stark_point *p) {
    out->x = p->x;
    out->y = p->y;
    stark_felt_one(&out->z);
}

void stark_proj_neg(stark_proj *out, const stark_proj *p) {
    out->x = p->x;
    stark_felt_neg(&out->y, &p->y);
    out->z = p->z;
}

/* Renes-Costello-Batina algorithm 1 (complete addition, a = 1, so a*t is just t). */
void stark_proj_add(stark_proj *out, const stark_proj *p, const stark_proj *q) {
    stark_felt t0, t1, t2, t3, t4, t5, x3, y3, z3;
    stark_felt_mul(&t0, &p->x, &q->x);
    stark_felt_mul(&t1, &p->y, &q->y);
    stark_felt_mul(&t2, &p->z, &q->z);
    stark_felt_add(&t3, &p->x, &p->y);
    stark_felt_add(&t4, &q->x, &q->y);
    stark_felt_mul(&t3, &t3, &t4);
    stark_felt_add(&t4, &t0, &t1);
    stark_felt_sub(&t3, &t3, &t4);
    stark_felt_add(&t4, &p->x, &p->z);
    stark_felt_add(&t5, &q->x, &q->z);
    stark_felt_mul(&t4, &t4, &t5);
    stark_felt_add(&t5, &t0, &t2);
    stark_felt_sub(&t4, &t4, &t5);
    stark_felt_add(&t5, &p->y, &p->z);
    stark_felt_add(&x3, &q->y, &q->z);
    stark_felt_mul(&t5, &t5, &x3);
    stark_felt_add(&x3, &t1, &t2);
    stark_felt_sub(&t5, &t5, &x3);
    z3 = t4;                                  /* a * t4 */
    stark_felt_mul(&x3, &b3, &t2);
    stark_felt_add(&z3, &x3, &z3);
    stark_felt_sub(&x3, &t1, &z3);
    stark_felt_add(&z3, &t1, &z3);
    stark_felt_mul(&y3, &x3, &z3);
    stark_felt_add(&t1, &t0, &t0);
    stark_felt_add(&t1, &t1, &t0);
    /* t2 = a * t2 = t2 */
    stark_felt_mul(&t4, &b3, &t4);
    stark_felt_add(&t1, &t1, &t2);
    stark_felt_sub(&t2, &t0, &t2);
    /* t2 = a * t2 = t2 */
    stark_felt_add(&t4, &t4, &t2);
    stark_felt_mul(&t0, &t1, &t4);
    stark_felt_add(&y3, &y3, &t0);
    stark_felt_mul(&t0, &t5, &t4);
    stark_felt_mul(&x3, &t3, &x3);
    stark_felt_sub(&x3, &x3, &t0);
    stark_felt_mul(&t0, &t3, &t1);
    stark_felt_mul(&z3, &t5, &z3);
    stark_felt_add(&z3, &z3, &t0);
    out->x = x3;
    out->y = y3;
    out->z = z3;
}

/* Renes-Costello-Batina algorithm 2 (mixed addition, Q affine and therefore finite). */
void stark_proj_add_point(stark_proj *out, const stark_proj *p, const stark_point *q) {
    stark_felt t0, t1, t2, t3, t4, t5, x3, y3, z3;
    stark_felt_mul(&t0, &p->x, &q->x);
    stark_felt_mul(&t1, &p->y, &q->y);
    stark_felt_add(&t3, &q->x, &q->y);
    stark_felt_add(&t4, &p->x, &p->y);
    stark_felt_mul(&t3, &t3, &t4);
    stark_felt_add(&t4, &t0, &t1);
    stark_felt_sub(&t3, &t3, &t4);
    stark_felt_mul(&t4, &q->x, &p->z);
    stark_felt_add(&t4, &t4, &p->x);
    stark_felt_mul(&t5, &q->y, &p->z);
    stark_felt_add(&t5, &t5, &p->y);
    z3 = t4;                                  /* a * t4 */
    stark_felt_mul(&x3, &b3, &p->z);
    stark_felt_add(&z3, &x3, &z3);
    stark_felt_sub(&x3, &t1, &z3);
    stark_felt_add(&z3, &t1, &z3);
    stark_felt_mul(&y3, &x3, &z3);
    stark_felt_add(&t1, &t0, &t0);
    stark_felt_add(&t1, &t1, &t0);
    t2 = p->z;                                /* a * Z1 */
    stark_felt_mul(&t4, &b3, &t4);
    stark_felt_add(&t1, &t1, &t2);
    stark_felt_sub(&t2, &t0, &t2);
    /* t2 = a * t2 = t2 */
    stark_felt_add(&t4, &t4, &t2);
    stark_felt_mul(&t0, &t1, &t4);
    stark_felt_add(&y3, &y3, &t0);
    stark_felt_mul(&t0, &t5, &t4);
    stark_felt_mul(&x3, &t3, &x3);
    stark_felt_sub(&x3, &x3, &t0);
    stark_felt_mul(&t0, &t3, &t1);
    stark_felt_mul(&z3, &t5, &z3);
    stark_felt_add(&z3, &z3, &t0);
    out->x = x3;
    out->y = y3;
    out->z = z3;
}

int stark_proj_to_point(stark_point *out, const stark_proj *p) {
    if (stark_felt_is_zero_mask(&p->z)) return -1;
    stark_felt zinv;
    stark_felt_inv(&zinv, &p->z);
    stark_felt_mul(&out->x, &p->x, &zinv);
    stark_felt_mul(&out->y, &p->y, &zinv);
    return 0;
}

int stark_proj_batch_to_point(stark_point *out, const stark_proj *in, size_t n, stark_felt *scratch) {
    if (n == 0) return 0;
    /* scratch[i] = z0 * z1 * ... * zi; one inversion of the full product, then walk back. */
    scratch[0] = in[0].z;
    for (size_t i = 1; i < n; i++) stark_felt_mul(&scratch[i], &scratch[i - 1], &in[i].z);
    if (stark_felt_is_zero_mask(&scratch[n - 1])) return -1;
    stark_felt inv;
    stark_felt_inv(&inv, &scratch[n - 1]);
    for (size_t i = n; i-- > 0;) {
        stark_felt zinv;
        if (i > 0) {
            stark_felt_mul(&zinv, &inv, &scratch[i - 1]);
            stark_felt_mul(&inv, &inv, &in[i].z);
        } else {
            zinv = inv;
        }
        stark_felt_mul(&out[i].x, &in[i].x, &zinv);
        stark_felt_mul(&out[i].y, &in[i].y, &zinv);
    }
    return 0;
}

static void curve_rhs(stark_felt *out, const stark_felt *x) {
    stark_felt x3;
    stark_felt_sqr(&x3, x);
    stark_felt_mul(&x3, &x3, x);
    stark_felt_add(&x3, &x3, x);
    stark_felt_add(out, &x3, &beta);
}

static void build_tables(void) {
    stark_felt three;
    stark_felt_from_u256(&beta, &BETA_INT);
    stark_felt_from_u64(&three, 3);
    stark_felt_mul(&b3, &beta, &three);
    stark_felt_from_u256(&generator.x, &GEN_X);
    stark_felt_from_u256(&generator.y, &GEN_Y);

    stark_proj *proj = malloc(sizeof(stark_proj) * GEN_WINDOWS * 16);
    stark_felt *scratch = malloc(sizeof(stark_felt) * GEN_WINDOWS * 16);
    if (!proj || !scratch) abort();   /* 100 KB at start-up; nothing sensible to fall back to */
    stark_proj base;
    stark_proj_from_point(&base, &generator);
    for (int w = 0; w < GEN_WINDOWS; w++) {
        stark_proj *row = proj + 16 * w;
        row[0] = base;
        row[1] = base;
        for (int j = 2; j < 16; j++) stark_proj_add(&row[j], &row[j - 1], &base);
        stark_proj_add(&base, &row[15], &base);   /* 16^(w+1) * G */
    }
    if (stark_proj_batch_to_point(&gen_table[0][0], proj, GEN_WINDOWS * 16, scratch) != 0) abort();
    free(proj);
    free(scratch);
}

void stark_curve_init(void) { pthread_once(&init_once, build_tables); }

const stark_point *stark_curve_generator(void) {
    stark_curve_init();
    return &generator;
}

const stark_felt *stark_curve_beta(void) {
    stark_curve_init();
    return &beta;
}

int stark_point_is_on_curve(const stark_point *p) {
    stark_curve_init();
    stark_felt lhs, rhs;
    stark_felt_sqr(&lhs, &p->y);
    curve_rhs(&rhs, &p->x);
    return stark_felt_equal_mask(&lhs, &rhs) != 0;
}

int stark_point_from_u256(stark_point *out, const edgex_u256 *x, const edgex_u256 *y) {
    stark_point p;
    if (stark_felt_from_u256(&p.x, x) != 0 || stark_felt_from_u256(&p.y, y) != 0) return -1;
    if (!stark_point_is_on_curve(&p)) return -1;
    *out = p;
    return 0;
}

void stark_point_to_u256(edgex_u256 *x, edgex_u256 *y, const stark_point *p) {
    if (x) stark_felt_to_u256(x, &p->x);
    if (y) stark_felt_to_u256(y, &p->y);
}

int stark_curve_y_from_x(stark_felt *y, const stark_felt *x) {
    stark_curve_init();
    stark_felt rhs;
    curve_rhs(&rhs, x);
    return stark_felt_sqrt_vartime(y, &rhs);
}

void stark_mul_generator(stark_proj *out, const edgex_u256 *k) {
    stark_curve_init();
    stark_proj acc, sum;
    stark_point pick;
    stark_proj_infinity(&acc);
    for (int w = 0; w < GEN_WINDOWS; w++) {
        uint64_t digit = (k->limb[w / 16] >> (4 * (w % 16))) & 15;
        stark_felt_zero(&pick.x);
        stark_felt_zero(&pick.y);
        for (uint64_t j = 0; j < 16; j++) {
            /* mask = all ones iff j == digit, computed without a comparison branch */
            uint64_t diff = j ^ digit;
            uint64_t mask = ((diff | (0 - diff)) >> 63) - 1;
            stark_felt_cmov(&pick.x, &gen_table[w][j].x, mask);
            stark_felt_cmov(&pick.y, &gen_table[w][j].y, mask);
        }
        stark_proj_add_point(&sum, &acc, &pick);
        uint64_t nonzero = 0 - ((digit | (0 - digit)) >> 63);
        stark_felt_cmov(&acc.x, &sum.x, nonzero);
        stark_felt_cmov(&acc.y, &sum.y, nonzero);
        stark_felt_cmov(&acc.z, &sum.z, nonzero);
    }
    *out = acc;
    /* the partial sums and table picks reveal the scalar's digits */
    sodium_memzero(&acc, sizeof acc);
    sodium_memzero(&sum, sizeof sum);
    sodium_memzero(&pick, sizeof pick);
}

void stark_mul_vartime(stark_proj *out, const stark_point *p, const edgex_u256 *k) {
    stark_curve_init();
    stark_proj acc;
    stark_proj_infinity(&acc);
    for (int bit = (int)edgex_u256_bit_length(k) - 1; bit >= 0; bit--) {
        stark_proj_add(&acc, &acc, &acc);
        if ((k->limb[bit / 64] >> (bit % 64)) & 1) stark_proj_add_point(&acc, &acc, p);
    }
    *out = acc;
}
