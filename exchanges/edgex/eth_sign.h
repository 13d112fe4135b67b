/* v2 signatures: secp256k1 ECDSA over a 32-byte digest through libsecp256k1 (RFC 6979 nonce,
 * low-S), with the recovery id, and Ethereum addresses (keccak256 of the public key, EIP-55
 * checksum text). */
#ifndef HEDGE_EXCHANGES_EDGEX_ETH_SIGN_H
#define HEDGE_EXCHANGES_EDGEX_ETH_SIGN_H

#include <stdint.h>

#include "exchanges/edgex/error.h"

typedef struct edgex_eth_signature {
    uint8_t r[32], s[32];
    int recovery_id;    /* 0 or 1 */
    uint8_t v;          /* 27 + recovery_id */
} edgex_eth_signature;

/* Signs digest with a 32-byte private key (caller validated it, see keys.h). */
int edgex_eth_sign_digest(edgex_eth_signature *out, const uint8_t private_key[32], const uint8_t digest[32],
                          edgex_error *err);
/* r || s || v as 65 bytes, and as 130 lower-case hex digits without 0x (the wire form). */
void edgex_eth_signature_rsv(const edgex_eth_signature *sig, uint8_t out[65]);
void edgex_eth_signature_hex(const edgex_eth_signature *sig, char out[131]);
/* Parses 130 hex digits (an optional 0x is accepted), v 27/28 (or 0/1). */
int edgex_eth_signature_from_hex(edgex_eth_signature *out, const char *hex, edgex_error *err);

/* Address of the key that signed digest, or EDGEX_E_VERIFY if no key recovers. */
int edgex_eth_recover_address(uint8_t address[20], const uint8_t digest[32], const edgex_eth_signature *sig,
                              edgex_error *err);

/* Public key (65 bytes, 04 || x || y) for a valid private key; EDGEX_E_KEY if not in [1, n). */
int edgex_eth_public_key(uint8_t public_key[65], const uint8_t private_key[32], edgex_error *err);
/* Last 20 bytes of keccak256(x || y). */
void edgex_eth_address_from_public_key(uint8_t address[20], const uint8_t public_key[65]);
/* "0x" + 40 hex digits in EIP-55 mixed case. */
void edgex_eth_address_checksum(const uint8_t address[20], char out[43]);
/* "0x" + 40 hex digits, any case (EIP-712 ignores case). */
int edgex_eth_address_parse(uint8_t address[20], const char *text, edgex_error *err);

#endif
