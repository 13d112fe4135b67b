/* Schnorr signatures over ECgFp5 with the Poseidon2 challenge, exactly as Lighter's signer
 * (lighter.md §7.8): r = encode(k·G), e = scalar(HashToQuinticExtension(r ‖ m)),
 * s = k - e·sk mod n, signature = s ‖ e (40 + 40 bytes little-endian). */
#ifndef HEDGE_EXCHANGES_LIGHTER_SCHNORR_H
#define HEDGE_EXCHANGES_LIGHTER_SCHNORR_H

#include <stdint.h>

#include "exchanges/lighter/quintic.h"
#include "exchanges/lighter/scalar.h"

#define LIGHTER_SIGNATURE_BYTES 80

typedef enum lighter_verify_mode {
    /* What the official verifier (poseidon_crypto v0.0.15 Validate) accepts: s and e are
     * reduced mod n when read, limbs of the key and message >= p are reduced mod p, and the
     * neutral public key (encoding 0) is allowed. */
    LIGHTER_VERIFY_OFFICIAL = 0,
    /* Rejects s >= n, e >= n, non-canonical limbs and the neutral public key. */
    LIGHTER_VERIFY_STRICT = 1,
} lighter_verify_mode;

/* e = (HashToQuinticExtension(r0..r4, m0..m4) read as a 320-bit integer) mod n. */
void lighter_schnorr_challenge(lighter_scalar *e, const lighter_fp5 *r, const lighter_fp5 *msg);

/* Signs with the nonce k in [1, n). Deterministic; meant for known-answer tests — a nonce
 * must never be reused with the same key. Returns 0, or -1 (nothing written) when k = 0. */
int lighter_schnorr_sign_with_k(uint8_t sig[LIGHTER_SIGNATURE_BYTES], const lighter_scalar *sk,
                                const lighter_fp5 *msg, const lighter_scalar *k);

/* Signs with a fresh nonce drawn uniformly from [1, n) with libsodium's CSPRNG. Returns 0, or
 * -1 when libsodium cannot be initialised. */
int lighter_schnorr_sign(uint8_t sig[LIGHTER_SIGNATURE_BYTES], const lighter_scalar *sk, const lighter_fp5 *msg);

/* A uniform scalar in [1, n): 319 random bits, redrawn while >= n or 0 (rejection sampling,
 * so there is no modular bias; a redraw happens with probability about 2^-28). Returns 0, or
 * -1 when libsodium cannot be initialised. */
int lighter_scalar_random(lighter_scalar *out);

/* Returns 1 when sig is a valid signature of msg under public_key, 0 otherwise. */
int lighter_schnorr_verify(const uint8_t public_key[LIGHTER_FP5_BYTES], const uint8_t msg[LIGHTER_FP5_BYTES],
                           const uint8_t sig[LIGHTER_SIGNATURE_BYTES], lighter_verify_mode mode);

#endif
