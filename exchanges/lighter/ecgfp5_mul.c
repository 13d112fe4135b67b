/* Scalar multiplication on ECgFp5.
 *
 * Constant-time argument (k is a signing nonce or a private key):
 *  - the scalar is recoded into signed fixed-window digits arithmetically (scalar.c), so the
 *    digit values never steer a branch;
 *  - every table lookup reads ALL entries of the row and keeps the wanted one with masks
 *    derived from the digit, so the memory addresses touched do not depend on k;
 *  - the sign of a digit is applied by computing -u and selecting with a mask;
 *  - the sequence of field operations is the same for every k: the (x, u) formulas are
 *    complete, so a zero digit simply adds the neutral (0, 0) with the same formula;
 *  - the field and extension-field code itself has no value-dependent branches.
 * The generator table is public data; building it once does not involve any secret. */
#include "exchanges/lighter/ecgfp5.h"

#include <pthread.h>
#include <sodium.h>

/* Fixed-base comb: row i holds j·2^(5i)·G for j = 1..16 in affine form, so k·G is 64 mixed
 * additions and no doubling. 5-bit windows measured fastest here (bench_lighter): wider rows
 * cost more in constant-time scanning than they save in additions. 64 windows of 5 bits
 * cover 320 bits; a canonical scalar is below 2^319, so the top window never carries. */
#define GEN_WINDOW 5
#define GEN_ENTRIES (1 << (GEN_WINDOW - 1))
#define GEN_DIGITS ((320 + GEN_WINDOW - 1) / GEN_WINDOW)

static lighter_point_affine generator_table[GEN_DIGITS][GEN_ENTRIES];
static pthread_once_t generator_once = PTHREAD_ONCE_INIT;

static void build_generator_table(void) {
    lighter_point base, row[GEN_ENTRIES];
    lighter_fp5 scratch[2 * GEN_ENTRIES];
    lighter_point_set_generator(&base);
    for (int i = 0; i < GEN_DIGITS; i++) {
        row[0] = base;
        for (int j = 1; j < GEN_ENTRIES; j++) lighter_point_add(&row[j], &row[j - 1], &base);
        lighter_point_batch_to_affine(generator_table[i], row, GEN_ENTRIES, scratch);
        lighter_point_double(&base, &row[GEN_ENTRIES - 1]);   /* 2^w · base */
    }
}

/* Mask with all bits set when a == b (small non-negative values). */
static inline uint64_t small_equal_mask(uint32_t a, uint32_t b) {
    return (uint64_t)0 - (((uint64_t)(a ^ b) - 1) >> 63);
}

static inline void digit_split(int8_t digit, uint64_t *negative, uint32_t *magnitude) {
    int32_t d = digit;
    int32_t sign = d >> 31;                      /* -1 or 0, no branch */
    *negative = (uint64_t)(int64_t)sign;
    *magnitude = (uint32_t)((d ^ sign) - sign);
}

static void lookup_affine(lighter_point_affine *out, const lighter_point_affine *row, int8_t digit) {
    uint64_t negative;
    uint32_t magnitude;
    digit_split(digit, &negative, &magnitude);
    lighter_fp5_zero(&out->x);                   /* (0, 0) is the neutral: digit 0 */
    lighter_fp5_zero(&out->u);
    for (int j = 0; j < GEN_ENTRIES; j++) {
        uint64_t m = small_equal_mask(magnitude, (uint32_t)(j + 1));
        for (int l = 0; l < 5; l++) {
            out->x.c[l] |= m & row[j].x.c[l];
            out->u.c[l] |= m & row[j].u.c[l];
        }
    }
    lighter_fp5 minus_u;
    lighter_fp5_neg(&minus_u, &out->u);
    lighter_fp5_select(&out->u, negative, &out->u, &minus_u);
}

void lighter_point_mul_generator(lighter_point *r, const lighter_scalar *k) {
    pthread_once(&generator_once, build_generator_table);
    int8_t digits[GEN_DIGITS];
    lighter_scalar_recode_signed(digits, GEN_DIGITS, k, GEN_WINDOW);
    lighter_point acc;
    lighter_point_affine entry;
    lighter_point_set_neutral(&acc);
    for (int i = 0; i < GEN_DIGITS; i++) {
        lookup_affine(&entry, generator_table[i], digits[i]);
        lighter_point_add_affine(&acc, &acc, &entry);
    }
    *r = acc;
    sodium_memzero(digits, sizeof digits);
    sodium_memzero(&entry, sizeof entry);
    sodium_memzero(&acc, sizeof acc);
}

/* Variable base: 4-bit signed windows over a per-call table P..8P, most significant first. */
#define VAR_WINDOW 4
#define VAR_ENTRIES (1 << (VAR_WINDOW - 1))
#define VAR_DIGITS ((320 + VAR_WINDOW - 1) / VAR_WINDOW)

static void lookup_projective(lighter_point *out, const lighter_point *table, int8_t digit) {
    uint64_t negative;
    uint32_t magnitude;
    digit_split(digit, &negative, &magnitude);
    lighter_point_set_neutral(out);
    for (int j = 0; j < VAR_ENTRIES; j++) {
        uint64_t m = small_equal_mask(magnitude, (uint32_t)(j + 1));
        lighter_fp5_select(&out->x, m, &out->x, &table[j].x);
        lighter_fp5_select(&out->z, m, &out->z, &table[j].z);
        lighter_fp5_select(&out->u, m, &out->u, &table[j].u);
        lighter_fp5_select(&out->t, m, &out->t, &table[j].t);
    }
    lighter_fp5 minus_u;
    lighter_fp5_neg(&minus_u, &out->u);
    lighter_fp5_select(&out->u, negative, &out->u, &minus_u);
}

void lighter_point_mul(lighter_point *r, const lighter_point *p, const lighter_scalar *k) {
    lighter_point table[VAR_ENTRIES], acc, entry;
    table[0] = *p;
    for (int j = 1; j < VAR_ENTRIES; j++) lighter_point_add(&table[j], &table[j - 1], p);
    int8_t digits[VAR_DIGITS];
    lighter_scalar_recode_signed(digits, VAR_DIGITS, k, VAR_WINDOW);
    lighter_point_set_neutral(&acc);
    for (int i = VAR_DIGITS - 1; i >= 0; i--) {
        for (int d = 0; d < VAR_WINDOW; d++) lighter_point_double(&acc, &acc);
        lookup_projective(&entry, table, digits[i]);
        lighter_point_add(&acc, &acc, &entry);
    }
    *r = acc;
    sodium_memzero(digits, sizeof digits);
    sodium_memzero(table, sizeof table);
    sodium_memzero(&entry, sizeof entry);
    sodium_memzero(&acc, sizeof acc);
}
