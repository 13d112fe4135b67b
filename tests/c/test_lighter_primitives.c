/* Lighter cryptographic building blocks checked against independent facts rather than the
 * known-answer vectors: the embedded Poseidon2 constants against the shared JSON file, the
 * scalar-field constants against n, algebraic identities of the scalar field and the group,
 * the fixed-base multiplication against the variable-base one, and the signed recoding. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "exchanges/lighter/ecgfp5.h"
#include "exchanges/lighter/poseidon2.h"
#include "exchanges/lighter/scalar.h"
#include "exchanges/lighter/schnorr.h"
#include "tests/c/tap.h"

/* Reads every unsigned integer under "key": [...] in order straight from the text, because
 * the constants exceed 2^63 and jansson stores integers as signed 64-bit. */
static size_t numbers_after_key(const char *text, const char *key, uint64_t *out, size_t max) {
    char pattern[96];
    snprintf(pattern, sizeof pattern, "\"%s\"", key);
    const char *p = strstr(text, pattern);
    if (!p) return 0;
    p = strchr(p + strlen(pattern), '[');
    if (!p) return 0;
    size_t count = 0;
    int depth = 0;
    for (; *p; p++) {
        if (*p == '[') depth++;
        else if (*p == ']') { if (--depth == 0) break; }
        else if (*p >= '0' && *p <= '9' && count < max) {
            char *end;
            out[count++] = strtoull(p, &end, 10);
            p = end - 1;
        }
    }
    return count;
}

static void test_poseidon2_constants(void) {
    const char *shared = getenv("SHARED");
    char path[512];
    snprintf(path, sizeof path, "%s/specs/lighter-poseidon2-constants.json", shared ? shared : "../shared");
    FILE *f = fopen(path, "rb");
    if (!ok(f != NULL, "constants file %s opens", path)) return;
    static char text[1 << 16];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    json_error_t jerr;
    json_t *root = json_loads(text, JSON_DECODE_INT_AS_REAL, &jerr);   /* constants > 2^63 */
    ok(root != NULL, "constants file is JSON");
    is_int((long long)json_number_value(json_object_get(root, "width")), LIGHTER_POSEIDON2_WIDTH, "width");
    is_int((long long)json_number_value(json_object_get(root, "partial_rounds")), LIGHTER_POSEIDON2_PARTIAL_ROUNDS, "partial rounds");
    is_int((long long)json_number_value(json_object_get(root, "full_rounds")), LIGHTER_POSEIDON2_FULL_ROUNDS, "full rounds");
    is_int((long long)json_number_value(json_object_get(root, "sbox_degree")), 7, "S-box degree");
    json_decref(root);

    uint64_t values[128];
    size_t n = numbers_after_key(text, "external_round_constants", values, 128);
    is_int((long long)n, 96, "96 external round constants in the file");
    ok(n == 96 && memcmp(values, lighter_poseidon2_external_constants, sizeof lighter_poseidon2_external_constants) == 0,
       "external round constants match the file");
    n = numbers_after_key(text, "internal_round_constants", values, 128);
    ok(n == 22 && memcmp(values, lighter_poseidon2_internal_constants, sizeof lighter_poseidon2_internal_constants) == 0,
       "internal round constants match the file");
    n = numbers_after_key(text, "internal_matrix_diagonal", values, 128);
    ok(n == 12 && memcmp(values, lighter_poseidon2_internal_diagonal, sizeof lighter_poseidon2_internal_diagonal) == 0,
       "internal diagonal matches the file");

    /* The file's internal 12x12 matrix must be J + diag(d): the layer poseidon2.c implements. */
    uint64_t internal[144];
    n = numbers_after_key(text, "internal_matrix_12x12", internal, 144);
    int same = n == 144;
    for (int i = 0; i < 12 && same; i++)
        for (int j = 0; j < 12; j++)
            if (internal[12 * i + j] != (i == j ? lighter_gf_add(lighter_poseidon2_internal_diagonal[i], 1) : 1)) same = 0;
    ok(same, "internal matrix of the file is J + diag(d), the layer implemented");
}

static void random_scalar(lighter_scalar *s) { lighter_scalar_random(s); }

static void test_scalar_field(void) {
    /* R^2 = 2^640 mod n recomputed by doubling 1 640 times with the (independent) adder. */
    lighter_scalar x, one, r2_check, t;
    lighter_scalar_set_u64(&x, 1);
    for (int i = 0; i < 640; i++) lighter_scalar_add(&x, &x, &x);
    lighter_scalar_set_u64(&one, 1);
    /* If R^2 were wrong, a·1 would not come back as a. */
    lighter_scalar_mul(&r2_check, &x, &one);
    ok(lighter_scalar_equal_mask(&r2_check, &x) != 0, "2^640 mod n survives multiplication by 1");

    int identities = 1;
    for (int i = 0; i < 50; i++) {
        lighter_scalar a, b, c, ab, lhs, rhs, bc, ac;
        random_scalar(&a);
        random_scalar(&b);
        random_scalar(&c);
        lighter_scalar_add(&ab, &a, &b);
        lighter_scalar_mul(&lhs, &ab, &c);
        lighter_scalar_mul(&ac, &a, &c);
        lighter_scalar_mul(&bc, &b, &c);
        lighter_scalar_add(&rhs, &ac, &bc);
        if (!lighter_scalar_equal_mask(&lhs, &rhs)) identities = 0;        /* (a+b)c = ac + bc */
        lighter_scalar_sub(&t, &ab, &b);
        if (!lighter_scalar_equal_mask(&t, &a)) identities = 0;            /* (a+b) - b = a */
        lighter_scalar_mul(&lhs, &a, &b);
        lighter_scalar_mul(&rhs, &b, &a);
        if (!lighter_scalar_equal_mask(&lhs, &rhs)) identities = 0;        /* ab = ba */
    }
    ok(identities, "scalar ring identities hold on 50 random triples");

    lighter_scalar minus_one, square;
    lighter_scalar_neg(&minus_one, &one);
    lighter_scalar_mul(&square, &minus_one, &minus_one);
    ok(lighter_scalar_equal_mask(&square, &one) != 0, "(n-1)^2 = 1");
    uint8_t bytes[40];
    lighter_scalar_to_bytes(bytes, &lighter_scalar_order);
    is_int(lighter_scalar_from_bytes_canonical(&t, bytes), 0, "n itself is not canonical");
    ok(lighter_scalar_is_zero_mask(&t) != 0, "n reduces to 0");
    lighter_scalar_to_bytes(bytes, &minus_one);
    is_int(lighter_scalar_from_bytes_canonical(&t, bytes), 1, "n - 1 is canonical");

    /* Signed recoding reconstructs the scalar, digits stay within the window. */
    for (unsigned w = 2; w <= 7; w++) {
        lighter_scalar a, acc, digit, weight, term, base;
        int8_t digits[200];
        size_t count = (320 + w - 1) / w;
        random_scalar(&a);
        lighter_scalar_recode_signed(digits, count, &a, w);
        lighter_scalar_zero(&acc);
        lighter_scalar_set_u64(&weight, 1);
        lighter_scalar_set_u64(&base, 1ULL << w);
        int in_range = 1;
        for (size_t i = 0; i < count; i++) {
            int d = digits[i];
            if (d > (1 << (w - 1)) || d < -(1 << (w - 1))) in_range = 0;
            lighter_scalar_set_u64(&digit, (uint64_t)(d < 0 ? -d : d));
            if (d < 0) lighter_scalar_neg(&digit, &digit);
            lighter_scalar_mul(&term, &digit, &weight);
            lighter_scalar_add(&acc, &acc, &term);
            lighter_scalar_mul(&weight, &weight, &base);
        }
        ok(in_range && lighter_scalar_equal_mask(&acc, &a) != 0, "window %u recoding reconstructs the scalar", w);
    }
}

static void encode(lighter_fp5 *w, const lighter_point *p) { lighter_point_encode(w, p); }

static void test_group(void) {
    lighter_point g, p, q, r, s;
    lighter_fp5 wa, wb;
    lighter_point_set_generator(&g);
    encode(&wa, &g);
    ok(wa.c[0] == 4 && !wa.c[1] && !wa.c[2] && !wa.c[3] && !wa.c[4], "generator encodes to 4");
    lighter_point_set_neutral(&p);
    encode(&wa, &p);
    ok(lighter_fp5_is_zero_mask(&wa) != 0, "neutral encodes to 0");

    int agree = 1, linear = 1;
    for (int i = 0; i < 10; i++) {
        lighter_scalar a, b, sum;
        random_scalar(&a);
        random_scalar(&b);
        lighter_point_mul_generator(&p, &a);
        lighter_point_mul(&q, &g, &a);
        encode(&wa, &p);
        encode(&wb, &q);
        if (!lighter_fp5_equal_mask(&wa, &wb)) agree = 0;               /* fixed base = variable base */
        lighter_point_mul_generator(&q, &b);
        lighter_point_add(&r, &p, &q);
        lighter_scalar_add(&sum, &a, &b);
        lighter_point_mul_generator(&s, &sum);
        encode(&wa, &r);
        encode(&wb, &s);
        if (!lighter_fp5_equal_mask(&wa, &wb)) linear = 0;              /* aG + bG = (a+b)G */
    }
    ok(agree, "fixed-base and variable-base multiplication agree on 10 random scalars");
    ok(linear, "aG + bG = (a+b)G on 10 random pairs");

    lighter_scalar minus_one, zero, one;
    lighter_scalar_set_u64(&one, 1);
    lighter_scalar_neg(&minus_one, &one);
    lighter_scalar_zero(&zero);
    lighter_point_mul_generator(&p, &minus_one);
    lighter_point_add(&r, &p, &g);
    encode(&wa, &r);
    ok(lighter_fp5_is_zero_mask(&wa) != 0, "(n-1)G + G is the neutral (complete addition)");
    lighter_point_mul_generator(&p, &zero);
    encode(&wa, &p);
    ok(lighter_fp5_is_zero_mask(&wa) != 0, "0·G is the neutral");
    lighter_point_neg(&q, &g);
    encode(&wa, &q);
    lighter_point_mul_generator(&p, &minus_one);
    encode(&wb, &p);
    ok(lighter_fp5_equal_mask(&wa, &wb) != 0, "-G = (n-1)G");

    /* decode(encode(P)) = P for random points; a random Fp5 is a valid encoding about half
     * the time, and never decodes silently to something that re-encodes differently. */
    int round_trip = 1, consistent = 1, valid_seen = 0, invalid_seen = 0;
    for (int i = 0; i < 20; i++) {
        lighter_scalar a;
        random_scalar(&a);
        lighter_point_mul_generator(&p, &a);
        encode(&wa, &p);
        if (!lighter_point_decode(&q, &wa)) round_trip = 0;
        encode(&wb, &q);
        if (!lighter_fp5_equal_mask(&wa, &wb)) round_trip = 0;
        lighter_fp5 w = {{(uint64_t)rand() * 7919u + 1, (uint64_t)rand(), (uint64_t)rand(), 5, (uint64_t)i}};
        if (lighter_point_decode(&q, &w)) {
            valid_seen = 1;
            encode(&wb, &q);
            if (!lighter_fp5_equal_mask(&w, &wb)) consistent = 0;
        } else {
            invalid_seen = 1;
        }
    }
    ok(round_trip, "decode(encode(P)) = P for 20 random points");
    ok(consistent && valid_seen && invalid_seen, "random encodings: valid ones re-encode identically, others are refused");
}

int main(void) {
    test_poseidon2_constants();
    test_scalar_field();
    test_group();
    return done_testing();
}
