/* Schnorr signing and verification. Signing touches two secrets, sk and k: k·G runs through
 * the constant-time fixed-base multiplication, e·sk and k - e·sk through the constant-time
 * scalar code, and every local copy of k and e·sk is wiped before returning. */
#include "exchanges/lighter/schnorr.h"

#include <sodium.h>
#include <string.h>

#include "exchanges/lighter/ecgfp5.h"
#include "exchanges/lighter/poseidon2.h"

void lighter_schnorr_challenge(lighter_scalar *e, const lighter_fp5 *r, const lighter_fp5 *msg) {
    uint64_t preimage[10];
    lighter_fp5 h;
    for (int i = 0; i < 5; i++) {
        preimage[i] = r->c[i];
        preimage[5 + i] = msg->c[i];
    }
    lighter_poseidon2_hash_to_fp5(&h, preimage, 10);
    lighter_scalar_from_fp5(e, &h);
}

int lighter_schnorr_sign_with_k(uint8_t sig[LIGHTER_SIGNATURE_BYTES], const lighter_scalar *sk,
                                const lighter_fp5 *msg, const lighter_scalar *k) {
    if (lighter_scalar_is_zero_mask(k)) return -1;   /* reveals only "k is zero": never true for real nonces */
    lighter_point big_r;
    lighter_fp5 r, m;
    lighter_scalar e, e_sk, s;
    lighter_fp5_canonicalize(&m, msg);
    lighter_point_mul_generator(&big_r, k);
    lighter_point_encode(&r, &big_r);
    lighter_schnorr_challenge(&e, &r, &m);
    lighter_scalar_mul(&e_sk, &e, sk);
    lighter_scalar_sub(&s, k, &e_sk);
    lighter_scalar_to_bytes(sig, &s);
    lighter_scalar_to_bytes(sig + LIGHTER_SCALAR_BYTES, &e);
    sodium_memzero(&big_r, sizeof big_r);
    sodium_memzero(&e_sk, sizeof e_sk);
    sodium_memzero(&s, sizeof s);
    return 0;
}

int lighter_scalar_random(lighter_scalar *out) {
    if (sodium_init() < 0) return -1;
    uint8_t bytes[LIGHTER_SCALAR_BYTES];
    for (;;) {
        randombytes_buf(bytes, sizeof bytes);
        bytes[LIGHTER_SCALAR_BYTES - 1] &= 0x7F;          /* 319 bits: n is just below 2^319 */
        int below_n = lighter_scalar_from_bytes_canonical(out, bytes);
        /* Only the accept/reject outcome is branched on, never the value that is kept. */
        if (below_n && !lighter_scalar_is_zero_mask(out)) break;
    }
    sodium_memzero(bytes, sizeof bytes);
    return 0;
}

int lighter_schnorr_sign(uint8_t sig[LIGHTER_SIGNATURE_BYTES], const lighter_scalar *sk, const lighter_fp5 *msg) {
    lighter_scalar k;
    if (lighter_scalar_random(&k) != 0) return -1;
    int rc = lighter_schnorr_sign_with_k(sig, sk, msg, &k);
    sodium_memzero(&k, sizeof k);
    return rc;
}

int lighter_schnorr_verify(const uint8_t public_key[LIGHTER_FP5_BYTES], const uint8_t msg[LIGHTER_FP5_BYTES],
                           const uint8_t sig[LIGHTER_SIGNATURE_BYTES], lighter_verify_mode mode) {
    /* Everything here is public; plain branches are fine. */
    int strict = mode == LIGHTER_VERIFY_STRICT;
    lighter_fp5 pk_w, m, r;
    lighter_scalar s, e, e_check;
    lighter_point pk, s_g, e_pk, big_r;
    int pk_canonical = lighter_fp5_from_bytes(&pk_w, public_key);
    int msg_canonical = lighter_fp5_from_bytes(&m, msg);
    int s_canonical = lighter_scalar_from_bytes_canonical(&s, sig);
    int e_canonical = lighter_scalar_from_bytes_canonical(&e, sig + LIGHTER_SCALAR_BYTES);
    if (strict && !(pk_canonical && msg_canonical && s_canonical && e_canonical)) return 0;
    if (!lighter_point_decode(&pk, &pk_w)) return 0;
    if (strict && lighter_fp5_is_zero_mask(&pk_w)) return 0;
    lighter_point_mul_generator(&s_g, &s);
    lighter_point_mul(&e_pk, &pk, &e);
    lighter_point_add(&big_r, &s_g, &e_pk);
    lighter_point_encode(&r, &big_r);
    lighter_schnorr_challenge(&e_check, &r, &m);
    return lighter_scalar_equal_mask(&e_check, &e) ? 1 : 0;
}
