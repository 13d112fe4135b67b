/* Lighter vector handlers: every file of shared/vectors/lighter/ (lighter.md §13), every field
 * of every case compared exactly. Field and hash files are checked here; curve, scalar and
 * signature files below; transaction and auth-token files in lighter_tx.c (same runner). */
#include "tests/vectors/lighter_support.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "exchanges/lighter/ecgfp5.h"
#include "exchanges/lighter/keys.h"
#include "exchanges/lighter/goldilocks.h"
#include "exchanges/lighter/poseidon2.h"
#include "exchanges/lighter/quintic.h"
#include "exchanges/lighter/scalar.h"
#include "exchanges/lighter/schnorr.h"

/* ---- goldilocks.json ------------------------------------------------------------------ */

static int check_goldilocks(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    const char *op = vector_str(c, "op");
    uint64_t a, b = 0, e = 0, expected, found;
    if (!op) return vector_mismatch(why, cap, "op", "a string", "nothing");
    if (strcmp(op, "from_int64_twos_complement") == 0) {
        /* "a" is a signed decimal; raw_u64 is its two's-complement word. */
        int64_t signed_a;
        uint64_t raw;
        if (!lv_int64(c, "a", &signed_a, why, cap) || !lv_u64(c, "raw_u64", &raw, why, cap) ||
            !lv_u64(c, "out", &expected, why, cap))
            return 0;
        if ((uint64_t)signed_a != raw) return lv_mismatch_u64(why, cap, "raw_u64", raw, (uint64_t)signed_a);
        return lv_expect_u64(why, cap, "out", expected, lighter_gf_from_int64(signed_a));
    }
    if (!lv_u64(c, "a", &a, why, cap) || !lv_u64(c, "out", &expected, why, cap)) return 0;
    if (strcmp(op, "add") == 0 || strcmp(op, "sub") == 0 || strcmp(op, "mul") == 0)
        if (!lv_u64(c, "b", &b, why, cap)) return 0;
    if (strcmp(op, "exp") == 0 && !lv_u64(c, "e", &e, why, cap)) return 0;

    if (strcmp(op, "add") == 0) found = lighter_gf_add(a, b);
    else if (strcmp(op, "sub") == 0) found = lighter_gf_sub(a, b);
    else if (strcmp(op, "mul") == 0) found = lighter_gf_mul(a, b);
    else if (strcmp(op, "neg") == 0) found = lighter_gf_neg(a);
    else if (strcmp(op, "square") == 0) found = lighter_gf_square(a);
    else if (strcmp(op, "inverse") == 0) found = lighter_gf_inverse(a);
    else if (strcmp(op, "exp") == 0) found = lighter_gf_exp(a, e);
    else if (strcmp(op, "reduce_u64") == 0) found = lighter_gf_canonical(a);   /* any 64-bit word */
    else return vector_mismatch(why, cap, "op", "a known goldilocks op", op);
    return lv_expect_u64(why, cap, "out", expected, lighter_gf_canonical(found));
}

/* ---- quintic_extension.json ----------------------------------------------------------- */

static int check_quintic(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    const char *op = vector_str(c, "op");
    lighter_fp5 a, b, expected, found;
    if (!op) return vector_mismatch(why, cap, "op", "a string", "nothing");
    if (!lv_fp5(c, "a", &a, why, cap)) return 0;
    if (strcmp(op, "legendre") == 0) {
        uint64_t want;
        if (!lv_u64(c, "out", &want, why, cap)) return 0;
        return lv_expect_u64(why, cap, "out", want, lighter_fp5_legendre(&a));
    }
    if (strcmp(op, "canonical_sqrt") == 0) {
        int exists = json_is_true(json_object_get(c, "exists"));
        int found_exists = lighter_fp5_canonical_sqrt(&found, &a);
        if (found_exists != exists)
            return vector_mismatch(why, cap, "exists", exists ? "true" : "false", found_exists ? "true" : "false");
        if (!exists) return 1;
        if (!lv_fp5(c, "out", &expected, why, cap)) return 0;
        return lv_expect_fp5(why, cap, "out", &expected, &found);
    }
    if (!lv_fp5(c, "out", &expected, why, cap)) return 0;
    if (strcmp(op, "add") == 0 || strcmp(op, "sub") == 0 || strcmp(op, "mul") == 0) {
        if (!lv_fp5(c, "b", &b, why, cap)) return 0;
        if (op[0] == 'a') lighter_fp5_add(&found, &a, &b);
        else if (op[0] == 's') lighter_fp5_sub(&found, &a, &b);
        else lighter_fp5_mul(&found, &a, &b);
    } else if (strcmp(op, "square") == 0) {
        lighter_fp5_square(&found, &a);
    } else if (strcmp(op, "inverse") == 0) {
        lighter_fp5_inverse(&found, &a);
    } else if (strcmp(op, "frobenius") == 0) {
        lighter_fp5_frobenius(&found, &a);
    } else {
        return vector_mismatch(why, cap, "op", "a known quintic op", op);
    }
    return lv_expect_fp5(why, cap, "out", &expected, &found);
}

/* ---- poseidon2_permutation.json, poseidon2_hash.json ---------------------------------- */

static int check_permutation(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    uint64_t state[12], expected[12];
    size_t n_in, n_out;
    if (!lv_u64_array(c, "input", state, 12, &n_in, why, cap) || !lv_u64_array(c, "output", expected, 12, &n_out, why, cap))
        return 0;
    if (n_in != 12 || n_out != 12) return vector_mismatch(why, cap, "input/output", "12 lanes", "another count");
    lighter_poseidon2_permute(state);
    return lv_expect_u64s(why, cap, "output", expected, state, 12);
}

static int check_hash(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    uint64_t input[64], expected[12], found[12];
    size_t count, n;
    int checked = 0;
    if (!lv_u64_array(c, "input", input, 64, &count, why, cap)) return 0;
    static const struct { const char *key; size_t outputs; } outs[] = {
        {"hash_to_quintic", 5}, {"hash_n_to_hash_no_pad_4", 4}, {"hash_n_to_m_no_pad_12", 12}};
    for (size_t k = 0; k < sizeof outs / sizeof outs[0]; k++) {
        if (!json_object_get(c, outs[k].key)) continue;
        if (!lv_u64_array(c, outs[k].key, expected, 12, &n, why, cap)) return 0;
        if (n != outs[k].outputs) return vector_mismatch(why, cap, outs[k].key, "the documented length", "another");
        lighter_poseidon2_hash_no_pad(input, count, found, n);
        if (!lv_expect_u64s(why, cap, outs[k].key, expected, found, n)) return 0;
        checked++;
    }
    lighter_fp5 h;
    lighter_poseidon2_hash_to_fp5(&h, input, count);
    if (!lv_expect_fp5_hex(c, "hash_to_quintic_le_hex", &h, why, cap)) return 0;
    return checked ? 1 : vector_mismatch(why, cap, "outputs", "at least one hash output", "none");
}

/* ---- ecgfp5_scalar.json ----------------------------------------------------------------- */

static int read_canonical_scalar(const json_t *c, const char *key, lighter_scalar *out, char *why, size_t cap) {
    uint8_t bytes[40];
    if (!lv_scalar_bytes(c, key, bytes, why, cap)) return 0;
    if (!lighter_scalar_from_bytes_canonical(out, bytes)) return vector_mismatch(why, cap, key, "a value < n", "a value >= n");
    return 1;
}

static int check_scalar(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    const char *op = vector_str(c, "op");
    lighter_scalar a, b, found;
    if (!op) return vector_mismatch(why, cap, "op", "a string", "nothing");
    if (strcmp(op, "from_fp5") == 0) {
        lighter_fp5 h;
        if (!lv_fp5(c, "a", &h, why, cap) || !lv_expect_fp5_hex(c, "a_le_hex", &h, why, cap)) return 0;
        lighter_scalar_from_fp5(&found, &h);
    } else if (strcmp(op, "from_le_bytes_reduce") == 0) {
        uint8_t bytes[40];
        if (!lv_hex(c, "a_le_hex", bytes, 40, why, cap)) return 0;
        lighter_scalar_from_bytes_reduce(&found, bytes);
    } else {
        if (!read_canonical_scalar(c, "a", &a, why, cap) || !read_canonical_scalar(c, "b", &b, why, cap)) return 0;
        if (strcmp(op, "add") == 0) lighter_scalar_add(&found, &a, &b);
        else if (strcmp(op, "sub") == 0) lighter_scalar_sub(&found, &a, &b);
        else if (strcmp(op, "mul") == 0) lighter_scalar_mul(&found, &a, &b);
        else return vector_mismatch(why, cap, "op", "a known scalar op", op);
    }
    return lv_expect_scalar(c, "out", &found, why, cap);
}

/* ---- ecgfp5_keys.json, ecgfp5_points.json, ecgfp5_decode.json ------------------------- */

static int check_keys(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    const char *hex = vector_str(c, "private_key_hex");
    const char *dec = vector_str(c, "private_key_dec");
    uint8_t bytes[40];
    char text[128], err[160];
    lighter_fp5 expected_fp5, w;
    lighter_key key;
    if (!lv_hex(c, "private_key_hex", bytes, 40, why, cap) || !lv_fp5(c, "public_key_fp5", &expected_fp5, why, cap)) return 0;
    lv_u320_to_decimal(text, sizeof text, bytes);
    if (!lv_expect_str(why, cap, "private_key_dec", dec, text)) return 0;
    if (lighter_key_from_hex(&key, hex, strlen(hex), err, sizeof err) != 0)
        return vector_mismatch(why, cap, "private_key_hex", "a usable key", err);
    int ok = lv_expect_bytes_hex(c, "public_key_hex", key.public_key, 40, why, cap);
    lighter_fp5_from_bytes(&w, key.public_key);
    lighter_key_wipe(&key);
    return ok && lv_expect_fp5(why, cap, "public_key_fp5", &expected_fp5, &w);
}

static void encode_mul_generator(lighter_fp5 *w, const lighter_scalar *k) {
    lighter_point p;
    lighter_point_mul_generator(&p, k);
    lighter_point_encode(w, &p);
}

static int check_points(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    lighter_scalar kp, kq;
    lighter_fp5 p_w, q_w, sum_w, double_w, found;
    lighter_point p, q, g, r;
    if (!read_canonical_scalar(c, "k_p", &kp, why, cap) || !read_canonical_scalar(c, "k_q", &kq, why, cap) ||
        !lv_fp5(c, "p", &p_w, why, cap) || !lv_fp5(c, "q", &q_w, why, cap) ||
        !lv_fp5(c, "p_plus_q", &sum_w, why, cap) || !lv_fp5(c, "double_p", &double_w, why, cap))
        return 0;
    encode_mul_generator(&found, &kp);
    if (!lv_expect_fp5(why, cap, "p (fixed-base k_p·G)", &p_w, &found)) return 0;
    encode_mul_generator(&found, &kq);
    if (!lv_expect_fp5(why, cap, "q (fixed-base k_q·G)", &q_w, &found)) return 0;
    lighter_point_set_generator(&g);
    lighter_point_mul(&r, &g, &kp);               /* the variable-base path must agree */
    lighter_point_encode(&found, &r);
    if (!lv_expect_fp5(why, cap, "p (variable-base k_p·G)", &p_w, &found)) return 0;
    if (!lighter_point_decode(&p, &p_w) || !lighter_point_decode(&q, &q_w))
        return vector_mismatch(why, cap, "p/q", "decodable encodings", "a decoding failure");
    lighter_point_add(&r, &p, &q);
    lighter_point_encode(&found, &r);
    if (!lv_expect_fp5(why, cap, "p_plus_q", &sum_w, &found)) return 0;
    lighter_point_double(&r, &p);
    lighter_point_encode(&found, &r);
    if (!lv_expect_fp5(why, cap, "double_p", &double_w, &found)) return 0;
    lighter_point_add(&r, &p, &p);                /* complete formulas: add(P, P) = double(P) */
    lighter_point_encode(&found, &r);
    return lv_expect_fp5(why, cap, "p + p", &double_w, &found);
}

static int check_decode(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    lighter_fp5 w, found, wx, wy, big_x, big_y;
    lighter_point p;
    int infinity;
    if (!lv_fp5(c, "w", &w, why, cap) || !lv_expect_fp5_hex(c, "w_le_hex", &w, why, cap)) return 0;
    int valid = json_is_true(json_object_get(c, "valid"));
    int decoded = lighter_point_decode(&p, &w);
    if (decoded != valid) return vector_mismatch(why, cap, "valid", valid ? "true" : "false", decoded ? "true" : "false");
    int weierstrass_ok = lighter_point_decode_weierstrass(&w, &big_x, &big_y, &infinity);
    if (weierstrass_ok != valid)
        return vector_mismatch(why, cap, "valid (Weierstrass view)", valid ? "true" : "false", weierstrass_ok ? "true" : "false");
    if (!valid) return 1;
    lighter_fp5 reencoded;
    if (!lv_fp5(c, "reencoded", &reencoded, why, cap)) return 0;
    lighter_point_encode(&found, &p);
    if (!lv_expect_fp5(why, cap, "reencoded", &reencoded, &found)) return 0;
    int has_coordinates = json_object_get(c, "weierstrass_x") != NULL;
    if (has_coordinates == infinity)
        return vector_mismatch(why, cap, "weierstrass_x", infinity ? "absent (infinity)" : "present", infinity ? "present" : "absent");
    if (!has_coordinates) return 1;
    if (!lv_fp5(c, "weierstrass_x", &wx, why, cap) || !lv_fp5(c, "weierstrass_y", &wy, why, cap)) return 0;
    return lv_expect_fp5(why, cap, "weierstrass_x", &wx, &big_x) && lv_expect_fp5(why, cap, "weierstrass_y", &wy, &big_y);
}

/* ---- schnorr_sign_fixed_k.json, schnorr_verify*.json ------------------------------------ */

static int check_sign_fixed_k(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    const char *hex = vector_str(c, "private_key_hex");
    char err[160];
    uint8_t msg_bytes[40], sig[80];
    uint64_t preimage[10], expected_preimage[10];
    size_t n;
    lighter_key key;
    lighter_scalar k, e, s, e_sk;
    lighter_fp5 msg, msg_fp5, r_expected, r_found, e_hash, e_hash_found;
    if (!hex || lighter_key_from_hex(&key, hex, strlen(hex), err, sizeof err) != 0)
        return vector_mismatch(why, cap, "private_key_hex", "a usable key", hex ? err : "nothing");
    int ok = lv_expect_bytes_hex(c, "public_key_hex", key.public_key, 40, why, cap) &&
             lv_hex(c, "msg_hash_hex", msg_bytes, 40, why, cap) && lv_fp5(c, "msg_hash_fp5", &msg_fp5, why, cap) &&
             read_canonical_scalar(c, "k", &k, why, cap) && lv_fp5(c, "r_encoded_fp5", &r_expected, why, cap) &&
             lv_u64_array(c, "e_preimage_fp5x2", expected_preimage, 10, &n, why, cap) &&
             lv_fp5(c, "e_hash_fp5", &e_hash, why, cap);
    if (ok && n != 10) ok = vector_mismatch(why, cap, "e_preimage_fp5x2", "10 elements", "another count");
    if (ok && !lighter_fp5_from_bytes(&msg, msg_bytes)) ok = vector_mismatch(why, cap, "msg_hash_hex", "canonical limbs", "a limb >= p");
    if (ok) ok = lv_expect_fp5(why, cap, "msg_hash_fp5", &msg_fp5, &msg);
    if (ok) {
        encode_mul_generator(&r_found, &k);
        ok = lv_expect_fp5(why, cap, "r_encoded_fp5", &r_expected, &r_found);
    }
    if (ok) {
        for (int i = 0; i < 5; i++) { preimage[i] = r_found.c[i]; preimage[5 + i] = msg.c[i]; }
        ok = lv_expect_u64s(why, cap, "e_preimage_fp5x2", expected_preimage, preimage, 10);
    }
    if (ok) {
        lighter_poseidon2_hash_to_fp5(&e_hash_found, preimage, 10);
        ok = lv_expect_fp5(why, cap, "e_hash_fp5", &e_hash, &e_hash_found);
    }
    if (ok) {
        lighter_schnorr_challenge(&e, &r_found, &msg);
        ok = lv_expect_scalar(c, "e", &e, why, cap);
    }
    if (ok) {
        lighter_scalar_mul(&e_sk, &e, &key.secret);
        lighter_scalar_sub(&s, &k, &e_sk);
        ok = lv_expect_scalar(c, "s", &s, why, cap);
    }
    if (ok) {
        lighter_schnorr_sign_with_k(sig, &key.secret, &msg, &k);
        ok = lv_expect_bytes_hex(c, "signature_hex", sig, 80, why, cap);
    }
    if (ok) {
        int valid = json_is_true(json_object_get(c, "valid"));
        int official = lighter_schnorr_verify(key.public_key, msg_bytes, sig, LIGHTER_VERIFY_OFFICIAL);
        int strict = lighter_schnorr_verify(key.public_key, msg_bytes, sig, LIGHTER_VERIFY_STRICT);
        if (official != valid || strict != valid)
            ok = vector_mismatch(why, cap, "valid", valid ? "true" : "false", "a different verification result");
    }
    lighter_key_wipe(&key);
    return ok;
}

static int verify_case(const json_t *c, char *why, size_t cap, const char *expected_key, lighter_verify_mode mode) {
    uint8_t pk[40], msg[40], sig[80];
    if (!lv_hex(c, "public_key_hex", pk, 40, why, cap) || !lv_hex(c, "msg_hash_hex", msg, 40, why, cap) ||
        !lv_hex(c, "signature_hex", sig, 80, why, cap))
        return 0;
    const json_t *expected = json_object_get(c, expected_key);
    if (!json_is_boolean(expected)) return vector_mismatch(why, cap, expected_key, "a boolean", "something else");
    int found = lighter_schnorr_verify(pk, msg, sig, mode);
    if (found != json_is_true(expected))
        return vector_mismatch(why, cap, expected_key, json_is_true(expected) ? "true" : "false", found ? "true" : "false");
    return 1;
}

static int check_verify(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    /* The official verifier's verdict, which a strict verifier shares on these cases; an
     * invalid case must also carry the reference's error text. */
    if (!verify_case(c, why, cap, "expected_valid", LIGHTER_VERIFY_OFFICIAL) ||
        !verify_case(c, why, cap, "expected_valid", LIGHTER_VERIFY_STRICT))
        return 0;
    if (!json_is_true(json_object_get(c, "expected_valid")) && !vector_str(c, "reference_error"))
        return vector_mismatch(why, cap, "reference_error", "a message for an invalid case", "nothing");
    return 1;
}

static int check_verify_noncanonical(const json_t *c, const json_t *file, char *why, size_t cap) {
    (void)file;
    return verify_case(c, why, cap, "expected_valid", LIGHTER_VERIFY_OFFICIAL) &&
           verify_case(c, why, cap, "expected_valid_strict", LIGHTER_VERIFY_STRICT);
}

static const struct vector_handler table_lighter_primitives[] = {
    {"goldilocks", check_goldilocks},
    {"quintic_extension", check_quintic},
    {"poseidon2_permutation", check_permutation},
    {"poseidon2_hash", check_hash},
    {"ecgfp5_scalar", check_scalar},
    {"ecgfp5_keys", check_keys},
    {"ecgfp5_points", check_points},
    {"ecgfp5_decode", check_decode},
    {"schnorr_sign_fixed_k", check_sign_fixed_k},
    {"schnorr_verify", check_verify},
    {"schnorr_verify_noncanonical", check_verify_noncanonical},
    {NULL, NULL},
};
VECTOR_HANDLERS(table_lighter_primitives)
