/* Pedersen hash with windowed precomputed tables (see pedersen.h).
 * Everything here works on public data (order fields, asset ids), so variable-time code and
 * table indexes taken from the input bits are fine. */
#include "exchanges/edgex/pedersen.h"

#include <pthread.h>
#include <stdlib.h>

#ifndef PEDERSEN_WINDOW_BITS
#define PEDERSEN_WINDOW_BITS 8
#endif
#define BITS_PER_INPUT 252
#define WINDOWS ((BITS_PER_INPUT + PEDERSEN_WINDOW_BITS - 1) / PEDERSEN_WINDOW_BITS)
#define ENTRIES (1 << PEDERSEN_WINDOW_BITS)

/* Shift point and the four base points; the rest follow by doubling. */
static const edgex_u256 SHIFT_X = {{0x551fde4050ca6804ull, 0x716b0b1022947733ull, 0x00ee1b87eb599f16ull, 0x049ee3eba8c16007ull}};
static const edgex_u256 SHIFT_Y = {{0xd0405d266e10268aull, 0x4e621062c0e056c1ull, 0xf346d49d06ea0ed3ull, 0x03ca0cfe4b3bc6ddull}};
static const struct {
    int index, count;
    edgex_u256 x, y;
} BASES[4] = {
    {2, 248,
     {{0x1080d17957ebe47bull, 0x8fa8120b6d56eb0cull, 0x969c748655fca9e5ull, 0x0234287dcbaffe7full}},
     {{0x6ed0268ee89e5615ull, 0x940135dd7a6c94ccull, 0x1e889527d41f4e39ull, 0x03b056f100f96fb2ull}}},
    {250, 4,
     {{0xb7a6932dba8aa378ull, 0x99099ec1de5e3018ull, 0x3f9dab2656558f33ull, 0x04fa56f376c83db3ull}},
     {{0x5168f4e80ff5b54dull, 0x562761f92a7a23b4ull, 0x8113e0c0e47e4401ull, 0x03fa0984c931c9e3ull}}},
    {254, 248,
     {{0x3aa372f0bd2d6997ull, 0x40c690c74709e90full, 0x764910f75b45f74bull, 0x04ba4cc166be8decull}},
     {{0x48151f27b24b219cull, 0xcac5c59a5ce5ae7cull, 0x4b971e46c4ede85full, 0x0040301cf5c1751full}}},
    {502, 4,
     {{0xd36ff12c49a58202ull, 0x2ca65048d53fb325ull, 0x6e44cca8f61a63bbull, 0x054302dcb0e6cc1cull}},
     {{0x879dcc77e99c2426ull, 0xce98ad783c25561aull, 0xb348046268d8ae25ull, 0x01b77b3e37d13504ull}}},
};

static stark_point points[PEDERSEN_POINT_COUNT];
/* table[i][w][v] = sum of the points of input i whose bit (w*WINDOW + t) is set in v; entry 0
 * (the empty sum) is never read. */
static stark_point (*table)[WINDOWS][ENTRIES];
static int init_failed;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static int window_width(int w) {
    int rest = BITS_PER_INPUT - w * PEDERSEN_WINDOW_BITS;
    return rest < PEDERSEN_WINDOW_BITS ? rest : PEDERSEN_WINDOW_BITS;
}

static void build(void) {
    stark_curve_init();
    stark_point *shift = &points[0];
    if (stark_point_from_u256(shift, &SHIFT_X, &SHIFT_Y) != 0) { init_failed = 1; return; }
    points[1] = *stark_curve_generator();
    for (int b = 0; b < 4; b++) {
        stark_proj cur;
        stark_point base;
        if (stark_point_from_u256(&base, &BASES[b].x, &BASES[b].y) != 0) { init_failed = 1; return; }
        stark_proj_from_point(&cur, &base);
        for (int j = 0; j < BASES[b].count; j++) {
            if (stark_proj_to_point(&points[BASES[b].index + j], &cur) != 0) { init_failed = 1; return; }
            stark_proj_add(&cur, &cur, &cur);
        }
    }

    size_t total = 2 * WINDOWS * ENTRIES;
    stark_proj *proj = malloc(total * sizeof *proj);
    stark_felt *scratch = malloc(total * sizeof *scratch);
    table = malloc(2 * sizeof *table);
    if (!proj || !scratch || !table) { init_failed = 1; free(proj); free(scratch); return; }
    /* Every (i, w, v) slot gets a projective point; v = 0 and the unused upper half of a
     * narrow last window get the shift point as filler so the batch inversion never meets
     * the point at infinity. */
    for (int i = 0; i < 2; i++) {
        for (int w = 0; w < WINDOWS; w++) {
            stark_proj *row = proj + ((size_t)i * WINDOWS + w) * ENTRIES;
            int width = window_width(w);
            stark_proj_from_point(&row[0], shift);
            for (int v = 1; v < ENTRIES; v++) {
                if (v >= (1 << width)) { row[v] = row[0]; continue; }
                int top = 31 - __builtin_clz((unsigned)v);
                const stark_point *p = &points[2 + BITS_PER_INPUT * i + PEDERSEN_WINDOW_BITS * w + top];
                int rest = v ^ (1 << top);
                if (rest == 0) stark_proj_from_point(&row[v], p);
                else stark_proj_add_point(&row[v], &row[rest], p);
            }
        }
    }
    if (stark_proj_batch_to_point(&table[0][0][0], proj, total, scratch) != 0) init_failed = 1;
    free(proj);
    free(scratch);
}

void edgex_pedersen_init(void) { pthread_once(&init_once, build); }

const stark_point *edgex_pedersen_constant_point(int index) {
    edgex_pedersen_init();
    if (init_failed || index < 0 || index >= PEDERSEN_POINT_COUNT) return NULL;
    return &points[index];
}

typedef struct jacobian {
    stark_felt x, y, z;   /* (X/Z^2, Y/Z^3) */
} jacobian;

/* acc += q (q affine). Returns -1 when acc and q share an x coordinate, the case the
 * reference rejects (the formula would need a doubling or give infinity). */
static int jacobian_add_point(jacobian *acc, const stark_point *q) {
    stark_felt z1z1, u2, s2, h, r, hh, hhh, v, t;
    stark_felt_sqr(&z1z1, &acc->z);
    stark_felt_mul(&u2, &q->x, &z1z1);
    stark_felt_mul(&s2, &acc->z, &z1z1);
    stark_felt_mul(&s2, &s2, &q->y);
    stark_felt_sub(&h, &u2, &acc->x);
    if (stark_felt_is_zero_mask(&h)) return -1;
    stark_felt_sub(&r, &s2, &acc->y);
    stark_felt_sqr(&hh, &h);
    stark_felt_mul(&hhh, &h, &hh);
    stark_felt_mul(&v, &acc->x, &hh);
    /* X3 = r^2 - HHH - 2V */
    stark_felt_sqr(&t, &r);
    stark_felt_sub(&t, &t, &hhh);
    stark_felt_sub(&t, &t, &v);
    stark_felt_sub(&t, &t, &v);
    /* Y3 = r (V - X3) - Y1 HHH */
    stark_felt_sub(&v, &v, &t);
    stark_felt_mul(&v, &r, &v);
    stark_felt_mul(&hhh, &acc->y, &hhh);
    stark_felt_sub(&acc->y, &v, &hhh);
    acc->x = t;
    stark_felt_mul(&acc->z, &acc->z, &h);
    return 0;
}

static int check_inputs(const edgex_u256 *a, const edgex_u256 *b, edgex_error *err) {
    edgex_pedersen_init();
    if (init_failed) return edgex_fail(err, EDGEX_E_CRYPTO, "pedersen: constant tables could not be built");
    if (edgex_u256_cmp(a, &STARK_FIELD_PRIME) >= 0)
        return edgex_fail(err, EDGEX_E_INPUT, "pedersen: first input is not below the field prime");
    if (edgex_u256_cmp(b, &STARK_FIELD_PRIME) >= 0)
        return edgex_fail(err, EDGEX_E_INPUT, "pedersen: second input is not below the field prime");
    return EDGEX_OK;
}

int edgex_pedersen_hash_point(stark_point *out, const edgex_u256 *a, const edgex_u256 *b, edgex_error *err) {
    int rc = check_inputs(a, b, err);
    if (rc) return rc;
    jacobian acc;
    acc.x = points[0].x;
    acc.y = points[0].y;
    stark_felt_one(&acc.z);
    const edgex_u256 *inputs[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        const edgex_u256 *x = inputs[i];
        for (int w = 0; w < WINDOWS; w++) {
            unsigned bit = (unsigned)(w * PEDERSEN_WINDOW_BITS);
            /* A window never straddles a limb: 64 is a multiple of the window width. */
            unsigned digit = (unsigned)(x->limb[bit / 64] >> (bit % 64)) & (ENTRIES - 1);
            if (!digit) continue;
            if (jacobian_add_point(&acc, &table[i][w][digit]) != 0)
                return edgex_fail(err, EDGEX_E_CRYPTO, "pedersen: running point collided with a constant point");
        }
    }
    stark_felt zinv, zinv2;
    stark_felt_inv(&zinv, &acc.z);
    stark_felt_sqr(&zinv2, &zinv);
    stark_felt_mul(&out->x, &acc.x, &zinv2);
    stark_felt_mul(&zinv2, &zinv2, &zinv);
    stark_felt_mul(&out->y, &acc.y, &zinv2);
    return EDGEX_OK;
}

int edgex_pedersen_hash(edgex_u256 *out, const edgex_u256 *a, const edgex_u256 *b, edgex_error *err) {
    stark_point p;
    int rc = edgex_pedersen_hash_point(&p, a, b, err);
    if (rc == EDGEX_OK) stark_felt_to_u256(out, &p.x);
    return rc;
}

int edgex_pedersen_hash_reference(edgex_u256 *out, const edgex_u256 *a, const edgex_u256 *b, edgex_error *err) {
    int rc = check_inputs(a, b, err);
    if (rc) return rc;
    stark_point acc = points[0];
    const edgex_u256 *inputs[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < BITS_PER_INPUT; j++) {
            if (!((inputs[i]->limb[j / 64] >> (j % 64)) & 1)) continue;
            const stark_point *p = &points[2 + BITS_PER_INPUT * i + j];
            if (stark_felt_equal_mask(&acc.x, &p->x))
                return edgex_fail(err, EDGEX_E_CRYPTO, "pedersen: running point collided with a constant point");
            /* affine addition: lambda = (y2 - y1) / (x2 - x1) */
            stark_felt num, den, lambda, x3, y3;
            stark_felt_sub(&num, &p->y, &acc.y);
            stark_felt_sub(&den, &p->x, &acc.x);
            stark_felt_inv(&den, &den);
            stark_felt_mul(&lambda, &num, &den);
            stark_felt_sqr(&x3, &lambda);
            stark_felt_sub(&x3, &x3, &acc.x);
            stark_felt_sub(&x3, &x3, &p->x);
            stark_felt_sub(&y3, &acc.x, &x3);
            stark_felt_mul(&y3, &lambda, &y3);
            stark_felt_sub(&y3, &y3, &acc.y);
            acc.x = x3;
            acc.y = y3;
        }
    }
    stark_felt_to_u256(out, &acc.x);
    return EDGEX_OK;
}
