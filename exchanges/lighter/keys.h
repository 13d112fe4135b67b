/* Lighter API keys (lighter.md §7.7): a private key is a 40-byte little-endian scalar written
 * as 80 hex characters (optionally prefixed 0x); the public key is encode(sk·G), 40 bytes.
 *
 * A lighter_key holds secret material for as long as the client signs with it; call
 * lighter_key_wipe() when done. Parsing wipes every intermediate buffer, and error messages
 * never contain key characters — only lengths and positions. */
#ifndef HEDGE_EXCHANGES_LIGHTER_KEYS_H
#define HEDGE_EXCHANGES_LIGHTER_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "exchanges/lighter/quintic.h"
#include "exchanges/lighter/scalar.h"

#define LIGHTER_PRIVATE_KEY_HEX_CHARS 80
#define LIGHTER_PUBLIC_KEY_BYTES 40

typedef struct lighter_key {
    lighter_scalar secret;                              /* in [1, n) */
    uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES];       /* encode(secret·G) */
} lighter_key;

/* Parses a private key. Rejects (returns -1, err names the problem): wrong length, non-hex
 * characters, the value 0, and values >= n; on failure *key is zeroed. The reference signer silently reduces keys >= n;
 * official key generation never produces them, so such a value means a corrupted or foreign
 * key and is refused instead of being signed with as some other key. */
int lighter_key_from_hex(lighter_key *key, const char *hex, size_t len, char *err, size_t errcap);
/* The same from 40 raw bytes. */
int lighter_key_from_bytes(lighter_key *key, const uint8_t bytes[LIGHTER_SCALAR_BYTES], char *err, size_t errcap);
/* A fresh random key (uniform in [1, n), libsodium CSPRNG). Returns 0 or -1. */
int lighter_key_generate(lighter_key *key);
/* 80 lowercase hex characters + NUL. */
void lighter_key_public_hex(char out[2 * LIGHTER_PUBLIC_KEY_BYTES + 1], const lighter_key *key);
/* The private key as 80 lowercase hex characters + NUL (for storing a generated key). */
void lighter_key_private_hex(char out[LIGHTER_PRIVATE_KEY_HEX_CHARS + 1], const lighter_key *key);
void lighter_key_wipe(lighter_key *key);

/* Public key bytes -> Fp5 (for the hash of ChangePubKey). Returns 0, or -1 when a limb >= p. */
int lighter_public_key_to_fp5(lighter_fp5 *out, const uint8_t public_key[LIGHTER_PUBLIC_KEY_BYTES]);

#endif
