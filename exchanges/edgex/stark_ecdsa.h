/* StarkEx ECDSA on the Stark curve (spec section 8.4) with the deterministic RFC 6979 nonce
 * that @starkware-industries/starkware-crypto-utils and @scure/starknet use (section 8.5).
 *
 * r = x(kG) without reduction mod N, s = k^-1 (m + r d) mod N, no low-S rule; m, r and
 * w = s^-1 mod N must lie in [1, 2^251) (m may be 0). A candidate k outside those bounds is
 * skipped and the RFC 6979 generator continues, as elliptic does. */
#ifndef HEDGE_EXCHANGES_EDGEX_STARK_ECDSA_H
#define HEDGE_EXCHANGES_EDGEX_STARK_ECDSA_H

#include "exchanges/edgex/error.h"
#include "exchanges/edgex/stark_curve.h"
#include "exchanges/edgex/u256.h"

typedef struct edgex_stark_signature {
    edgex_u256 r, s;
} edgex_stark_signature;

/* Public key d*G for 1 <= d < N (constant-time multiplication). EDGEX_E_KEY otherwise. */
int edgex_stark_public_key(stark_point *out, const edgex_u256 *private_key, edgex_error *err);

/* Signs msg_hash (< 2^251) with private_key (1 <= d < N). k_used, when not NULL, receives the
 * nonce that produced the signature: only the known-answer tests ask for it (k reveals the
 * key, never log or keep it). */
int edgex_stark_sign(edgex_stark_signature *out, const edgex_u256 *private_key, const edgex_u256 *msg_hash,
                     edgex_u256 *k_used, edgex_error *err);

/* EDGEX_OK if the signature is valid for the public key, EDGEX_E_VERIFY if not, EDGEX_E_INPUT if
 * a value is out of range. */
int edgex_stark_verify(const edgex_u256 *msg_hash, const edgex_stark_signature *sig, const stark_point *public_key,
                       edgex_error *err);
/* The same with only the public key's x (the l2Key): both y candidates are tried. */
int edgex_stark_verify_x(const edgex_u256 *msg_hash, const edgex_stark_signature *sig, const edgex_u256 *public_x,
                         edgex_error *err);

/* hex64(r) || hex64(s): 128 lower-case hex characters, the wire form. */
void edgex_stark_signature_to_hex(const edgex_stark_signature *sig, char out[129]);
/* Parses the 128-character wire form (no prefix). */
int edgex_stark_signature_from_hex(edgex_stark_signature *out, const char *hex, edgex_error *err);

#endif
